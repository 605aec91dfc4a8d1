/**
 * Where things are in a model file, both ways: what is written at an offset or on a line, and
 * where a layer, a parameter, an input entry, the loss or an `expect` value is written. Pure (no
 * `vscode`), so diagnostics, hovers, inlay hints, the panel, the debugger and the CLI share one
 * answer. Layers are 1-based; entries are 0-based in the engine's layout (see layout.ts).
 */
import { batchCell, layerConvention, weightCell } from './layout';
import { MatrixRanges, Model, SourceRange } from './types';

export function contains(r: SourceRange | undefined, offset: number): r is SourceRange {
  return !!r && r.start.offset <= offset && offset <= r.end.offset;
}

/**
 * The cell of a matrix literal holding `offset`, by binary search over rows (the literals are in
 * file order), so a hover over a 784×512 matrix costs a few dozen comparisons.
 */
export function findCell(
  m: MatrixRanges,
  offset: number,
): { row: number; col: number; range: SourceRange } | undefined {
  const rows = m.cells;
  let lo = 0,
    hi = rows.length - 1,
    row = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const first = rows[mid][0];
    if (!first || first.start.offset <= offset) {
      row = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (row < 0) return undefined;
  const cells = rows[row];
  lo = 0;
  hi = cells.length - 1;
  let col = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cells[mid].start.offset <= offset) {
      col = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return col >= 0 && contains(cells[col], offset) ? { row, col, range: cells[col] } : undefined;
}

/** The unit of a written bias number: a bias is one number per unit, however it is written ([1, 2] or [[1], [2]]). */
export function biasUnit(row: number, col: number): number {
  return row === 0 ? col : row;
}

/** A bias's literals in unit order, or undefined when it is not written as one list of numbers. */
export function biasCells(m: MatrixRanges | undefined): readonly SourceRange[] | undefined {
  const rows = m?.cells;
  if (!rows) return undefined;
  if (rows.length === 1) return rows[0];
  return rows.every((r) => r.length === 1) ? rows.map((r) => r[0]) : undefined;
}

// ── What is at an offset ─────────────────────────────────────────────────────────────────────

export type Target =
  /** One weight literal; i, j in the engine's layout (i = unit of layer l, j = unit of layer l − 1). */
  | {
      readonly kind: 'weight';
      readonly layer: number;
      readonly i: number;
      readonly j: number;
      readonly range: SourceRange;
    }
  | { readonly kind: 'bias'; readonly layer: number; readonly i: number; readonly range: SourceRange }
  /** The `W:` / `b:` key, or the brackets of its value between the numbers. */
  | { readonly kind: 'matrix'; readonly layer: number; readonly param: 'W' | 'b'; readonly range: SourceRange }
  | { readonly kind: 'layer'; readonly layer: number; readonly range: SourceRange }
  | { readonly kind: 'activation'; readonly layer: number; readonly range: SourceRange }
  | { readonly kind: 'loss'; readonly range: SourceRange }
  /** One number of an `expect` value: model.expectations[index], row and column as written. */
  | {
      readonly kind: 'expect';
      readonly index: number;
      readonly row: number;
      readonly col: number;
      readonly range: SourceRange;
    };

/** The most specific thing at `offset`, or undefined. */
export function targetAt(model: Model, offset: number): Target | undefined {
  const r = model.ranges;
  for (let k = 0; k < model.expectations.length; k++) {
    const e = model.expectations[k];
    if (!contains(e.ranges.value, offset)) continue;
    const cell = findCell(e.ranges, offset);
    if (cell) return { kind: 'expect', index: k, row: cell.row, col: cell.col, range: cell.range };
  }
  for (let k = 0; k < r.layers.length; k++) {
    const lr = r.layers[k];
    if (!contains(lr.layer, offset) && !contains(lr.head, offset)) continue;
    const layer = k + 1;
    if (lr.W && contains(lr.W.value, offset)) {
      const cell = findCell(lr.W, offset);
      if (cell) {
        const [i, j] = weightCell(layerConvention(model, layer), cell.row, cell.col);
        return { kind: 'weight', layer, i, j, range: cell.range };
      }
      return { kind: 'matrix', layer, param: 'W', range: lr.W.value };
    }
    if (lr.b && contains(lr.b.value, offset)) {
      const cell = findCell(lr.b, offset);
      if (cell) return { kind: 'bias', layer, i: biasUnit(cell.row, cell.col), range: cell.range };
      return { kind: 'matrix', layer, param: 'b', range: lr.b.value };
    }
    if (contains(lr.W?.key, offset)) return { kind: 'matrix', layer, param: 'W', range: lr.W.key };
    if (contains(lr.b?.key, offset)) return { kind: 'matrix', layer, param: 'b', range: lr.b.key };
    if (contains(lr.activation, offset)) return { kind: 'activation', layer, range: lr.activation };
    if (contains(lr.activationKey, offset)) return { kind: 'activation', layer, range: lr.activationKey };
    if (contains(lr.head, offset)) return { kind: 'layer', layer, range: lr.head };
    // Elsewhere inside the layer (its expect block's keys, blank space): nothing specific.
    return undefined;
  }
  if (contains(r.loss, offset)) return { kind: 'loss', range: r.loss };
  if (contains(r.lossKey, offset)) return { kind: 'loss', range: r.lossKey };
  return undefined;
}

/** The 1-based layer whose mapping contains the offset, or null (a range ends where the next key starts). */
export function layerAtOffset(model: Model, offset: number): number | null {
  const k = model.ranges.layers.findIndex((r) => r.layer.start.offset <= offset && offset < r.layer.end.offset);
  return k < 0 ? null : k + 1;
}

// ── Lines (the debugger's stack frames and breakpoints) ──────────────────────────────────────

/** 0-based, inclusive. */
export interface LineSpan {
  readonly first: number;
  readonly last: number;
}

function lines(from: SourceRange, to: SourceRange): LineSpan {
  // A range that ends at the start of a line (a YAML block ending before the next item) does not hold that line.
  const last = to.end.character === 0 && to.end.line > from.start.line ? to.end.line - 1 : to.end.line;
  return { first: from.start.line, last };
}

/** The lines layer l is written on: from its `- ` (or `{`) to its last key's value. */
export function layerLines(model: Model, layer: number): LineSpan | undefined {
  const lr = model.ranges.layers[layer - 1];
  if (!lr) return undefined;
  return lines(lr.head.start.offset <= lr.layer.start.offset ? lr.head : lr.layer, lr.layer);
}

/** The 1-based layer written on a 0-based line, or undefined (two layers on one line: the first). */
export function layerAtLine(model: Model, line: number): number | undefined {
  for (let l = 1; l <= model.ranges.layers.length; l++) {
    const s = layerLines(model, l)!;
    if (s.first <= line && line <= s.last) return l;
  }
  return undefined;
}

/** The 0-based line of the `loss:` key (where the loss event is written), or undefined. */
export function lossLine(model: Model): number | undefined {
  return (model.ranges.lossKey ?? model.ranges.loss)?.start.line;
}

// ── Where a thing is written ─────────────────────────────────────────────────────────────────

function start(): SourceRange {
  const p = { line: 0, character: 0, offset: 0 };
  return { start: p, end: p };
}

/** Where a finding about layer l (0 = the loss) belongs: the layer's head, or the `loss:` key. */
export function layerAnchor(model: Model, layer: number): SourceRange {
  const r = model.ranges;
  if (layer === 0) return r.lossKey ?? r.loss ?? r.layersKey ?? start();
  return r.layers[layer - 1]?.head ?? r.layersKey ?? start();
}

/** The literal of one parameter, given in the engine's layout (W is out × in; b's j is ignored). */
export function parameterRange(model: Model, layer: number, param: 'W' | 'b', i: number, j: number): SourceRange {
  const lr = model.ranges.layers[layer - 1];
  if (!lr) return layerAnchor(model, layer);
  if (param === 'b') return biasCells(lr.b)?.[i] ?? lr.b?.value ?? lr.head;
  const [row, col] = weightCell(layerConvention(model, layer), i, j);
  return lr.W?.cells[row]?.[col] ?? lr.W?.value ?? lr.head;
}

/** The cell of an input/target entry (engine layout: example, unit) as the file writes it. */
function batchEntry(model: Model, m: MatrixRanges | undefined, example: number, unit: number): SourceRange | undefined {
  if (!m) return undefined;
  // A flat list is a single row: the one example's units, or one unit's examples.
  if (m.cells.length === 1) return m.cells[0][model.spec.input.rows === 1 ? unit : example] ?? m.value;
  const [row, col] = batchCell(model.batchLayout, example, unit);
  return m.cells[row]?.[col] ?? m.value;
}

/** Something that has a place in the model file. Layer 0 is the input; indices are 0-based, engine layout. */
export type Place =
  | { readonly kind: 'layer'; readonly layer: number }
  | {
      readonly kind: 'param';
      readonly layer: number;
      readonly param: 'W' | 'b';
      readonly i: number;
      readonly j: number;
    }
  | { readonly kind: 'input' | 'target'; readonly example: number; readonly unit: number }
  | { readonly kind: 'loss' }
  /** model.expectations[index]. */
  | { readonly kind: 'check'; readonly index: number };

export function placeRange(model: Model, p: Place): SourceRange | undefined {
  const r = model.ranges;
  switch (p.kind) {
    case 'layer':
      return p.layer === 0
        ? (r.input?.key ?? r.input?.value)
        : (r.layers[p.layer - 1]?.layer ?? layerAnchor(model, p.layer));
    case 'param':
      return parameterRange(model, p.layer, p.param, p.i, p.j);
    case 'input':
      return batchEntry(model, r.input, p.example, p.unit);
    case 'target':
      return batchEntry(model, r.target, p.example, p.unit);
    case 'loss':
      return r.loss ?? layerAnchor(model, 0);
    case 'check':
      return model.expectations[p.index]?.ranges.value;
  }
}
