/**
 * Products for checking the GEMM kernel wherever it runs: small integers, so every sum is exact
 * in float64 and a product must equal the plain triple loop bit for bit.
 */
export interface Product {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** m × k, row-major. */
  readonly A: Float64Array;
  /** k × n, row-major. */
  readonly B: Float64Array;
}

/** Sizes that are not multiples of the kernel's 4 × 4 tiles, so the edges are exercised. */
export function product(m = 37, n = 29, k = 23): Product {
  const A = Float64Array.from({ length: m * k }, (_, i) => ((i * 7) % 11) - 5);
  const B = Float64Array.from({ length: k * n }, (_, i) => ((i * 5) % 13) - 6);
  return { m, n, k, A, B };
}

/** C = A·B by the definition, C[i][j] = Σ_p A[i][p] · B[p][j]. */
export function reference({ m, n, k, A, B }: Product): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i * k + p] * B[p * n + j];
      C[i * n + j] = s;
    }
  return C;
}
