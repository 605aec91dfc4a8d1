/**
 * The hand-derived `expect` values as the panel shows them: per value, right or wrong, and which
 * entries are wrong in the engine's layout (so the panel can mark them wherever the quantity is
 * drawn, whatever orientation it is drawn in). Pure, no `vscode`.
 */
import { ExpectationResult } from '../../model/expect';
import { Model } from '../../model/types';
import { WireCheck } from '../../protocol';

const BATCH_KEYS = new Set(['z', 'a', 'delta', 'sigma_prime', 'dL_da']);
const WEIGHT_KEYS = new Set(['dW', 'W_next']);

/**
 * Where a written cell (row i, column j, as the user wrote it) sits in the engine's layout. The
 * written shape was accepted by the check (src/model/expect.ts), so it is one of: a lone number,
 * a flat list (one row or one column of the needed value), a matrix of the needed shape, or a
 * vector written as a column.
 */
export function engineIndex(model: Pick<Model, 'convention' | 'batchLayout'>, r: ExpectationResult, i: number, j: number, shape: { rows: number; cols: number }): [number, number] {
  const e = r.expectation;
  if (e.key === 'loss') return [0, 0];
  // A vector written as a column ([[1], [2], [3]]) counts its units down the rows.
  if (e.key === 'db' || e.key === 'b_next') return [0, e.written === 'matrix' && e.values.length > 1 ? i : j];
  // The value in the file's layout is R × C; the engine's is `shape` or its transpose.
  const transposed = BATCH_KEYS.has(e.key) ? model.batchLayout === 'columns' : WEIGHT_KEYS.has(e.key) && model.convention === 'in_out';
  const [R] = transposed ? [shape.cols, shape.rows] : [shape.rows, shape.cols];
  let p: number, q: number;
  if (e.written === 'scalar') [p, q] = [0, 0];
  else if (e.written === 'vector') [p, q] = R === 1 ? [0, j] : [j, 0];
  else [p, q] = [i, j];
  return transposed ? [q, p] : [p, q];
}

/** The engine-layout shape of an expectation's quantity at its step, or undefined when not in the trace. */
function engineShape(model: Model, r: ExpectationResult): { rows: number; cols: number } | undefined {
  const e = r.expectation;
  const N = model.spec.input.rows;
  const widths = [model.spec.input.cols, ...model.spec.layers.map((l) => l.W.rows)];
  const L = widths.length - 1;
  const l = e.layer === 0 ? L : e.layer;
  if (l < 1 || l > L) return undefined;
  if (BATCH_KEYS.has(e.key)) return { rows: N, cols: widths[l] };
  if (WEIGHT_KEYS.has(e.key)) return { rows: widths[l], cols: widths[l - 1] };
  return { rows: 1, cols: e.key === 'loss' ? 1 : widths[l] };
}

export function wireChecks(model: Model, results: readonly ExpectationResult[]): WireCheck[] {
  const L = model.spec.layers.length;
  return results.map((r) => {
    const e = r.expectation;
    const shape = engineShape(model, r);
    const wrong = shape ? r.cells.filter((c) => !c.ok).map((c) => engineIndex(model, r, c.row, c.col, shape)) : [];
    return {
      index: model.expectations.indexOf(e),
      step: e.step,
      // dL_da of the file-level block is the last layer's.
      layer: e.layer === 0 && e.key === 'dL_da' ? L : e.layer,
      key: e.key,
      symbol: r.symbol,
      ok: r.ok,
      message: r.diagnostics().map((d) => d.message).join('\n'),
      wrong,
    };
  });
}
