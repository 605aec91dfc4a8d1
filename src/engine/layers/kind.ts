/**
 * What a kind of layer is to the engine (tfjs-core's kernel configs, micrograd's backward beside
 * forward): its shape rule, its forward, its backward and its parameters, in one module per kind,
 * registered from one list (registry.ts). run.ts, the gradient check and the model's shape
 * inference go through it and never ask which kind they hold.
 */
import { BranchRule } from '../branches';
import { LayerSpec, LayerType } from '../network';
import { Matrix } from '../tensor';

/** A layer's parameters at one point of training (empty for layers without any). */
export interface Params {
  readonly W: Matrix;
  readonly b: Float64Array;
}

/** Which key of the layer a shape mismatch is about, so the model file can point at it. */
export type ShapeKey = 'W' | 'b' | 'kernel' | 'stride' | 'padding' | 'layer';

/** A shape rule's verdict: one example's output shape, or what does not fit and where. */
export type ShapeResult =
  | { readonly shape: readonly number[] }
  | { readonly error: string; readonly key: ShapeKey; readonly expected?: readonly number[] };

/** Where a forward pass leaves what its backward pass may reuse; never part of the trace. */
export interface Keep {
  saved?: unknown;
}

export interface LayerGradients {
  /** ∂L/∂W, W's shape. */
  readonly dW: Matrix;
  /** ∂L/∂b, one per output unit or channel. */
  readonly db: Float64Array;
  /** ∂L/∂x: the gradient with respect to the layer's input, the input's shape. */
  readonly dx: Matrix;
}

export interface LayerKind<S extends LayerSpec = LayerSpec> {
  readonly type: LayerType;
  /** Whether the layer has W and b for the optimizer. */
  readonly hasParameters: boolean;
  /** One example's output shape from one example's input shape ([n] or [C, H, W]). */
  outputShape(layer: S, input: readonly number[]): ShapeResult;
  /** Multiply-adds of one example's forward pass (the editor's estimate of a run's cost). */
  cost(layer: S, input: readonly number[]): number;
  /**
   * z from the input x (N examples, x.shape for images), at parameters p. What the backward pass
   * can reuse (a convolution's patches, max pooling's winners) goes into `keep.saved`.
   */
  forward(layer: S, p: Params, x: Matrix, keep?: Keep): Matrix;
  /**
   * ∂L/∂W, ∂L/∂b and ∂L/∂x from δ = ∂L/∂z, the input x and the parameters p the forward pass
   * used; `saved` is what that forward pass kept (recomputed when absent).
   */
  backward(layer: S, p: Params, x: Matrix, delta: Matrix, saved?: unknown): LayerGradients;
  /**
   * The forward pass's branch decisions over the layer's input x (max pooling's argmax), for the
   * gradient check (branches.ts): a perturbation that changes them crosses a kink. Absent where
   * the layer is smooth.
   */
  branches?(layer: S): BranchRule<Matrix>;
}
