/**
 * What the engine runs: a fully resolved network in one canonical layout, whatever the model
 * file's convention. A dense W^l is n_l × n_(l-1) ("out_in"), batches are examples-as-rows
 * (N × n, or N×C×H×W for images, see Matrix.shape); a conv2d W is out×in×kh×kw.
 * The model layer (src/model) converts to and from the file's own layout.
 */
import { Matrix } from './tensor';

export const LAYER_TYPES = ['dense', 'conv2d', 'maxpool2d', 'avgpool2d', 'flatten'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

export const ACTIVATIONS = [
  'identity',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'softplus',
  'square',
  'softmax',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const LOSSES = [
  'sse',
  'half_sse',
  'mse',
  'cross_entropy',
  'binary_cross_entropy',
  'hinge',
  'max_margin',
] as const;
export type LossName = (typeof LOSSES)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export type OptimizerSpec =
  | { readonly type: 'sgd'; readonly lr: number }
  | { readonly type: 'momentum'; readonly lr: number; readonly momentum: number }
  | {
      readonly type: 'adam';
      readonly lr: number;
      readonly beta1: number;
      readonly beta2: number;
      readonly eps: number;
    };

/** [vertical, horizontal]: a kernel's kh, kw; a stride's sh, sw; a padding's ph, pw. */
export type Pair = readonly [number, number];

/** What every kind of layer has: parameters (empty for pooling and flatten) and an activation. */
interface LayerBase {
  /** dense: n_out × n_in; conv2d: out×in×kh×kw (rows = out); empty (0×0) without parameters. */
  readonly W: Matrix;
  /** One per output unit (dense) or output channel (conv2d); empty without parameters. */
  readonly b: Float64Array;
  /** identity for pooling and flatten. */
  readonly activation: ActivationName;
}

/** z = a W^T + b over examples as rows (the default kind: `type` may be left out). */
export interface DenseSpec extends LayerBase {
  readonly type?: 'dense';
}

/** Cross-correlation as PyTorch's Conv2d: z[o] = Σ_c W[o][c] ⋆ a[c] + b[o], zero padding. */
export interface Conv2dSpec extends LayerBase {
  readonly type: 'conv2d';
  readonly stride: Pair;
  readonly padding: Pair;
}

/** Max or average over kh×kw windows, channel by channel; no parameters, no padding. */
export interface Pool2dSpec extends LayerBase {
  readonly type: 'maxpool2d' | 'avgpool2d';
  readonly kernel: Pair;
  readonly stride: Pair;
}

/** C×H×W → C·H·W per example, channel-major (PyTorch's order); no parameters. */
export interface FlattenSpec extends LayerBase {
  readonly type: 'flatten';
}

export type LayerSpec = DenseSpec | Conv2dSpec | Pool2dSpec | FlattenSpec;

/** The kind of a layer (dense when not said). */
export function layerType(l: { readonly type?: LayerType }): LayerType {
  return l.type ?? 'dense';
}

export interface NetworkSpec {
  /** N × n_0: one row per example. */
  readonly input: Matrix;
  /** N × n_L. */
  readonly target: Matrix;
  readonly layers: readonly LayerSpec[];
  readonly loss: LossName;
  /** hinge's margin, max_margin's Δ (default 1). */
  readonly margin?: number;
  readonly optimizer: OptimizerSpec;
  /** λ of the L2 term λ Σ W² (weights only). */
  readonly l2: number;
  /** Training steps to run, each on the whole batch. */
  readonly steps: number;
}

/** Weights plus biases: (n_in + 1) · n_out for a dense layer, out·(in·kh·kw + 1) for conv2d, 0 for pooling and flatten. */
export function parameterCount(layer: { readonly W: Matrix; readonly b: Float64Array }): number {
  return layer.W.data.length + layer.b.length;
}
