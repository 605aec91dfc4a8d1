/**
 * Pooling over kh×kw windows, each channel on its own, no padding, as PyTorch's MaxPool2d and
 * AvgPool2d: z[c][y][x] = max (or mean) of a[c][y·sh + i][x·sw + j]. No parameters.
 * Max pooling sends each δ to the first maximum of its window in row-major order (PyTorch's
 * choice for ties; a NaN wins, as there); the backward finds it again from the input.
 */
import { Pool2dSpec } from '../network';
import { Matrix, shapeOf, shapeText, shaped } from '../tensor';
import { LayerGradients, LayerKind, Params, ShapeResult } from './kind';
import { outputSize } from './conv2d';

interface Windows {
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly Ho: number;
  readonly Wo: number;
}

function windows(layer: Pool2dSpec, x: Matrix): Windows {
  const [N, C, H, W] = shapeOf(x);
  const [kh, kw] = layer.kernel,
    [sh, sw] = layer.stride;
  return { N, C, H, W, kh, kw, sh, sw, Ho: outputSize(H, kh, sh, 0), Wo: outputSize(W, kw, sw, 0) };
}

/** Index into x of every window's top-left entry, in z's order. */
function windowStarts(g: Windows): Int32Array {
  const { N, C, H, W, sh, sw, Ho, Wo } = g;
  const at = new Int32Array(N * C * Ho * Wo);
  let o = 0;
  for (let nc = 0; nc < N * C; nc++)
    for (let oy = 0; oy < Ho; oy++) for (let ox = 0; ox < Wo; ox++) at[o++] = nc * H * W + oy * sh * W + ox * sw;
  return at;
}

/** Index into x of the first maximum of every window (row-major; a NaN wins), in z's order. */
function argmax(x: Float64Array, g: Windows): Int32Array {
  const { W, kh, kw } = g;
  const at = windowStarts(g);
  for (let o = 0; o < at.length; o++) {
    let best = at[o];
    let max = x[best];
    for (let i = 0; i < kh; i++) {
      const r = at[o] + i * W;
      for (let j = 0; j < kw; j++) {
        const v = x[r + j];
        if (v > max || v !== v) {
          max = v;
          best = r + j;
        }
      }
    }
    at[o] = best;
  }
  return at;
}

function shapeRule(layer: Pool2dSpec, input: readonly number[]): ShapeResult {
  const [kh, kw] = layer.kernel,
    [sh, sw] = layer.stride;
  if (input.length !== 3)
    return {
      error: `a ${layer.type} layer takes images C×H×W, but a vector of ${input[0]} units arrives`,
      key: 'layer',
    };
  const [C, H, W] = input;
  if (H < kh || W < kw)
    return { error: `the ${kh}×${kw} window is larger than the ${H}×${W} input (${shapeText(input)})`, key: 'kernel' };
  return { shape: [C, outputSize(H, kh, sh, 0), outputSize(W, kw, sw, 0)] };
}

/** A pooling layer's gradients: its (empty) parameters have none, its input gets dx. */
function inputOnly(p: Params, x: Matrix, dx: Float64Array): LayerGradients {
  return { dW: p.W, db: p.b, dx: shaped(shapeOf(x), dx) };
}

/** One look at each input of each window. */
function poolCost(layer: Pool2dSpec, input: readonly number[]): number {
  const r = shapeRule(layer, input);
  return 'shape' in r ? r.shape[0] * r.shape[1] * r.shape[2] * layer.kernel[0] * layer.kernel[1] : 0;
}

export const maxpool2d: LayerKind<Pool2dSpec> = {
  type: 'maxpool2d',
  hasParameters: false,
  outputShape: shapeRule,
  cost: poolCost,
  forward(layer, _p, x, keep) {
    const g = windows(layer, x);
    const at = argmax(x.data, g);
    const z = new Float64Array(at.length);
    for (let o = 0; o < at.length; o++) z[o] = x.data[at[o]];
    if (keep) keep.saved = at;
    return shaped([g.N, g.C, g.Ho, g.Wo], z);
  },
  backward(layer, p, x, delta, saved) {
    const at =
      saved instanceof Int32Array && saved.length === delta.data.length ? saved : argmax(x.data, windows(layer, x));
    const dx = new Float64Array(x.data.length);
    const D = delta.data;
    for (let o = 0; o < at.length; o++) dx[at[o]] += D[o];
    return inputOnly(p, x, dx);
  },
  branches: (layer) => ({
    op: 'maxpool2d',
    decide: (x) => argmax(x.data, windows(layer, x)),
    describe: (x, i, l) => {
      const { C, Ho, Wo } = windows(layer, x);
      const P = Ho * Wo;
      const c = Math.floor(i / P) % C;
      return `the winner of window (${Math.floor((i % P) / Wo) + 1}, ${(i % Wo) + 1}) of channel ${c + 1} of layer ${l}${x.rows > 1 ? `, example ${Math.floor(i / (C * P)) + 1}` : ''}`;
    },
  }),
};

export const avgpool2d: LayerKind<Pool2dSpec> = {
  type: 'avgpool2d',
  hasParameters: false,
  outputShape: shapeRule,
  cost: poolCost,
  forward(layer, _p, x) {
    const g = windows(layer, x);
    const { W, kh, kw } = g;
    const X = x.data;
    const at = windowStarts(g);
    const z = new Float64Array(at.length);
    const scale = 1 / (kh * kw);
    for (let o = 0; o < at.length; o++) {
      let s = 0;
      for (let i = 0; i < kh; i++) for (let j = 0, r = at[o] + i * W; j < kw; j++) s += X[r + j];
      z[o] = s * scale;
    }
    return shaped([g.N, g.C, g.Ho, g.Wo], z);
  },
  backward(layer, p, x, delta) {
    const g = windows(layer, x);
    const { W, kh, kw } = g;
    const at = windowStarts(g);
    const dx = new Float64Array(x.data.length);
    const scale = 1 / (kh * kw);
    for (let o = 0; o < at.length; o++) {
      const d = delta.data[o] * scale;
      for (let i = 0; i < kh; i++) for (let j = 0, r = at[o] + i * W; j < kw; j++) dx[r + j] += d;
    }
    return inputOnly(p, x, dx);
  },
};
