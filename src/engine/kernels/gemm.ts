/**
 * General product over strided operands, C[i][j] = Σ_p A(i, p) · B(p, j) with
 *   A(i, p) = A[i·ars + p·acs]   and   B(p, j) = B[p·brs + j·bcs],
 * so one routine serves A·Bᵀ, Aᵀ·B and A·B without materialising a transpose. It packs both
 * operands into 4-wide panels in a reusable workspace (the wasm memory, or a Float64Array for
 * the TS fallback), runs a 4×4 register-blocked kernel, and copies the valid region into a
 * fresh array, so results never alias the workspace.
 */
import { MR, NR, WasmGemm, createWasmGemm } from './wasmGemm';
import { tsGemm } from './tsGemm';

export type KernelBackend = 'wasm' | 'ts';

/** Per-module state: the lazily compiled wasm kernel and the TS workspace, reused across calls. */
let wasm: WasmGemm | null | undefined;
let preferred: KernelBackend | 'auto' = 'auto';
let tsWork = new Float64Array(0);

/** Chooses the kernel ('auto': wasm SIMD where it compiles, else TS). For tests and the bench. */
export function setKernelBackend(backend: KernelBackend | 'auto'): void {
  preferred = backend;
}

/** The backend the next large product will use. */
export function kernelBackend(): KernelBackend {
  if (preferred === 'ts') return 'ts';
  if (wasm === undefined) wasm = createWasmGemm();
  return wasm === null ? 'ts' : 'wasm';
}

/** Packs rows i0..i0+MR-1 of A (zero beyond m) into F at `base`, element (p, r) at p·MR + r. */
function packA(A: Float64Array, ars: number, acs: number, m: number, k: number, F: Float64Array, apo: number): void {
  for (let i0 = 0; i0 < m; i0 += MR) {
    const base = apo + i0 * k;
    const rows = Math.min(MR, m - i0);
    if (rows === MR && acs === 1) {
      // Four row streams, each contiguous in p (A·Bᵀ and A·B).
      const r0 = i0 * ars, r1 = r0 + ars, r2 = r1 + ars, r3 = r2 + ars;
      for (let p = 0; p < k; p++) {
        const o = base + p * MR;
        F[o] = A[r0 + p]; F[o + 1] = A[r1 + p]; F[o + 2] = A[r2 + p]; F[o + 3] = A[r3 + p];
      }
    } else if (rows === MR && ars === 1) {
      // Four adjacent values per p (Aᵀ·B).
      for (let p = 0; p < k; p++) {
        const o = base + p * MR, s = i0 + p * acs;
        F[o] = A[s]; F[o + 1] = A[s + 1]; F[o + 2] = A[s + 2]; F[o + 3] = A[s + 3];
      }
    } else {
      for (let p = 0; p < k; p++) {
        const o = base + p * MR;
        for (let r = 0; r < MR; r++) F[o + r] = r < rows ? A[(i0 + r) * ars + p * acs] : 0;
      }
    }
  }
}

/** B's columns j0..j0+NR-1 as A's rows above: B(p, j) is the transposed view, so reuse packA. */
function packB(B: Float64Array, brs: number, bcs: number, n: number, k: number, F: Float64Array, bpo: number): void {
  packA(B, bcs, brs, n, k, F, bpo);
}

export function gemmStrided(
  m: number, n: number, k: number,
  A: Float64Array, ars: number, acs: number,
  B: Float64Array, brs: number, bcs: number,
): Float64Array {
  const C = new Float64Array(m * n);
  if (m === 0 || n === 0 || k === 0) return C;
  const mb = Math.ceil(m / MR), nb = Math.ceil(n / NR);
  const apo = 0, bpo = mb * MR * k, co = bpo + nb * NR * k;
  const total = co + mb * MR * nb * NR;
  const w = kernelBackend() === 'wasm' ? wasm : null;
  const useWasm = w != null && w.reserve(total);
  let F: Float64Array;
  if (useWasm) F = w.view();
  else {
    if (tsWork.length < total) tsWork = new Float64Array(total);
    F = tsWork;
  }
  packA(A, ars, acs, m, k, F, apo);
  packB(B, brs, bcs, n, k, F, bpo);
  if (useWasm) w.gemm(apo, bpo, co, mb, nb, k);
  else tsGemm(F, apo, bpo, co, mb, nb, k);
  const ldc = nb * NR;
  if (ldc === n) C.set(F.subarray(co, co + m * n));
  else for (let i = 0; i < m; i++) C.set(F.subarray(co + i * ldc, co + i * ldc + n), i * n);
  return C;
}
