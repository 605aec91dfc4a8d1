/**
 * The WebAssembly SIMD (f64x2) GEMM of gemm.wat (its code and layout are described there), whose
 * bytes the build inlines as GEMM_WASM (under 1 KB), compiled on first use. A can be read in
 * place (sap = 4·sa) when its rows are contiguous, or from 4-row panels made by pack (sa = 8,
 * spa = 32, sap = 32k); B always comes from pack's 4-column panels (spb = 32, sbp = 32k).
 */
import { GEMM_WASM } from './gemmWasm.generated';

export const MR = 4;
export const NR = 4;

export interface WasmGemm {
  /** Grows the memory to hold `elements` f64s; false when the engine refuses (fall back to TS). */
  reserve(elements: number): boolean;
  /** A view of the whole memory; call again after reserve(), which may replace the buffer. */
  view(): Float64Array;
  /** As the module's gemm, but offsets and strides in elements (f64s), counts in tiles. */
  gemm(
    a: number,
    sa: number,
    spa: number,
    sap: number,
    b: number,
    spb: number,
    sbp: number,
    c: number,
    ldc: number,
    mb: number,
    nb: number,
    k: number,
  ): void;
  /**
   * Packs B(p, j) = src[p·srs + j·scs] (elements), j < 4·nb, p < k, into nb panels at dst,
   * element (p, j) of panel ⌊j/4⌋ at dst + ⌊j/4⌋·4k + 4p + (j mod 4): the layout gemm reads
   * with spb = 4, sbp = 4k. Much faster than the same loop in JS (no bounds checks; SIMD copies
   * when scs = 1).
   */
  pack(src: number, srs: number, scs: number, dst: number, nb: number, k: number): void;
  /**
   * One row of a convolution's patch matrix (one kernel entry) between image and matrix, as the
   * module's patches (see gemm.wat), offsets and strides in elements: acc false writes the row
   * (im2col, zeros on the padding), acc true adds it back onto the image (col2im).
   */
  patches(p: PatchRow, acc: boolean): void;
}

/** Where one kernel entry (c, i, j) reads the image, for every example and output position (elements). */
export interface PatchRow {
  /** The image of channel c of example 0. */
  readonly src: number;
  /** The matrix row. */
  readonly dst: number;
  readonly n: number;
  /** Elements between examples in the image. */
  readonly xn: number;
  readonly ho: number;
  readonly wo: number;
  /** (i − ph)·W: the row offset of output row 0. */
  readonly yb: number;
  /** sh·W: between output rows. */
  readonly sy: number;
  /** Output rows [ylo, yhi) and columns [lo, hi) whose input lies inside the image. */
  readonly ylo: number;
  readonly yhi: number;
  readonly lo: number;
  readonly hi: number;
  /** j − pw: the column offset of output column 0. */
  readonly xs: number;
  /** sw: between output columns. */
  readonly sx: number;
}

/**
 * The part of the WebAssembly JS API used here, typed by hand: the engine compiles without DOM
 * and Node types (neither of which it may use), and only those declare `WebAssembly`.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Compiles the module, or returns null where WebAssembly or its SIMD proposal is unavailable. */
export function createWasmGemm(): WasmGemm | null {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (wasm === undefined) return null;
  let memory: WasmMemory;
  let gemm: (...args: number[]) => void, packContiguous: typeof gemm, packStrided: typeof gemm, patches: typeof gemm;
  try {
    if (!wasm.validate(GEMM_WASM)) return null;
    const instance = new wasm.Instance(new wasm.Module(GEMM_WASM));
    memory = instance.exports.memory as WasmMemory;
    gemm = instance.exports.gemm as typeof gemm;
    packContiguous = instance.exports.packContiguous as typeof gemm;
    packStrided = instance.exports.packStrided as typeof gemm;
    patches = instance.exports.patches as typeof gemm;
  } catch {
    return null; // e.g. a CSP without 'wasm-unsafe-eval'
  }
  let f64 = new Float64Array(memory.buffer);
  const maxElements = 2 ** 31 / 8; // byte addresses must stay below 2^31 for i32 arithmetic
  return {
    reserve(elements) {
      if (elements <= f64.length) return true;
      if (elements > maxElements) return false;
      try {
        memory.grow(Math.ceil((elements * 8 - memory.buffer.byteLength) / 65536));
      } catch {
        return false;
      }
      f64 = new Float64Array(memory.buffer);
      return true;
    },
    view: () => f64,
    gemm: (a, sa, spa, sap, b, spb, sbp, c, ldc, mb, nb, k) =>
      gemm(a * 8, sa * 8, spa * 8, sap * 8, b * 8, spb * 8, sbp * 8, c * 8, ldc * 8, mb, nb, k),
    pack: (src, srs, scs, dst, nb, k) =>
      (scs === 1 ? packContiguous : packStrided)(src * 8, srs * 8, scs * 8, dst * 8, nb, k),
    patches: (r, acc) =>
      patches(
        r.src * 8,
        r.dst * 8,
        r.n,
        r.xn * 8,
        r.ho,
        r.wo,
        r.yb * 8,
        r.sy * 8,
        r.ylo,
        r.yhi,
        r.lo,
        r.hi,
        r.xs * 8,
        r.sx * 8,
        acc ? 1 : 0,
      ),
  };
}
