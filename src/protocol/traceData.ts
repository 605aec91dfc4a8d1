/**
 * The trace as it crosses to the panel, one schema per piece. Where the engine has the type
 * (Matrix, TraceEvent, HealthIssue, its step records, gradient-check rows, equations), the schema
 * is checked against that type at compile time; the panel's own pieces (the document summary,
 * the hand-derived checks) take their types from their schemas.
 *
 * Numbers cross as Float64Arrays: VS Code (≥ 1.57) and structured clone both move typed arrays as
 * binary, so a 784×128 weight matrix is one 800 kB buffer, not a 2 MB JSON string. Matrices are
 * in the engine's layout (W out × in, batches one row per example); the panel re-orients them for
 * the file's convention, as the equations do.
 */
import * as v from 'valibot';
import type { EventEquations } from '../report/equations';
import type { GradCheckEntry, GradCheckResult } from '../engine/gradcheck';
import { ACTIVATIONS, LAYER_TYPES, LOSSES } from '../engine/network';
import type { Matrix } from '../engine/tensor';
import type {
  BackwardRecord,
  ForwardRecord,
  HealthIssue,
  HealthKind,
  LossRecord,
  StepRecord,
  TraceEvent,
  TraceEventKind,
  UpdateRecord,
} from '../engine/trace';
import { BatchLayout, Convention, EXPECT_KEYS, ExpectKey } from '../model/types';
import { allOf, bool, DeepReadonly, f64, int, list, num, oneOf, record, refined, str } from './validation';

export const TRACE_EVENT_KINDS = allOf<TraceEventKind>()(['forward', 'loss', 'backward', 'update']);
const HEALTH_KINDS = allOf<HealthKind>()([
  'non_finite',
  'saturation',
  'dead_relu',
  'vanishing_gradient',
  'exploding_gradient',
]);
const SEVERITIES = allOf<HealthIssue['severity']>()(['error', 'warning']);
const PARAMETERS = allOf<GradCheckEntry['param']>()(['W', 'b']);
const CONVENTIONS = allOf<Convention>()(['out_in', 'in_out']);
const BATCH_LAYOUTS = allOf<BatchLayout>()(['rows', 'columns']);
const CHECK_KEYS = allOf<ExpectKey>()([...EXPECT_KEYS, 'loss']);

export const matrix: v.GenericSchema<unknown, Matrix> = refined(record({ rows: int(), cols: int(), data: f64 }), {
  at: 'data',
  ok: (m) => m.data.length === m.rows * m.cols,
  want: (m) => `${m.rows * m.cols} entries`,
});

export const traceEvent: v.GenericSchema<unknown, TraceEvent> = refined(
  record({ step: int(1), kind: oneOf(TRACE_EVENT_KINDS), layer: int() }),
  {
    at: 'layer',
    ok: (e) => (e.kind === 'loss') === (e.layer === 0),
    want: (e) => (e.kind === 'loss' ? '0 for the loss' : 'an integer ≥ 1'),
  },
);

const healthIssue: v.GenericSchema<unknown, HealthIssue> = record({
  kind: oneOf(HEALTH_KINDS),
  severity: oneOf(SEVERITIES),
  step: int(1),
  layer: int(),
  quantity: str,
  message: str,
});

const equations: v.GenericSchema<unknown, EventEquations> = record({
  title: str,
  lines: list(record({ text: str, latex: str })),
});

/** One recorded step: the engine's records less what the panel does not draw (names, optimizer state), plus its events' equations. */
export type StepData = Omit<StepRecord, 'forward' | 'loss' | 'backward' | 'update'> & {
  /** Indexed by layer − 1. */
  readonly forward: readonly Pick<ForwardRecord, 'z' | 'a'>[];
  readonly loss: Omit<LossRecord, 'loss'>;
  /** Indexed by layer − 1 (events visit L..1). */
  readonly backward: readonly Omit<BackwardRecord, 'layer'>[];
  /** Indexed by layer − 1. */
  readonly update: readonly Omit<UpdateRecord, 'layer' | 'state'>[];
  /** One per event of the step, in event order: forward 1..L, loss, backward L..1, update 1..L. */
  readonly equations: readonly EventEquations[];
};

export const stepData: v.GenericSchema<unknown, StepData> = refined(
  record({
    step: int(1),
    input: matrix,
    target: matrix,
    forward: list(record({ z: matrix, a: matrix })),
    loss: record({ value: num, dataTerm: num, l2Term: num, dA: matrix, fused: bool }),
    backward: list(record({ dA: matrix, sigmaPrime: v.nullable(matrix), delta: matrix, dW: matrix, db: f64 })),
    inputGrad: matrix,
    update: list(record({ W: matrix, b: f64, WNext: matrix, bNext: f64 })),
    equations: list(equations),
  }),
  {
    at: 'backward',
    ok: (s) => s.backward.length === s.forward.length,
    want: (s) => `${s.forward.length} records, one per layer`,
  },
  {
    at: 'update',
    ok: (s) => s.update.length === s.forward.length,
    want: (s) => `${s.forward.length} records, one per layer`,
  },
  {
    at: 'equations',
    ok: (s) => s.equations.length === 3 * s.forward.length + 1,
    want: (s) => `${3 * s.forward.length + 1} events`,
  },
);

