/**
 * The three products backprop needs, each written for its own memory layout so that no
 * transpose is ever materialised (shapes: A is N×in examples-as-rows, W is out×in, δ is N×out).
 *
 *   forward   Z  = A · Wᵀ   (N×out)   matmulABt
 *   weights   dW = δᵀ · A   (out×in)  matmulAtB
 *   backward  dA = δ · W    (N×in)    matmulAB
 *
 * All write into a fresh Float64Array; callers own the result. Small products run plain loops
 * (no packing, no call into wasm: the 2-3-2 textbook net costs tens of nanoseconds per product);
 * larger ones go to the packed, register-blocked kernels in ./kernels (wasm SIMD, or TS).
 * Zeros are never skipped, so NaN and ±Infinity propagate the same way on every path.
 */
import { Matrix } from './tensor';
import { gemmStrided } from './kernels/gemm';

/**
 * Below this many multiply-adds the kernels' fixed cost (a call into wasm, copies, ~0.3 µs)
 * exceeds what they save; measured crossover between 4×4×4 (loops 2× faster) and 8×8×8
 * (kernel 2× faster).
 */
const SMALL = 256;

/** C = A · Bᵀ with A m×k and B n×k. */
export function matmulABt(a: Matrix, b: Matrix): Matrix {
  const m = a.rows,
    k = a.cols,
    n = b.rows;
  if (b.cols !== k) throw new RangeError(`matmulABt: ${a.rows}×${a.cols} · (${b.rows}×${b.cols})ᵀ`);
  const A = a.data,
    B = b.data;
  if (m * n * k >= SMALL) return { rows: m, cols: n, data: gemmStrided(m, n, k, A, k, 1, B, 1, k) };
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
      C[i * n + j] = s;
    }
  }
  return { rows: m, cols: n, data: C };
}

/** C = Aᵀ · B with A k×m and B k×n. */
export function matmulAtB(a: Matrix, b: Matrix): Matrix {
  const k = a.rows,
    m = a.cols,
    n = b.cols;
  if (b.rows !== k) throw new RangeError(`matmulAtB: (${a.rows}×${a.cols})ᵀ · ${b.rows}×${b.cols}`);
  const A = a.data,
    B = b.data;
  if (m * n * k >= SMALL) return { rows: m, cols: n, data: gemmStrided(m, n, k, A, 1, m, B, n, 1) };
  const C = new Float64Array(m * n);
  for (let p = 0; p < k; p++) {
    const ap = p * m,
      bp = p * n;
    for (let i = 0; i < m; i++) {
      const x = A[ap + i],
        ci = i * n;
      for (let j = 0; j < n; j++) C[ci + j] += x * B[bp + j];
    }
  }
  return { rows: m, cols: n, data: C };
}

/** C = A · B with A m×k and B k×n. */
export function matmulAB(a: Matrix, b: Matrix): Matrix {
  const m = a.rows,
    k = a.cols,
    n = b.cols;
  if (b.rows !== k) throw new RangeError(`matmulAB: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  const A = a.data,
    B = b.data;
  if (m * n * k >= SMALL) return { rows: m, cols: n, data: gemmStrided(m, n, k, A, k, 1, B, n, 1) };
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const x = A[i * k + p],
        bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += x * B[bp + j];
    }
  }
  return { rows: m, cols: n, data: C };
}
