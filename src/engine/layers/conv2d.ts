/**
 * The 2-D convolution, as PyTorch's Conv2d (a cross-correlation): for each example,
 *   z[o][y][x] = Σ_c Σ_i Σ_j W[o][c][i][j] · a[c][y·sh − ph + i][x·sw − pw + j] + b[o]
 * with zeros outside the input. It runs as a dense layer over patches (im2col): each output
 * position's receptive field is one column of `col` (K × N·P, K = C·kh·kw), so
 *   forward   z = W · col               (a dense layer's forward over N·P "examples")
 *   weights   ∂L/∂W = δ · colᵀ          (summed over positions and examples by the product)
 *   input     ∂L/∂col = Wᵀ · δ, scattered back onto the input (col2im): the full convolution
 *             of δ with the rotated kernels.
 * The forward pass hands `col` to the backward pass of the same step, which else rebuilds it.
 * W is out × in × kh × kw; as a matrix its rows are the output channels (out × K), which is the
 * same row-major data, so the three products go straight to the GEMM.
 */
import { Conv2dSpec } from '../network';
import { matmulAB, matmulABt, matmulAtB } from '../matmul';
import { Matrix, shapeOf, shapeText, shaped } from '../tensor';
import { LayerKind, ShapeResult } from './kind';
import { ConvGeometry, convBackwardWasm, convForwardWasm, patchRows, patchesTs } from '../kernels/conv';

/** Every size a convolution of this input needs. */
interface Geometry extends ConvGeometry {
  /** Output positions per example, Ho·Wo. */
  readonly P: number;
  /** Patch length, C·kh·kw. */
  readonly K: number;
}

/** Output size along one axis: ⌊(n + 2p − k) / s⌋ + 1, as PyTorch (no dilation). */
export function outputSize(n: number, k: number, s: number, p: number): number {
  return Math.floor((n + 2 * p - k) / s) + 1;
}

/** out, in, kh, kw of the kernels. */
export function kernelShape(layer: Conv2dSpec): readonly [number, number, number, number] {
  const s = shapeOf(layer.W);
  return [s[0] ?? 0, s[1] ?? 0, s[2] ?? 1, s[3] ?? 1];
}

function geometry(layer: Conv2dSpec, x: Matrix): Geometry {
  const [N, C, H, W] = shapeOf(x);
  const [O, , kh, kw] = kernelShape(layer);
  const [sh, sw] = layer.stride,
    [ph, pw] = layer.padding;
  const Ho = outputSize(H, kh, sh, ph),
    Wo = outputSize(W, kw, sw, pw);
  return { N, C, H, W, O, kh, kw, sh, sw, ph, pw, Ho, Wo, P: Ho * Wo, K: C * kh * kw };
}

/**
 * The receptive fields, one column per output position: K × (N·P), row k = (c, i, j) holding
 * a[n][c][y·sh − ph + i][x·sw − pw + j] for every (n, y, x), zeros where the window overhangs.
 * Laid out this way each row is filled by contiguous runs along x, and the forward product
 * W · col comes out channel by channel. (The TypeScript kernel's; the wasm one makes it in place.)
 */
function im2col(x: Float64Array, g: Geometry): Float64Array {
  const col = new Float64Array(g.K * g.N * g.P);
  patchesTs(x, col, patchRows(g, 0, 0, g.N * g.P), false);
  return col;
}

/** The adjoint of im2col: each patch entry's gradient added back onto the input entry it was read from. */
function col2im(dcol: Float64Array, g: Geometry): Float64Array {
  const dx = new Float64Array(g.N * g.C * g.H * g.W);
  patchesTs(dx, dcol, patchRows(g, 0, 0, g.N * g.P), true);
  return dx;
}

/** [n][o][p] ↔ [o][n][p]: a batch's channels first, or each channel's examples side by side. */
function swapOuter(from: Float64Array, A: number, B: number, P: number): Float64Array {
  const to = new Float64Array(from.length);
  for (let a = 0; a < A; a++)
    for (let b = 0; b < B; b++) to.set(from.subarray((a * B + b) * P, (a * B + b + 1) * P), (b * A + a) * P);
  return to;
}

function pairText(p: readonly [number, number]): string {
  return p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`;
}

export const conv2d: LayerKind<Conv2dSpec> = {
  type: 'conv2d',
  hasParameters: true,
  outputShape(layer, input): ShapeResult {
    const [O, Cin, kh, kw] = kernelShape(layer);
    if (input.length !== 3)
      return {
        error: `a conv2d layer takes images C×H×W, but a vector of ${input[0]} units arrives`,
        key: 'layer',
        expected: [Cin, kh, kw],
      };
    const [C, H, W] = input;
    if (C !== Cin)
      return {
        error: `${C} channel${C === 1 ? '' : 's'} arrive (${shapeText(input)}) but W takes ${Cin} (W is ${shapeText([O, Cin, kh, kw])}, out×in×kh×kw)`,
        key: 'W',
        expected: [O, C, kh, kw],
      };
    const [sh, sw] = layer.stride,
      [ph, pw] = layer.padding;
    if (H + 2 * ph < kh || W + 2 * pw < kw)
      return {
        error: `the ${kh}×${kw} kernel is larger than the ${H}×${W} input${ph || pw ? ` padded by ${pairText(layer.padding)}` : ''}`,
        key: 'W',
      };
    return { shape: [O, outputSize(H, kh, sh, ph), outputSize(W, kw, sw, pw)] };
  },
  cost(layer, input) {
    const r = conv2d.outputShape(layer, input);
    return 'shape' in r ? r.shape[1] * r.shape[2] * layer.W.data.length : 0;
  },
  forward(layer, p, x, keep) {
    const g = geometry(layer, x);
    const { N, O, P, K } = g;
    // W (O × K) · col (K × N·P): each output channel's values for every example side by side.
    let zc = convForwardWasm(g, x.data, p.W.data);
    if (!zc) {
      const col = im2col(x.data, g);
      if (keep) keep.saved = col;
      zc = matmulAB(p.W, { rows: K, cols: N * P, data: col }).data;
    }
    const z = swapOuter(zc, O, N, P);
    const b = p.b;
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++) {
        const bo = b[o];
        for (let q = (n * O + o) * P, end = q + P; q < end; q++) z[q] += bo;
      }
    return shaped([N, O, g.Ho, g.Wo], z);
  },
  backward(layer, p, x, delta, saved) {
    const g = geometry(layer, x);
    const { N, O, P, K } = g;
    // δ as the forward product made z: one row per output channel, the examples side by side.
    const dc: Matrix = { rows: O, cols: N * P, data: swapOuter(delta.data, N, O, P) };
    const db = new Float64Array(O);
    for (let o = 0; o < O; o++) {
      let s = 0;
      for (let q = o * N * P, end = q + N * P; q < end; q++) s += dc.data[q];
      db[o] = s;
    }
    const inWasm = convBackwardWasm(g, x.data, p.W.data, dc.data);
    if (inWasm) return { dW: shaped(shapeOf(p.W), inWasm.dW), db, dx: shaped(shapeOf(x), inWasm.dx) };
    const col: Matrix = {
      rows: K,
      cols: N * P,
      data: saved instanceof Float64Array && saved.length === K * N * P ? saved : im2col(x.data, g),
    };
    const dW = matmulABt(dc, col);
    const dcol = matmulAtB(p.W, dc);
    return {
      dW: shaped(shapeOf(p.W), dW.data),
      db,
      dx: shaped(shapeOf(x), col2im(dcol.data, g)),
    };
  },
};