/** One hand-derived `expect` value and whether the trace agrees. */
const check = refined(
  record({
    /** Index into the model's expectations (to reveal it in the file). */
    index: int(),
    step: int(1),
    /** 1-based layer, 0 for the file-level block. */
    layer: int(),
    /** The event that computes the value: where the panel shows the check. */
    event: traceEvent,
    key: oneOf(CHECK_KEYS),
    /** How the value is named: z¹, W²', ∂L/∂a², L. */
    symbol: str,
    ok: bool,
    /** One line per finding (each wrong entry, or why nothing could be compared). */
    message: str,
    /**
     * Entries that disagree, in the engine's layout of the quantity: [example, unit] for batch
     * values, [out, in] for W-shaped ones, [0, unit] for vectors, [0, 0] for the loss.
     */
    wrong: list(v.strictTuple([int(), int()], 'expected an [i, j] pair')),
    /** What the user wrote at each entry of `wrong`, in the same order (the panel labels the entry with it). */
    written: list(num),
  }),
  {
    at: 'written',
    ok: (c) => c.written.length === c.wrong.length,
    want: (c) => `${c.wrong.length} numbers, one per wrong entry`,
  },
);
export type WireCheck = DeepReadonly<v.InferOutput<typeof check>>;

/** A gradient-check row as it crosses to the panel (the engine's entry, less absError and tolerance). */
export type WireGradCheckEntry = Omit<GradCheckEntry, 'absError' | 'tolerance'>;
export type WireGradCheck = Pick<GradCheckResult, 'epsilon' | 'checked' | 'total' | 'maxRelError' | 'ok'> & {
  readonly entries: readonly WireGradCheckEntry[];
};

const gradCheck: v.GenericSchema<unknown, WireGradCheck> = record({
  epsilon: num,
  checked: int(),
  total: int(),
  maxRelError: num,
  ok: bool,
  entries: list(
    record({
      layer: int(1),
      param: oneOf(PARAMETERS),
      i: int(),
      j: int(),
      analytic: num,
      numeric: num,
      relError: num,
      ok: bool,
      kink: v.optional(str),
    }),
  ),
});

const pair = v.strictTuple([int(1), int(1)], 'expected a [rows, columns] pair');
const padding = v.strictTuple([int(), int()], 'expected a [rows, columns] pair');

/** A layer's kind and shapes ([n] for units, [C, H, W] for images), and a window's geometry for conv2d and pooling. */
const layerShape = record({
  type: oneOf(LAYER_TYPES),
  inShape: list(int(1)),
  outShape: list(int(1)),
  kernel: v.nullable(pair),
  stride: v.nullable(pair),
  padding: v.nullable(padding),
});
export type WireLayer = DeepReadonly<v.InferOutput<typeof layerShape>>;

/** What the panel knows of a model file's analysis before it asks for any step. */
export const documentData = refined(
  record({
    /** Bumped by the host for every new trace or setting; stale requests and replies are dropped. */
    revision: int(),
    uri: str,
    fileName: str,
    name: str,
    convention: oneOf(CONVENTIONS),
    /** How the file writes a batch (x, t and the expect values): the panel draws x, a, z, δ the same way. */
    batchLayout: oneOf(BATCH_LAYOUTS),
    /** n_0, n_1, …, n_L. */
    widths: v.pipe(list(int(1)), v.minLength(2, 'expected at least an input and one layer')),
    /** Per layer 1..L. */
    activations: list(oneOf(ACTIVATIONS)),
    /** Per layer 1..L: its kind and shapes (the step's matrices are flat: N × C·H·W for images). */
    layers: list(layerShape),
    loss: oneOf(LOSSES),
    /** e.g. "SGD, α = 0.01". */
    optimizer: str,
    /** Examples in the batch. */
    batch: int(1),
    /** Loss per recorded step. */
    losses: v.pipe(f64, v.minLength(1, 'expected at least one step')),
    parameterCounts: list(int()),
    health: list(healthIssue),
    checks: list(check),
    gradcheck: v.nullable(gradCheck),
    stoppedEarly: v.nullable(str),
    /** A linear-regression network's closed form (lecture note 000): W* out × in, b*, L*, ‖θ_t − θ*‖ per step. */
    leastSquares: v.optional(
      v.nullable(record({ W: matrix, b: f64, loss: num, distances: f64, warning: v.nullable(str) })),
    ),
  }),
  {
    at: 'activations',
    ok: (d) => d.activations.length === d.widths.length - 1,
    want: (d) => `${d.widths.length - 1} entries, one per layer`,
  },
  {
    at: 'layers',
    ok: (d) => d.layers.length === d.widths.length - 1,
    want: (d) => `${d.widths.length - 1} entries, one per layer`,
  },
);
export type DocumentData = DeepReadonly<v.InferOutput<typeof documentData>>;
