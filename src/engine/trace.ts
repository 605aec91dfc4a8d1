/**
 * The trace of training: plain, serialisable records (in the spirit of tfjs-core's tape), one
 * per step, holding every value a view needs. Values are never mutated after they are recorded:
 * an update makes new W and b, so "before" and "after" are just two references.
 */
import { Matrix } from './tensor';
import { ActivationName, LayerType, LossName, OptimizerSpec, Pair } from './network';

/** A layer as the views need to know it: kind, hyperparameters and the shapes in and out (one example). */
export interface LayerInfo {
  readonly type: LayerType;
  readonly activation: ActivationName;
  /** [n] for units, [C, H, W] for images. */
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  /** kh, kw of conv2d and pooling. */
  readonly kernel?: Pair;
  readonly stride?: Pair;
  readonly padding?: Pair;
}

export interface ForwardRecord {
  /** 1-based layer index l. */
  readonly layer: number;
  readonly activation: ActivationName;
  /** z^l: a^(l-1) Wᵀ + b for a dense layer, N × n_l; N×C×H×W (Matrix.shape) after conv2d and pooling. */
  readonly z: Matrix;
  /** a^l = σ(z^l), z's shape. */
  readonly a: Matrix;
}

export interface LossRecord {
  readonly loss: LossName;
  /** Total L = data term + L2 term. */
  readonly value: number;
  readonly dataTerm: number;
  readonly l2Term: number;
  /** ∂L/∂a^L, N × n_L (of the data term). */
  readonly dA: Matrix;
  /** True when δ^L was computed directly from z^L (softmax + cross-entropy, sigmoid + BCE). */
  readonly fused: boolean;
  /** hinge's margin, max_margin's Δ. */
  readonly margin?: number;
}

export interface BackwardRecord {
  readonly layer: number;
  /** ∂L/∂a^l, N × n_l: (W^(l+1))ᵀ δ^(l+1) for hidden layers, the loss gradient for the last. */
  readonly dA: Matrix;
  /** σ'(z^l) element-wise, z's shape; null for softmax (a Jacobian, not element-wise) and fused outputs. */
  readonly sigmaPrime: Matrix | null;
  /** δ^l = ∂L/∂z^l, z's shape. */
  readonly delta: Matrix;
  /** ∂L/∂W^l (+ 2λW), W's shape: (δ^l)ᵀ a^(l-1), n_l × n_(l-1), for a dense layer; empty without parameters. */
  readonly dW: Matrix;
  /** ∂L/∂b^l = Σ δ^l over examples (and positions for conv2d); empty without parameters. */
  readonly db: Float64Array;
}

export interface UpdateRecord {
  readonly layer: number;
  readonly W: Matrix;
  readonly b: Float64Array;
  readonly WNext: Matrix;
  readonly bNext: Float64Array;
  /** Optimizer state after this update (momentum: v; adam: m, v), named as in the equations. */
  readonly state: Readonly<Record<string, Matrix | Float64Array>>;
}

export interface StepRecord {
  /** 1-based training step. */
  readonly step: number;
  readonly input: Matrix;
  readonly target: Matrix;
  readonly forward: readonly ForwardRecord[];
  readonly loss: LossRecord;
  /** Indexed by layer - 1 (so backward[0] is layer 1), although events visit L..1. */
  readonly backward: readonly BackwardRecord[];
  /** ∂L/∂x, the gradient with respect to the input (δ¹ W¹ for a dense first layer), the input's shape. */
  readonly inputGrad: Matrix;
  readonly update: readonly UpdateRecord[];
}

export type HealthKind = 'non_finite' | 'saturation' | 'dead_relu' | 'vanishing_gradient' | 'exploding_gradient';

export interface HealthIssue {
  readonly kind: HealthKind;
  readonly severity: 'error' | 'warning';
  readonly step: number;
  /** 1-based layer, or 0 for the loss. */
  readonly layer: number;
  /** Which recorded quantity: z, a, loss, dA, delta, dW, db, W_next, b_next. */
  readonly quantity: string;
  readonly message: string;
}

