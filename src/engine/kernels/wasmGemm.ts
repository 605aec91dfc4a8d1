/**
 * A WebAssembly SIMD (f64x2) GEMM, assembled here byte by byte so that the repo needs no wasm
 * toolchain: the module is under 1 KB, generated and compiled on first use.
 *
 * gemm(a, sa, spa, sap, b, spb, sbp, c, ldc, mb, nb, k) computes, in its own linear memory,
 *   C(i, j) = Σ_p A(i, p) · B(p, j)  for i < 4·mb, j < 4·nb, p < k, where
 *   A(i, p) is the f64 at a + ⌊i/4⌋·sap + (i mod 4)·sa + p·spa   (any strides: scalar reads)
 *   B(p, j) is the f64 at b + ⌊j/4⌋·sbp + p·spb + (j mod 4)·8   (4 adjacent columns: 2 vectors)
 *   C(i, j) is stored at c + i·ldc + j·8              (fully overwritten, 4·nb columns wide)
 * All addresses and strides in bytes. So A can be read in place (sap = 4·sa) when its rows are
 * contiguous, or from 4-row panels made by pack (sa = 8, spa = 32, sap = 32k); B always comes
 * from pack's 4-column panels (spb = 32, sbp = 32k).
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
  /** As the module's gemm, but offsets and strides in elements (f64s), counts in tiles. */
  gemm(a: number, sa: number, spa: number, sap: number, b: number, spb: number, sbp: number, c: number, ldc: number, mb: number, nb: number, k: number): void;
  /**
   * Packs B(p, j) = src[p·srs + j·scs] (elements), j < 4·nb, p < k, into nb panels at dst,
   * element (p, j) of panel ⌊j/4⌋ at dst + ⌊j/4⌋·4k + 4p + (j mod 4): the layout gemm reads
   * with spb = 4, sbp = 4k. Much faster than the same loop in JS (no bounds checks; SIMD copies
   * when scs = 1).
   */
  pack(src: number, srs: number, scs: number, dst: number, nb: number, k: number): void;
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
  f64Load: 0x2b, f64Store: 0x39, i32Const: 0x41, i32Eqz: 0x45, i32LtU: 0x49, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, simd: 0xfd, void: 0x40,
} as const;
const simd = { v128Load: 0x00, load64Splat: 0x0a, v128Store: 0x0b, v128Const: 0x0c, f64x2Add: 0xf0, f64x2Mul: 0xf2 } as const;

/** Emits one function body: parameters are i32 locals 0..params-1; the callback writes the code. */
class Fn {
  readonly code: number[] = [];
  private i32Count = 0;
  private v128Count = 0;

  constructor(readonly params: number) {}

  /** A new i32 local (numbered after the parameters); all of them before any v128 local. */
  i32Local(): number {
    if (this.v128Count) throw new Error('declare i32 locals before v128 locals');
    return this.params + this.i32Count++;
  }
  /** `count` consecutive v128 locals; returns the first index. */
  v128Locals(count: number): number {
    const first = this.params + this.i32Count + this.v128Count;
    this.v128Count += count;
    return first;
  }
  emit(...bytes: number[]): void { for (const b of bytes) this.code.push(b); }
  get(i: number): void { this.emit(op.localGet, ...uleb(i)); }
  set(i: number): void { this.emit(op.localSet, ...uleb(i)); }
  tee(i: number): void { this.emit(op.localTee, ...uleb(i)); }
  i32(n: number): void { this.emit(op.i32Const, ...sleb(n)); }
  add(): void { this.emit(op.i32Add); }
  mul(): void { this.emit(op.i32Mul); }
  simd(code: number, ...imm: number[]): void { this.emit(op.simd, ...uleb(code), ...imm); }
  /** local += value of local `step`. */
  bump(local: number, step: number): void { this.get(local); this.get(step); this.add(); this.set(local); }
  /** block { if count == 0 break; loop { body; continue while the body's condition } }. */
  loop(count: number, body: () => void): void {
    this.emit(op.block, op.void);
    this.get(count); this.emit(op.i32Eqz, op.br_if, 0);
    this.emit(op.loop, op.void);
    body();
    this.emit(op.br_if, 0, op.end, op.end);
  }
  /** Loop condition: ++counter < limit. */
  increments(counter: number, limit: number): void { this.get(counter); this.i32(1); this.add(); this.tee(counter); this.get(limit); this.emit(op.i32LtU); }
  /** Loop condition: --counter ≠ 0. */
  decrements(counter: number): void { this.get(counter); this.i32(1); this.emit(op.i32Sub); this.tee(counter); }
  body(): number[] {
    const locals = [[...uleb(this.i32Count), I32]];
    if (this.v128Count) locals.push([...uleb(this.v128Count), V128]);
    return [...vec(locals), ...this.code, op.end];
  }
}

