/**
 * The pure-TypeScript fallback for wasmGemm, with the same packed layout (see wasmGemm.ts):
 * a 4×4 register-blocked tile, sixteen scalar accumulators. ~5 GFLOP/s on one core, against
 * ~1-2 for plain loops, because each loaded A and B value is used four times from a register.
 */
// The sixteen accumulators read best as the 4×4 tile they are:
// prettier-ignore
export function tsGemm(F: Float64Array, apo: number, bpo: number, co: number, mb: number, nb: number, k: number): void {
  const ldc = nb * 4;
  for (let ib = 0; ib < mb; ib++) {
    const aBase = apo + ib * k * 4;
    for (let jb = 0; jb < nb; jb++) {
      const bBase = bpo + jb * k * 4;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const o = aBase + 4 * p, q = bBase + 4 * p;
        const a0 = F[o], a1 = F[o + 1], a2 = F[o + 2], a3 = F[o + 3];
        const b0 = F[q], b1 = F[q + 1], b2 = F[q + 2], b3 = F[q + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      let c = co + ib * 4 * ldc + jb * 4;
      F[c] = c00; F[c + 1] = c01; F[c + 2] = c02; F[c + 3] = c03; c += ldc;
      F[c] = c10; F[c + 1] = c11; F[c + 2] = c12; F[c + 3] = c13; c += ldc;
      F[c] = c20; F[c + 1] = c21; F[c + 2] = c22; F[c + 3] = c23; c += ldc;
      F[c] = c30; F[c + 1] = c31; F[c + 2] = c32; F[c + 3] = c33;
    }
  }
}
