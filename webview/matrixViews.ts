/**
 * Matrices as the file's convention draws them: the engine keeps W out × in and a batch one row
 * per example; a view shows them oriented for out_in or in_out and says, for each drawn entry,
 * where it is in the engine. Pure (no DOM).
 */
import type { Matrix } from '../src/engine/tensor';
import type { DocumentData } from '../src/protocol';

export type Convention = DocumentData['convention'];
export type BatchLayout = DocumentData['batchLayout'];

/** How a file writes its matrices: W by its convention, batches by its batch layout. */
export type FileLayout = Pick<DocumentData, 'convention' | 'batchLayout'>;

/** A matrix as displayed, with the engine's coordinates of each displayed entry. */
export interface MatrixView {
  readonly rows: number;
  readonly cols: number;
  readonly get: (i: number, j: number) => number;
  /** Engine coordinates [row, col] of displayed entry (i, j); vectors are [0, unit]. */
  readonly engine: (i: number, j: number) => [number, number];
}

function asIs(m: Matrix): MatrixView {
  return { rows: m.rows, cols: m.cols, get: (i, j) => m.data[i * m.cols + j], engine: (i, j) => [i, j] };
}

function transposed(m: Matrix): MatrixView {
  return { rows: m.cols, cols: m.rows, get: (i, j) => m.data[j * m.cols + i], engine: (i, j) => [j, i] };
}

/** A batch value (examples as rows in the engine), as the file's batch_layout writes it: rows or columns of examples. */
export function batchView(m: Matrix, layout: BatchLayout): MatrixView {
  return layout === 'columns' ? transposed(m) : asIs(m);
}

/** W (out × in in the engine) as the file writes it. */
export function weightView(m: Matrix, conv: Convention): MatrixView {
  return conv === 'out_in' ? asIs(m) : transposed(m);
}

/** Wᵀ as it appears in δ = Wᵀ δ (out_in) or δ Wᵀ (in_out). */
export function weightTView(m: Matrix, conv: Convention): MatrixView {
  return conv === 'out_in' ? transposed(m) : asIs(m);
}

/** A vector (b, ∂L/∂b): a column in out_in, a row in in_out. */
export function vectorView(v: Float64Array, conv: Convention): MatrixView {
  return conv === 'out_in'
    ? { rows: v.length, cols: 1, get: (i) => v[i], engine: (i) => [0, i] }
    : { rows: 1, cols: v.length, get: (_i, j) => v[j], engine: (_i, j) => [0, j] };
}

export function scalarView(x: number): MatrixView {
  return { rows: 1, cols: 1, get: () => x, engine: () => [0, 0] };
}

/** Element-wise a − b of two views of the same shape (the change an update made). */
export function differenceView(a: MatrixView, b: MatrixView): MatrixView {
  return { rows: a.rows, cols: a.cols, get: (i, j) => a.get(i, j) - b.get(i, j), engine: a.engine };
}

export function maxAbs(v: MatrixView): number {
  let m = 0;
  for (let i = 0; i < v.rows; i++)
    for (let j = 0; j < v.cols; j++) {
      const x = Math.abs(v.get(i, j));
      if (x > m && Number.isFinite(x)) m = x;
    }
  return m;
}

export function maxAbsOf(data: Float64Array): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const x = Math.abs(data[i]);
    if (x > m && Number.isFinite(x)) m = x;
  }
  return m;
}