const memarg = (alignLog2: number, offset: number): number[] => [alignLog2, ...uleb(offset)];

/** gemm(a, sa, spa, sap, b, spb, sbp, c, ldc, mb, nb, k), as described at the top of this file. */
function gemmBody(): number[] {
  const NV = NR / 2; // f64x2 vectors per tile row
  const f = new Fn(12);
  const P = { a: 0, sa: 1, spa: 2, sap: 3, b: 4, spb: 5, sbp: 6, c: 7, ldc: 8, mb: 9, nb: 10, k: 11 };
  const L = { ib: f.i32Local(), jb: f.i32Local(), aRow: f.i32Local(), pb: f.i32Local(), cnt: f.i32Local(), cTile: f.i32Local() };
  const pa = Array.from({ length: MR }, () => f.i32Local()); // one pointer per row of the tile
  const acc0 = f.v128Locals(MR * NV), b0 = f.v128Locals(NV), aVal = f.v128Locals(1);
  const acc = (r: number, h: number): number => acc0 + r * NV + h;

  f.i32(0); f.set(L.ib);
  f.loop(P.mb, () => {
    f.get(P.a); f.get(L.ib); f.get(P.sap); f.mul(); f.add(); f.set(L.aRow);
    f.i32(0); f.set(L.jb);
    f.loop(P.nb, () => {
      for (let r = 0; r < MR; r++) for (let h = 0; h < NV; h++) { f.simd(simd.v128Const, ...new Array<number>(16).fill(0)); f.set(acc(r, h)); }
      f.get(L.aRow); f.set(pa[0]);
      for (let r = 1; r < MR; r++) { f.get(pa[r - 1]); f.get(P.sa); f.add(); f.set(pa[r]); }
      f.get(P.b); f.get(L.jb); f.get(P.sbp); f.mul(); f.add(); f.set(L.pb);
      f.get(P.k); f.set(L.cnt);
      f.loop(P.k, () => {
        for (let h = 0; h < NV; h++) { f.get(L.pb); f.simd(simd.v128Load, ...memarg(3, h * 16)); f.set(b0 + h); }
        for (let r = 0; r < MR; r++) {
          f.get(pa[r]); f.simd(simd.load64Splat, ...memarg(3, 0)); f.set(aVal);
          for (let h = 0; h < NV; h++) {
            f.get(acc(r, h)); f.get(aVal); f.get(b0 + h); f.simd(simd.f64x2Mul); f.simd(simd.f64x2Add); f.set(acc(r, h));
          }
          f.bump(pa[r], P.spa);
        }
        f.bump(L.pb, P.spb);
        f.decrements(L.cnt);
      });
      f.get(P.c); f.get(L.ib); f.i32(MR); f.mul(); f.get(P.ldc); f.mul(); f.add(); f.get(L.jb); f.i32(NR * 8); f.mul(); f.add(); f.set(L.cTile);
      for (let r = 0; r < MR; r++) {
        for (let h = 0; h < NV; h++) { f.get(L.cTile); f.get(acc(r, h)); f.simd(simd.v128Store, ...memarg(3, h * 16)); }
        if (r < MR - 1) f.bump(L.cTile, P.ldc);
      }
      f.increments(L.jb, P.nb);
    });
    f.increments(L.ib, P.mb);
  });
  return f.body();
}

