/**
 * A convolution's products where its patch matrix is made: in the WebAssembly memory, so the
 * patches (im2col), the packed panels the GEMM reads, the products and the scatter back onto
 * the image (col2im) never cross into JavaScript arrays — only the image, the kernels, δ and the
 * results do. conv2d.ts falls back to its own loops and matmul.ts where there is no wasm.
 *
 * Shapes (elements): x is N×C×H×W, W is O×K with K = C·kh·kw, the patch matrix K × N·P with
 * P = Ho·Wo (row k = kernel entry (c, i, j), one column per output position of every example).
 */
import { MR, NR, PatchRow, WasmGemm } from './wasmGemm';
import { wasmKernel } from './gemm';

export interface ConvGeometry {
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly O: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly Ho: number;
  readonly Wo: number;
}

const up4 = (x: number): number => Math.ceil(x / 4) * 4;
const even = (x: number): number => x + (x & 1); // 16-byte aligned regions

/** Where kernel entry (c, i, j) reads the image at `x`, its patch row at `col` + k·ld (elements). */
export function patchRows(g: ConvGeometry, x: number, col: number, ld: number): PatchRow[] {
  const { N, C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo } = g;
  const out: PatchRow[] = [];
  for (let c = 0; c < C; c++)
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++) {
        const k = (c * kh + i) * kw + j;
        out.push({
          src: x + c * H * W,
          dst: col + k * ld,
          n: N,
          xn: C * H * W,
          ho: Ho,
          wo: Wo,
          yb: (i - ph) * W,
          sy: sh * W,
          // Output rows and columns whose input row oy·sh − ph + i (column ox·sw − pw + j) is inside.
          ylo: Math.max(0, Math.ceil((ph - i) / sh)),
          yhi: Math.min(Ho, Math.floor((H - 1 + ph - i) / sh) + 1),
          lo: Math.max(0, Math.ceil((pw - j) / sw)),
          hi: Math.max(Math.max(0, Math.ceil((pw - j) / sw)), Math.min(Wo, Math.floor((W - 1 + pw - j) / sw) + 1)),
          xs: j - pw,
          sx: sw,
        });
      }
  return out;
}

/**
 * The TypeScript kernel's patches, as the wasm module's (gemm.wat): each row from `image` into
 * `matrix`, zeros on the padding (im2col), or added back onto `image` (col2im, acc).
 */
export function patchesTs(image: Float64Array, matrix: Float64Array, rows: readonly PatchRow[], acc: boolean): void {
  for (const r of rows) {
    let d = r.dst;
    for (let e = 0; e < r.n; e++)
      for (let oy = 0; oy < r.ho; oy++, d += r.wo) {
        if (oy < r.ylo || oy >= r.yhi) continue; // a row of padding: the zeros are already there
        const q = r.src + e * r.xn + oy * r.sy + r.yb + r.xs;
        if (acc) for (let ox = r.lo; ox < r.hi; ox++) image[q + ox * r.sx] += matrix[d + ox];
        else for (let ox = r.lo; ox < r.hi; ox++) matrix[d + ox] = image[q + ox * r.sx];
      }
  }
}

/** The image into the wasm memory at `xo`, and its patch matrix made at `co` (row stride ld). */
function makePatches(w: WasmGemm, g: ConvGeometry, x: Float64Array, xo: number, co: number, ld: number): void {
  w.view().set(x, xo);
  for (const r of patchRows(g, xo, co, ld)) w.patches(r, false);
}

/** The product sizes: K = C·kh·kw, N·P positions, the rows padded to whole 4-wide panels. */
function sizes(g: ConvGeometry) {
  const K = g.C * g.kh * g.kw,
    NP = g.N * g.Ho * g.Wo;
  return { K, NP, ld: up4(NP), Op: up4(g.O), Kp: up4(K) };
}

