/**
 * Linear least squares min ‖A x − b‖ for every column of B at once, by Householder QR with
 * column pivoting (LAPACK's xGEQP3 idea) and, when A is rank-deficient, a complete orthogonal
 * decomposition that gives the minimum-norm solution (as xGELSY, torch.linalg.lstsq's CPU default).
 * Never forms AᵀA: its condition number is the square of A's. Pure TypeScript, no Node, no DOM.
 */
import { Matrix } from '../engine/tensor';

export interface LstsqResult {
  /** n × k: column c solves min ‖A x − B[:, c]‖ (minimum norm when A is rank-deficient). */
  readonly x: Matrix;
  /** Numerical rank of A: the R_jj with |R_jj| > rcond · |R_00|. */
  readonly rank: number;
  /** Columns of A (0-based) the pivoting left out of the leading rank×rank block: the dependent ones. */
  readonly dependent: readonly number[];
  /** |R_00| / |R_(r−1)(r−1)|: a lower estimate of A's condition number (∞ when A is zero). */
  readonly conditionEstimate: number;
}

/** Applies I − 2vvᵀ/(vᵀv), v living in rows k.. of column `vc` of `h`, to columns `from`.. of m (rows k..). */
function reflect(
  h: Float64Array,
  hc: number,
  vc: number,
  k: number,
  vv: number,
  m: Float64Array,
  mc: number,
  from: number,
  rows: number,
): void {
  if (vv === 0) return;
  for (let j = from; j < mc; j++) {
    let s = 0;
    for (let i = k; i < rows; i++) s += h[i * hc + vc] * m[i * mc + j];
    s = (2 * s) / vv;
    if (s === 0) continue;
    for (let i = k; i < rows; i++) m[i * mc + j] -= s * h[i * hc + vc];
  }
}

/**
 * Householder step on column k of `a` (rows k..): stores v in place below the diagonal (with
 * v_k kept aside), returns R_kk and vᵀv.
 */
function householder(a: Float64Array, cols: number, k: number, rows: number): { rkk: number; vk: number; vv: number } {
  let norm2 = 0;
  for (let i = k; i < rows; i++) norm2 += a[i * cols + k] ** 2;
  const alpha = Math.sqrt(norm2);
  if (alpha === 0) return { rkk: 0, vk: 0, vv: 0 };
  const x0 = a[k * cols + k];
  // R_kk takes the sign opposite to x0, so that v_k = x0 − R_kk never cancels.
  const rkk = x0 >= 0 ? -alpha : alpha;
  const vk = x0 - rkk;
  return { rkk, vk, vv: norm2 - x0 * x0 + vk * vk };
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const x of v) if (Math.abs(x) > m) m = Math.abs(x);
  return m;
}

/** Throws a RangeError on non-finite entries: the caller checks its data first. */
export function lstsq(A: Matrix, B: Matrix, rcond = Number.EPSILON * Math.max(A.rows, A.cols)): LstsqResult {
  if (B.rows !== A.rows) throw new RangeError(`A has ${A.rows} rows, B ${B.rows}`);
  if (!A.data.every(Number.isFinite) || !B.data.every(Number.isFinite)) throw new RangeError('A and B must be finite');
  const m = A.rows,
    n = A.cols,
    k = B.cols;
  // One scale for all of A and one for B keep every square finite (entries of 1e308 would overflow)
  // and leave the minimum-norm solution the minimum-norm one: x = (t / s) · y.
  const sA = maxAbs(A.data) || 1,
    sB = maxAbs(B.data) || 1;
  const a = A.data.map((v) => v / sA),
    b = B.data.map((v) => v / sB);
  const perm = Array.from({ length: n }, (_, j) => j);
  const steps = Math.min(m, n);
  const diag = new Float64Array(steps);
  for (let s = 0; s < steps; s++) {
    // Pivot: the remaining column with the largest norm below row s.
    let best = s,
      bestNorm = -1;
    for (let j = s; j < n; j++) {
      let t = 0;
      for (let i = s; i < m; i++) t += a[i * n + j] ** 2;
      if (t > bestNorm) {
        bestNorm = t;
        best = j;
      }
    }
    if (best !== s) {
      for (let i = 0; i < m; i++) {
        const t = a[i * n + s];
        a[i * n + s] = a[i * n + best];
        a[i * n + best] = t;
      }
      [perm[s], perm[best]] = [perm[best], perm[s]];
    }
    const { rkk, vk, vv } = householder(a, n, s, m);
    a[s * n + s] = vk;
    reflect(a, n, s, s, vv, a, n, s + 1, m);
    reflect(a, n, s, s, vv, b, k, 0, m);
    diag[s] = rkk;
    a[s * n + s] = rkk;
    for (let i = s + 1; i < m; i++) a[i * n + s] = 0;
  }
  const top = Math.abs(diag[0] ?? 0);
  let rank = 0;
  while (rank < steps && top > 0 && Math.abs(diag[rank]) > rcond * top) rank++;
  const conditionEstimate = rank === 0 ? Infinity : top / Math.abs(diag[rank - 1]);

  // T = R[0:r, 0:n] (upper trapezoidal), c = (Qᵀb)[0:r]. Min-norm z of T z = c via Tᵀ = Q₂R₂.
  const z = new Float64Array(n * k);
  if (rank === n) {
    for (let c = 0; c < k; c++)
      for (let i = n - 1; i >= 0; i--) {
        let s = b[i * k + c];
        for (let j = i + 1; j < n; j++) s -= a[i * n + j] * z[j * k + c];
        z[i * k + c] = s / a[i * n + i];
      }
  } else if (rank > 0) {
    // tt = Tᵀ, n × r, QR'd in place without pivoting.
    const r = rank;
    const tt = new Float64Array(n * r);
    for (let i = 0; i < r; i++) for (let j = i; j < n; j++) tt[j * r + i] = a[i * n + j];
    const vvs = new Float64Array(r),
      r2 = new Float64Array(r);
    for (let s = 0; s < r; s++) {
      const { rkk, vk, vv } = householder(tt, r, s, n);
      tt[s * r + s] = vk;
      reflect(tt, r, s, s, vv, tt, r, s + 1, n);
      vvs[s] = vv;
      r2[s] = rkk;
    }
    // R₂ᵀ w = c by forward substitution (R₂'s strict upper part sits above tt's diagonal).
    for (let c = 0; c < k; c++) {
      const w = new Float64Array(n);
      for (let i = 0; i < r; i++) {
        let s = b[i * k + c];
        for (let j = 0; j < i; j++) s -= tt[j * r + i] * w[j];
        w[i] = s / r2[i];
      }
      // z = H₀ H₁ … H_(r−1) [w; 0].
      for (let s = r - 1; s >= 0; s--) {
        if (vvs[s] === 0) continue;
        let dot = 0;
        for (let i = s; i < n; i++) dot += tt[i * r + s] * w[i];
        const f = (2 * dot) / vvs[s];
        for (let i = s; i < n; i++) w[i] -= f * tt[i * r + s];
      }
      for (let i = 0; i < n; i++) z[i * k + c] = w[i];
    }
  }
  const x = new Float64Array(n * k);
  const unscale = sB / sA;
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) x[perm[i] * k + c] = z[i * k + c] * unscale;
  return {
    x: { rows: n, cols: k, data: x },
    rank,
    dependent: perm.slice(rank),
    conditionEstimate,
  };
}