/**
 * pack(src, srs, scs, dst, nb, k) (bytes), as WasmGemm.pack. `contiguous` specialises scs = 8:
 * the four values of a panel row are adjacent and move as two v128s.
 */
function packBody(contiguous: boolean): number[] {
  const f = new Fn(6);
  const P = { src: 0, srs: 1, scs: 2, dst: 3, nb: 4, k: 5 };
  const L = { jb: f.i32Local(), q: f.i32Local(), cnt: f.i32Local(), s2: f.i32Local(), s3: f.i32Local(), col: f.i32Local(), panel: f.i32Local() };
  f.get(P.scs); f.i32(2); f.mul(); f.set(L.s2);
  f.get(P.scs); f.i32(3); f.mul(); f.set(L.s3);
  f.get(P.scs); f.i32(NR); f.mul(); f.set(L.panel); // src bytes between panels
  f.get(P.src); f.set(L.col);
  f.i32(0); f.set(L.jb);
  f.loop(P.nb, () => {
    f.get(L.col); f.set(L.q);
    f.get(P.k); f.set(L.cnt);
    f.loop(P.k, () => {
      if (contiguous) {
        for (let h = 0; h < 2; h++) { f.get(P.dst); f.get(L.q); f.simd(simd.v128Load, ...memarg(3, h * 16)); f.simd(simd.v128Store, ...memarg(3, h * 16)); }
      } else {
        const offsets = [null, P.scs, L.s2, L.s3];
        offsets.forEach((off, c) => {
          f.get(P.dst); f.get(L.q); if (off !== null) { f.get(off); f.add(); }
          f.emit(op.f64Load, ...memarg(3, 0)); f.emit(op.f64Store, ...memarg(3, c * 8));
        });
      }
      f.get(P.dst); f.i32(NR * 8); f.add(); f.set(P.dst);
      f.bump(L.q, P.srs);
      f.decrements(L.cnt);
    });
    f.bump(L.col, L.panel);
    f.increments(L.jb, P.nb);
  });
  return f.body();
}

/** The module bytes: gemm, packContiguous, packStrided, and the memory they share. */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  const fnType = (params: number): number[] => [0x60, ...vec(new Array<number[]>(params).fill([I32])), 0];
  const bodies = [gemmBody(), packBody(true), packBody(false)];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([fnType(12), fnType(6)])), // (i32 ×12) → (), (i32 ×6) → ()
    ...section(3, vec([[0], [1], [1]])),
    ...section(5, vec([[0x00, 1]])), // memory: 1 page to start, grown on demand
    ...section(7, vec([[...name('gemm'), 0x00, 0], [...name('packContiguous'), 0x00, 1], [...name('packStrided'), 0x00, 2], [...name('memory'), 0x02, 0]])),
    ...section(10, vec(bodies.map((b) => [...uleb(b.length), ...b]))),
  ]);
}

/** Compiles the module, or returns null where WebAssembly or its SIMD proposal is unavailable. */
export function createWasmGemm(): WasmGemm | null {
  if (typeof WebAssembly === 'undefined') return null;
  let memory: WebAssembly.Memory;
  let gemm: (...args: number[]) => void, packContiguous: typeof gemm, packStrided: typeof gemm;
  try {
    const bytes = gemmModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    memory = instance.exports.memory as WebAssembly.Memory;
    gemm = instance.exports.gemm as typeof gemm;
    packContiguous = instance.exports.packContiguous as typeof gemm;
    packStrided = instance.exports.packStrided as typeof gemm;
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
    gemm: (a, sa, spa, sap, b, spb, sbp, c, ldc, mb, nb, k) => gemm(a * 8, sa * 8, spa * 8, sap * 8, b * 8, spb * 8, sbp * 8, c * 8, ldc * 8, mb, nb, k),
    pack: (src, srs, scs, dst, nb, k) => (scs === 1 ? packContiguous : packStrided)(src * 8, srs * 8, scs * 8, dst * 8, nb, k),
  };
}
