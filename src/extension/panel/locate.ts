/**
 * Between the panel's things and the model file's text: where a clicked value is written, and
 * which layer the cursor is in. Pure (no `vscode`), ranges as the model layer gives them.
 */
import { layerRange, parameterRange } from '../../analysis/analyze';
import { MatrixRanges, Model, SourceRange } from '../../model/types';
import { RevealTarget } from '../../protocol';

/** The cell of an input/target entry (engine layout: example, unit) as the file writes it. */
function batchCell(model: Model, m: MatrixRanges | undefined, example: number, unit: number): SourceRange | undefined {
  if (!m) return undefined;
  // A flat list is a single row: the one example's units, or one unit's examples.
  if (m.cells.length === 1) return m.cells[0][model.spec.input.rows === 1 ? unit : example] ?? m.value;
  const cell = model.batchLayout === 'rows' ? m.cells[example]?.[unit] : m.cells[unit]?.[example];
  return cell ?? m.value;
}

export function revealRange(model: Model, t: RevealTarget): SourceRange | undefined {
  switch (t.kind) {
    case 'layer': return t.layer === 0 ? model.ranges.input?.key ?? model.ranges.input?.value : model.ranges.layers[t.layer - 1]?.layer ?? layerRange(model, t.layer);
    case 'param': return parameterRange(model, t.layer, t.param, t.i, t.j);
    case 'input': return batchCell(model, model.ranges.input, t.example, t.unit);
    case 'target': return batchCell(model, model.ranges.target, t.example, t.unit);
    case 'loss': return model.ranges.loss ?? layerRange(model, 0);
    case 'check': return model.expectations[t.index]?.ranges.value;
  }
}

/** The 1-based layer whose mapping contains the offset, or null (a range ends where the next key starts). */
export function layerAt(model: Model, offset: number): number | null {
  const k = model.ranges.layers.findIndex((r) => r.layer.start.offset <= offset && offset < r.layer.end.offset);
  return k < 0 ? null : k + 1;
}