/** z as O × N·P (each channel's values for every example side by side), or null without wasm. */
export function convForwardWasm(g: ConvGeometry, x: Float64Array, W: Float64Array): Float64Array | null {
  const w = wasmKernel();
  if (!w) return null;
  const { O } = g;
  const { K, NP, ld, Op } = sizes(g);
  const nb = ld / NR,
    mb = Op / MR;
  const xo = 0,
    co = even(x.length),
    ao = co + K * ld,
    bpo = even(ao + Op * K),
    zo = bpo + nb * NR * K;
  if (!w.reserve(zo + Op * ld)) return null;
  makePatches(w, g, x, xo, co, ld);
  const F = w.view();
  F.set(W, ao);
  F.fill(0, ao + W.length, ao + Op * K);
  w.pack(co, ld, 1, bpo, nb, K);
  w.gemm(ao, K, 1, MR * K, bpo, NR, NR * K, zo, ld, mb, nb, K);
  return rowsOut(w, zo, ld, O, NP);
}

/**
 * ∂L/∂W (O × K) and ∂L/∂x (N×C×H×W) from δ as O × N·P, or null without wasm: the patches are
 * made again (cheaper here than keeping them), ∂L/∂W = δ · patchesᵀ, and Wᵀ · δ is scattered
 * back onto the image.
 */
export function convBackwardWasm(
  g: ConvGeometry,
  x: Float64Array,
  W: Float64Array,
  dc: Float64Array,
): { dW: Float64Array; dx: Float64Array } | null {
  const w = wasmKernel();
  if (!w) return null;
  const { O } = g;
  const { K, NP, ld, Op, Kp } = sizes(g);
  // Regions: image, patches (Kp rows: a 4-row panel may read past K), δ (Op rows, zero slack),
  // ∂L/∂W's panels and product, W (with a row of slack for the transposed panels), Wᵀ · δ's
  // panels and product, ∂L/∂x.
  const xo = 0,
    co = even(x.length),
    dco = co + Kp * ld,
    bp1 = dco + Op * ld,
    c1 = bp1 + (Kp / NR) * NR * NP,
    wo = even(c1 + Op * Kp),
    ap2 = even(wo + O * K + Kp),
    bp2 = ap2 + Kp * O,
    c2 = bp2 + (ld / NR) * NR * O,
    dxo = c2 + Kp * ld;
  if (!w.reserve(dxo + x.length)) return null;
  makePatches(w, g, x, xo, co, ld);
  let F = w.view();
  for (let o = 0; o < O; o++) F.set(dc.subarray(o * NP, (o + 1) * NP), dco + o * ld);
  F.fill(0, dco + O * ld, dco + Op * ld);
  // ∂L/∂W = δ (O × NP, rows read in place) · patchesᵀ: B(p, j) = patches[j][p], packed from columns.
  w.pack(co, 1, ld, bp1, Kp / NR, NP);
  w.gemm(dco, ld, 1, MR * ld, bp1, NR, NR * NP, c1, Kp, Op / MR, Kp / NR, NP);
  const dW = new Float64Array(O * K);
  F = w.view();
  for (let o = 0; o < O; o++) dW.set(F.subarray(c1 + o * Kp, c1 + o * Kp + K), o * K);
  // Wᵀ · δ: A(k, o) = W[o][k] packed into 4-row panels, B = δ's rows.
  F.set(W, wo);
  F.fill(0, wo + O * K, wo + O * K + Kp);
  w.pack(wo, K, 1, ap2, Kp / MR, O);
  w.pack(dco, ld, 1, bp2, ld / NR, O);
  w.gemm(ap2, 1, MR, MR * O, bp2, NR, NR * O, c2, ld, Kp / MR, ld / NR, O);
  F = w.view();
  F.fill(0, dxo, dxo + x.length);
  for (const r of patchRows(g, dxo, c2, ld)) w.patches(r, true);
  F = w.view();
  return { dW, dx: F.slice(dxo, dxo + x.length) };
}

/** The first `rows` rows of `cols` entries of a product at `at` (row stride ld), as a fresh array. */
function rowsOut(w: WasmGemm, at: number, ld: number, rows: number, cols: number): Float64Array {
  const F = w.view();
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(F.subarray(at + r * ld, at + r * ld + cols), r * cols);
  return out;
}