/**
 * The steps of a run, read through the trace store (src/engine/store): every loss at once, and
 * any step's records on demand — kept, or recomputed from the nearest checkpoint, bit for bit
 * those of the uninterrupted run. Steps are 1-based.
 */
export interface StepStore {
  /** Steps recorded: 1..length. */
  readonly length: number;
  /** Step n's loss, without recomputing anything (NaN outside the run). */
  loss(n: number): number;
  /** Every step's loss in order: a view, not to be modified. */
  losses(): Float64Array;
  /** Step n's records; throws a RangeError outside 1..length. */
  get(n: number): StepRecord;
  /** Marks step n as the one being looked at (its records stay at hand) and returns them. */
  focus(n: number): StepRecord;
}

export interface Trace {
  readonly optimizer: OptimizerSpec;
  readonly l2: number;
  readonly steps: StepStore;
  /** Per layer: (n_in + 1) · n_out for dense, out·(in·kh·kw + 1) for conv2d, 0 for pooling and flatten. */
  readonly parameterCounts: readonly number[];
  /** Per layer, its kind and shapes (absent in traces made by hand: every layer dense). */
  readonly layers?: readonly LayerInfo[];
  readonly totalParameters: number;
  readonly health: readonly HealthIssue[];
  /** Set when the run stopped early (non-finite loss, cancellation). */
  readonly stoppedEarly?: string;
}

export type TraceEventKind = 'forward' | 'loss' | 'backward' | 'update';

/** A position in the trace: the unit the panel, the debugger and the session step through. */
export interface TraceEvent {
  readonly step: number;
  readonly kind: TraceEventKind;
  /** 1-based layer; 0 for the loss event. */
  readonly layer: number;
}

/** "Forward, layer 2", "Loss": an event's name in every view. */
export function eventTitle(e: TraceEvent): string {
  switch (e.kind) {
    case 'forward':
      return `Forward, layer ${e.layer}`;
    case 'loss':
      return 'Loss';
    case 'backward':
      return `Backward, layer ${e.layer}`;
    case 'update':
      return `Update, layer ${e.layer}`;
  }
}

/** The events of one step in order: forward 1..L, loss, backward L..1, update 1..L. */
export function eventsOfStep(step: number, layers: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let l = 1; l <= layers; l++) out.push({ step, kind: 'forward', layer: l });
  out.push({ step, kind: 'loss', layer: 0 });
  for (let l = layers; l >= 1; l--) out.push({ step, kind: 'backward', layer: l });
  for (let l = 1; l <= layers; l++) out.push({ step, kind: 'update', layer: l });
  return out;
}

/** Index of an event within its step (forward 1..L, loss, backward L..1, update 1..L). */
export function offsetInStep(e: TraceEvent, layers: number): number {
  switch (e.kind) {
    case 'forward':
      return e.layer - 1;
    case 'loss':
      return layers;
    case 'backward':
      return layers + 1 + (layers - e.layer);
    case 'update':
      return 2 * layers + 1 + (e.layer - 1);
  }
}

/** Index of an event in a run (3L + 1 events per step): positions are arithmetic, never a list. */
export function indexOfEvent(e: TraceEvent, layers: number): number {
  return (e.step - 1) * (3 * layers + 1) + offsetInStep(e, layers);
}

/** The event at an index of a run (the inverse of indexOfEvent). */
export function eventAt(index: number, layers: number): TraceEvent {
  const per = 3 * layers + 1;
  const step = Math.floor(index / per) + 1,
    k = index - (step - 1) * per;
  if (k < layers) return { step, kind: 'forward', layer: k + 1 };
  if (k === layers) return { step, kind: 'loss', layer: 0 };
  if (k <= 2 * layers) return { step, kind: 'backward', layer: 2 * layers + 1 - k };
  return { step, kind: 'update', layer: k - 2 * layers };
}
