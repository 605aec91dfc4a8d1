/**
 * A WebAssembly SIMD (f64x2) GEMM over packed panels, assembled here byte by byte so that the
 * repo needs no wasm toolchain: the module is ~600 bytes, generated and compiled on first use.
 *
 * It computes Cp = Ap · Bp for packed operands in its own linear memory:
 *   Ap: mb panels of MR rows, each k×MR, element (p, r) at p·MR + r
 *   Bp: nb panels of NR columns, each k×NR, element (p, c) at p·NR + c
 *   Cp: (mb·MR) × (nb·NR), row-major, fully overwritten.
 * A 4×4 tile keeps 8 f64x2 accumulators, 2 B vectors and one broadcast A value in the 16 xmm
 * registers; measured faster than 6×4, 4×6, 4×8 and 8×4 tiles, which spill.
 */
export const MR = 4;
export const NR = 4;

export interface WasmGemm {
  /** Grows the memory to hold `elements` f64s; false when the engine refuses (fall back to TS). */
  reserve(elements: number): boolean;
  /** A view of the whole memory; call again after reserve(), which may replace the buffer. */
  view(): Float64Array;
  /** Offsets in elements (f64s), counts in panels. */
  gemm(apo: number, bpo: number, co: number, mb: number, nb: number, k: number): void;
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...s].map((ch) => [ch.charCodeAt(0)]));

const I32 = 0x7f, V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, end: 0x0b, br_if: 0x0d, localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i32Eqz: 0x45, i32LtU: 0x49, i32Add: 0x6a, i32Mul: 0x6c, simd: 0xfd, void: 0x40,
} as const;
const simd = { v128Load: 0x00, load64Splat: 0x0a, v128Store: 0x0b, v128Const: 0x0c, f64x2Add: 0xf0, f64x2Mul: 0xf2 } as const;

/** The module bytes: one function gemm(ap, bp, c, mb, nb, k) (byte addresses) and its memory. */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  const NV = NR / 2; // f64x2 vectors per tile row
  const P = { ap: 0, bp: 1, c: 2, mb: 3, nb: 4, k: 5 };
  const L = { ib: 6, jb: 7, pa: 8, pb: 9, pend: 10, aBase: 11, cRow: 12, ldc: 13, panelB: 14 };
  const i32Locals = 9;
  const acc0 = 15, b0 = acc0 + MR * NV, aVal = b0 + NV;
  const v128Locals = MR * NV + NV + 1;
  const acc = (r: number, v: number): number => acc0 + r * NV + v;

  const c: number[] = [];
  const get = (i: number): void => void c.push(op.localGet, ...uleb(i));
  const set = (i: number): void => void c.push(op.localSet, ...uleb(i));
  const tee = (i: number): void => void c.push(op.localTee, ...uleb(i));
  const i32 = (n: number): void => void c.push(op.i32Const, ...sleb(n));
  const add = (): void => void c.push(op.i32Add);
  const mul = (): void => void c.push(op.i32Mul);
  const v = (code: number, ...imm: number[]): void => void c.push(op.simd, ...uleb(code), ...imm);
  const memarg = (alignLog2: number, offset: number): number[] => [alignLog2, ...uleb(offset)];
  /** Opens block+loop, skipping the loop when `count` is 0; closeLoop branches back while counter < limit. */
  const openLoop = (count: number): void => {
    c.push(op.block, op.void);
    get(count); c.push(op.i32Eqz, op.br_if, 0);
    c.push(op.loop, op.void);
  };
  const closeLoop = (): void => void c.push(op.i32LtU, op.br_if, 0, op.end, op.end);

  get(P.k); i32(NR * 8); mul(); set(L.panelB); // bytes per B panel
  get(P.nb); i32(NR * 8); mul(); set(L.ldc); // bytes per C row
  i32(0); set(L.ib);
  openLoop(P.mb);
  {
    get(P.ap); get(L.ib); get(P.k); mul(); i32(MR * 8); mul(); add(); set(L.aBase);
    get(P.c); get(L.ib); i32(MR); mul(); get(L.ldc); mul(); add(); set(L.cRow);
    i32(0); set(L.jb);
    openLoop(P.nb);
    {
      for (let r = 0; r < MR; r++) for (let h = 0; h < NV; h++) { v(simd.v128Const, ...new Array<number>(16).fill(0)); set(acc(r, h)); }
      get(L.aBase); tee(L.pa); get(P.k); i32(MR * 8); mul(); add(); set(L.pend);
      get(P.bp); get(L.jb); get(L.panelB); mul(); add(); set(L.pb);
      openLoop(P.k);
      {
        for (let h = 0; h < NV; h++) { get(L.pb); v(simd.v128Load, ...memarg(3, h * 16)); set(b0 + h); }
        for (let r = 0; r < MR; r++) {
          get(L.pa); v(simd.load64Splat, ...memarg(3, r * 8)); set(aVal);
          for (let h = 0; h < NV; h++) {
            get(acc(r, h)); get(aVal); get(b0 + h); v(simd.f64x2Mul); v(simd.f64x2Add); set(acc(r, h));
          }
        }
        get(L.pb); i32(NR * 8); add(); set(L.pb);
        get(L.pa); i32(MR * 8); add(); tee(L.pa); get(L.pend);
      }
      closeLoop();
      for (let r = 0; r < MR; r++) {
        for (let h = 0; h < NV; h++) {
          get(L.cRow); get(L.jb); i32(NR * 8); mul(); add();
          if (r > 0) { get(L.ldc); i32(r); mul(); add(); }
          get(acc(r, h)); v(simd.v128Store, ...memarg(3, h * 16));
        }
      }
      get(L.jb); i32(1); add(); tee(L.jb); get(P.nb);
    }
    closeLoop();
    get(L.ib); i32(1); add(); tee(L.ib); get(P.mb);
  }
  closeLoop();
  c.push(op.end);

  const body = [...vec([[...uleb(i32Locals), I32], [...uleb(v128Locals), V128]]), ...c];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(new Array<number[]>(6).fill([I32])), 0]])), // (i32 ×6) → ()
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, 1]])), // memory: 1 page to start, grown on demand
    ...section(7, vec([[...name('gemm'), 0x00, 0], [...name('memory'), 0x02, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

/** Compiles the module, or returns null where WebAssembly or its SIMD proposal is unavailable. */
export function createWasmGemm(): WasmGemm | null {
  if (typeof WebAssembly === 'undefined') return null;
  let memory: WebAssembly.Memory;
  let gemm: (ap: number, bp: number, c: number, mb: number, nb: number, k: number) => void;
  try {
    const bytes = gemmModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    memory = instance.exports.memory as WebAssembly.Memory;
    gemm = instance.exports.gemm as typeof gemm;
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
    gemm: (apo, bpo, co, mb, nb, k) => gemm(apo * 8, bpo * 8, co * 8, mb, nb, k),
  };
}
