/**
 * What the engine runs: a fully resolved network in one canonical layout, whatever the model
 * file's convention. W^l is n_l × n_(l-1) ("out_in"), batches are examples-as-rows (N × n).
 * The model layer (src/model) converts to and from the file's own layout.
 */
import { Matrix } from './tensor';

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

export const LOSSES = ['sse', 'half_sse', 'mse', 'cross_entropy', 'binary_cross_entropy'] as const;
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

export interface LayerSpec {
  /** n_out × n_in. */
  readonly W: Matrix;
  /** n_out. */
  readonly b: Float64Array;
  readonly activation: ActivationName;
}

export interface NetworkSpec {
  /** N × n_0: one row per example. */
  readonly input: Matrix;
  /** N × n_L. */
  readonly target: Matrix;
  readonly layers: readonly LayerSpec[];
  readonly loss: LossName;
  readonly optimizer: OptimizerSpec;
  /** λ of the L2 term λ Σ W² (weights only). */
  readonly l2: number;
  /** Training steps to run, each on the whole batch. */
  readonly steps: number;
}

/** (n_in + 1) · n_out per dense layer: weights plus biases. */
export function parameterCount(layer: { W: Matrix }): number {
  return (layer.W.cols + 1) * layer.W.rows;
}

/** Layer widths n_0, n_1, …, n_L. */
export function widths(spec: NetworkSpec): number[] {
  return [spec.input.cols, ...spec.layers.map((l) => l.W.rows)];
}
