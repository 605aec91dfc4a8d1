/**
 * Dense float64 matrices, row-major. Everything in the engine is a Matrix or a Float64Array:
 * plain data that can be recorded in a trace, posted to a worker or a webview, and compared.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: entry (i, j) is data[i * cols + j]. */
  readonly data: Float64Array;
  /**
   * The full shape when the value is more than a matrix: N×C×H×W for a batch of images,
   * out×in×kh×kw for a convolution's kernels. rows is shape[0] and cols the product of the rest,
   * so the same row-major data reads either way (a view that knows only matrices shows it flat).
   */
  readonly shape?: readonly number[];
}

/** The full shape: `shape` when set, else rows × cols. */
export function shapeOf(m: Matrix): readonly number[] {
  return m.shape ?? [m.rows, m.cols];
}

/** One example's (or one output channel's) shape: the full shape without its first entry. */
export function itemShape(m: Matrix): readonly number[] {
  return shapeOf(m).slice(1);
}

export function product(xs: readonly number[]): number {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

/** A value of the given full shape (rows = shape[0]); more than two entries are kept as `shape`. */
export function shaped(shape: readonly number[], data: Float64Array = new Float64Array(product(shape))): Matrix {
  const rows = shape[0] ?? 1,
    cols = product(shape.slice(1));
  if (data.length !== rows * cols) throw new RangeError(`${data.length} entries do not make ${shapeText(shape)}`);
  return shape.length > 2 ? { rows, cols, data, shape: [...shape] } : { rows, cols, data };
}

/** Fresh data of the same shape as `m` (an activation of z, δ of ∂L/∂a). */
export function like(m: Matrix, data: Float64Array): Matrix {
  return m.shape ? { rows: m.rows, cols: m.cols, data, shape: m.shape } : { rows: m.rows, cols: m.cols, data };
}

/** "6×24×24". */
export function shapeText(shape: readonly number[]): string {
  return shape.join('×');
}

/** Nested arrays following the full shape: [example][channel][row][col] for images, [row][col] for matrices. */
export function toNested(m: Matrix): unknown[] {
  const shape = shapeOf(m);
  const d = m.data;
  const build = (axis: number, offset: number, stride: number): unknown[] => {
    const n = shape[axis];
    const inner = stride / n;
    const out = new Array<unknown>(n);
    if (axis === shape.length - 1) for (let i = 0; i < n; i++) out[i] = d[offset + i];
    else for (let i = 0; i < n; i++) out[i] = build(axis + 1, offset + i * inner, inner);
    return out;
  };
  return build(0, 0, d.length);
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
  return { ...m, data: m.data.slice() };
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
