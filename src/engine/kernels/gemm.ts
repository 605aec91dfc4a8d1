/**
 * General product over strided operands, C[i][j] = Σ_p A(i, p) · B(p, j) with
 *   A(i, p) = A[i·ars + p·acs]   and   B(p, j) = B[p·brs + j·bcs],
 * so one routine serves A·Bᵀ, Aᵀ·B and A·B without materialising a transpose. Operands go into
 * a reusable workspace (the wasm memory, or a Float64Array for the TS fallback; each grows to
 * the largest product seen, a few MB for a 784-512-512-10 net at batch 128, and never shrinks),
 * packed into 4-wide panels where the kernel needs them, a 4×4 register-blocked kernel runs, and
 * the valid region is copied into a fresh array, so results never alias the workspace.
 */
import * as tile from './wasmGemm';
import { WasmGemm, createWasmGemm } from './wasmGemm';
import { tsGemm } from './tsGemm';

// Local copies: an imported binding compiles to a getter call per use in the unbundled
// CommonJS build (out/), which in packing loops cost more than the packing itself.
const MR: number = tile.MR;
const NR: number = tile.NR;

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

/** The wasm kernel when the next large product will use it (for work that stays in its memory), else null. */
export function wasmKernel(): WasmGemm | null {
  return kernelBackend() === 'wasm' ? (wasm ?? null) : null;
}

/** Packs rows i0..i0+MR-1 of A (zero beyond m) into F at `base`, element (p, r) at p·MR + r. */
function packA(A: Float64Array, ars: number, acs: number, m: number, k: number, F: Float64Array, apo: number): void {
  for (let i0 = 0; i0 < m; i0 += MR) {
    const base = apo + i0 * k;
    const rows = Math.min(MR, m - i0);
    if (rows === MR && acs === 1) {
      // Four row streams, each contiguous in p (A·Bᵀ and A·B).
      const r0 = i0 * ars,
        r1 = r0 + ars,
        r2 = r1 + ars,
        r3 = r2 + ars;
      for (let p = 0; p < k; p++) {
        const o = base + p * MR;
        F[o] = A[r0 + p];
        F[o + 1] = A[r1 + p];
        F[o + 2] = A[r2 + p];
        F[o + 3] = A[r3 + p];
      }
    } else if (rows === MR && ars === 1) {
      // Four adjacent values per p (Aᵀ·B).
      for (let p = 0; p < k; p++) {
        const o = base + p * MR,
          s = i0 + p * acs;
        F[o] = A[s];
        F[o + 1] = A[s + 1];
        F[o + 2] = A[s + 2];
        F[o + 3] = A[s + 3];
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
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  ars: number,
  acs: number,
  B: Float64Array,
  brs: number,
  bcs: number,
): Float64Array {
  const C = new Float64Array(m * n);
  if (m === 0 || n === 0 || k === 0) return C;
  const ldc = Math.ceil(n / NR) * NR;
  const w = kernelBackend() === 'wasm' ? wasm : null;
  let co = w ? wasmProduct(w, m, n, k, A, ars, acs, B, brs, bcs) : -1;
  let F: Float64Array;
  if (w && co >= 0) F = w.view();
  else {
    co = tsProduct(m, n, k, A, ars, acs, B, brs, bcs);
    F = tsWork;
  }
  if (ldc === n) C.set(F.subarray(co, co + m * n));
  else for (let i = 0; i < m; i++) C.set(F.subarray(co + i * ldc, co + i * ldc + n), i * n);
  return C;
}

/**
 * Runs the wasm kernel on copies of A and B in its memory. A is read in place when its rows are
 * contiguous (A·Bᵀ, A·B); Aᵀ·B's A is packed into 4-row panels first, since reading it in place
 * walks a column with a stride of m doubles, and at m = 128 or 512 (1 or 4 KiB) every line maps
 * to the same few L1 sets (measured: 12 GFLOP/s in place, 20+ packed). B is always packed into
 * 4-column panels, which stream from cache at full lines. Returns the offset of the padded C
 * (4⌈n/4⌉ wide) in the wasm memory, or −1 when the memory cannot grow that far.
 */
function wasmProduct(
  w: WasmGemm,
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  ars: number,
  acs: number,
  B: Float64Array,
  brs: number,
  bcs: number,
): number {
  const mb = Math.ceil(m / MR),
    nb = Math.ceil(n / NR);
  // Whole 4×4 tiles are read: rows past m and columns past n land in the padding of C, which is
  // never copied out, but what they read must lie inside the copies (zeroed slack after them).
  const aEnd = Math.max(A.length, (mb * MR - 1) * ars + (k - 1) * acs + 1);
  const bEnd = Math.max(B.length, (k - 1) * brs + (nb * NR - 1) * bcs + 1);
  const panelA = acs !== 1;
  const even = (x: number): number => x + (x & 1); // 16-byte aligned regions
  const ao = 0,
    bo = even(aEnd),
    apo = bo + even(bEnd),
    bpo = apo + (panelA ? mb * MR * k : 0),
    co = bpo + nb * NR * k;
  if (!w.reserve(co + mb * MR * nb * NR)) return -1;
  const F = w.view();
  F.set(A, ao);
  F.fill(0, ao + A.length, bo);
  F.set(B, bo);
  F.fill(0, bo + B.length, apo);
  w.pack(bo, brs, bcs, bpo, nb, k);
  if (panelA) {
    w.pack(ao, acs, ars, apo, mb, k); // A(i, p) is B-like with p ↔ rows, i ↔ columns
    w.gemm(apo, 1, MR, MR * k, bpo, NR, NR * k, co, nb * NR, mb, nb, k);
  } else {
    w.gemm(ao, ars, acs, MR * ars, bpo, NR, NR * k, co, nb * NR, mb, nb, k);
  }
  return co;
}

/** Packs both operands into the TS workspace and runs the TS kernel; returns the offset of C. */
function tsProduct(
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  ars: number,
  acs: number,
  B: Float64Array,
  brs: number,
  bcs: number,
): number {
  const mb = Math.ceil(m / MR),
    nb = Math.ceil(n / NR);
  const apo = 0,
    bpo = mb * MR * k,
    co = bpo + nb * NR * k;
  const total = co + mb * MR * nb * NR;
  if (tsWork.length < total) tsWork = new Float64Array(total);
  packA(A, ars, acs, m, k, tsWork, apo);
  packB(B, brs, bcs, n, k, tsWork, bpo);
  tsGemm(tsWork, apo, bpo, co, mb, nb, k);
  return co;
}
