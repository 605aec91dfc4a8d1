/**
 * The traced training loop: forward l = 1..L, loss, backward l = L..1, update l = 1..L, every
 * value recorded. Pure and synchronous; the extension runs long jobs of it in a worker.
 */
import { like as likeImported, Matrix } from './tensor';
import { activation, softmaxBackward } from './activations';
import { computeLoss, DEFAULT_MARGIN, isFused } from './losses';
import { applyOptimizer, ParamState } from './optimizers';
import { LayerSpec, NetworkSpec, parameterCount } from './network';
import { BackwardRecord, ForwardRecord, HealthIssue, StepRecord, Trace, UpdateRecord } from './trace';
import { checkStepHealth, HealthOptions } from './health';
import { estimateStepMs, planStore } from './store/plan';
import { OptimizerState, paramsAfter } from './store/records';
import { replaySteps, StepFunction, StoreData, TraceStore } from './store/traceStore';
import type { StartState } from './store/checkpoints';
import { Keep, Params } from './layers/kind';
import { describeLayers, kindOf as kindOfImported } from './layers/registry';

export type { Params };

// Local copies: in the unbundled CommonJS build (out/, what the bench and tests run) an imported
// binding is a getter call per use, which on the textbook nets cost more than their arithmetic.
const like = likeImported;
const kindOf = kindOfImported;

export interface TrainOptions {
  /** Overrides spec.steps. */
  readonly steps?: number;
  readonly health?: Partial<HealthOptions>;
  /** Polled between steps; returning true stops the run (recorded as stoppedEarly). */
  readonly shouldStop?: () => boolean;
  /** Called after each step, e.g. to report progress. */
  readonly onStep?: (step: number, loss: number) => void;
  /** Called with each step's records as it is done (a view that follows the whole run: least squares' distances). */
  readonly onRecord?: (record: StepRecord) => void;
  /** Bytes the trace store may keep (backprop.trace.memoryBudgetMB; default 256 MiB). */
  readonly memoryBudgetBytes?: number;
  /** Steps whose full records the store keeps whatever else happens (those `expect:` names). */
  readonly keepSteps?: readonly number[];
  /** K, the steps between checkpoints, instead of the one the budget gives (tests, benchmarks). */
  readonly checkpointInterval?: number;
}

function activate(layer: LayerSpec, z: Matrix): Matrix {
  // identity shares z's buffer: values are immutable once recorded, so a copy would only cost.
  if (layer.activation === 'identity') return z;
  const out = new Float64Array(z.data.length);
  activation(layer.activation).forward(z.data, out, z.cols);
  return like(z, out);
}

/**
 * Forward pass only: z and a per layer, each layer through its kind. With `keep` (one slot per
 * layer), each kind leaves there what its backward pass may reuse.
 */
export function forward(
  layers: readonly LayerSpec[],
  params: readonly Params[],
  input: Matrix,
  keep?: readonly Keep[],
): ForwardRecord[] {
  const out: ForwardRecord[] = [];
  let aPrev = input;
  for (let l = 0; l < layers.length; l++) {
    const z = kindOf(layers[l]).forward(layers[l], params[l], aPrev, keep?.[l]);
    const a = activate(layers[l], z);
    out.push({ layer: l + 1, activation: layers[l].activation, z, a });
    aPrev = a;
  }
  return out;
}

export function l2Term(l2: number, params: readonly Params[]): number {
  if (l2 === 0) return 0;
  let s = 0;
  for (const p of params) for (const w of p.W.data) s += w * w;
  return l2 * s;
}

/** The total loss at the given parameters (used by the gradient check, which may `observe` the forward pass). */
export function lossAt(
  spec: NetworkSpec,
  params: readonly Params[],
  observe?: (fwd: readonly ForwardRecord[]) => void,
): number {
  const fwd = forward(spec.layers, params, spec.input);
  observe?.(fwd);
  const last = fwd[fwd.length - 1];
  const lastAct = spec.layers[spec.layers.length - 1].activation;
  return (
    computeLoss(spec.loss, lastAct, last.z, last.a, spec.target, false, spec.margin).value + l2Term(spec.l2, params)
  );
}

function hadamard(a: Matrix, b: Matrix): Matrix {
  const out = new Float64Array(a.data.length),
    A = a.data,
    B = b.data;
  for (let i = 0; i < out.length; i++) out[i] = A[i] * B[i];
  return like(a, out);
}

/** Backward pass: δ, ∂L/∂W, ∂L/∂b per layer (indexed by layer − 1) and ∂L/∂x, each layer through its kind. */
export function backward(
  spec: NetworkSpec,
  params: readonly Params[],
  fwd: readonly ForwardRecord[],
  dAL: Matrix,
  fusedDelta: Matrix | null,
  kept?: readonly Keep[],
): { records: BackwardRecord[]; inputGrad: Matrix } {
  const L = spec.layers.length;
  const records = new Array<BackwardRecord>(L);
  // The loss sees the output flat (N × K); ∂L/∂a takes a's own shape back (an image output).
  let dA = like(fwd[L - 1].a, dAL.data);
  for (let l = L - 1; l >= 0; l--) {
    const layer = spec.layers[l];
    const { z, a } = fwd[l];
    let sigmaPrime: Matrix | null = null;
    let delta: Matrix;
    if (l === L - 1 && fusedDelta) {
      delta = fusedDelta;
    } else if (layer.activation === 'softmax') {
      const d = new Float64Array(a.data.length);
      softmaxBackward(a.data, dA.data, d, a.cols);
      delta = like(a, d);
    } else if (layer.activation === 'identity') {
      // σ' ≡ 1: record it for the equations, but δ is ∂L/∂a itself.
      sigmaPrime = like(z, new Float64Array(z.data.length).fill(1));
      delta = dA;
    } else {
      const sp = new Float64Array(z.data.length);
      activation(layer.activation).derivative!(z.data, a.data, sp);
      sigmaPrime = like(z, sp);
      delta = hadamard(dA, sigmaPrime);
    }
    const aPrev = l === 0 ? spec.input : fwd[l - 1].a;
    const g = kindOf(layer).backward(layer, params[l], aPrev, delta, kept?.[l]?.saved);
    const dW = g.dW;
    if (spec.l2 !== 0 && dW.data.length > 0) {
      const W = params[l].W.data,
        D = dW.data,
        k = 2 * spec.l2;
      for (let i = 0; i < D.length; i++) D[i] += k * W[i];
    }
    records[l] = { layer: l + 1, dA, sigmaPrime, delta, dW, db: g.db };
    dA = g.dx;
  }
  return { records, inputGrad: dA };
}

/** One full traced step at `params`; returns the record and the optimizer state to carry. */
export function tracedStep(
  spec: NetworkSpec,
  params: readonly Params[],
  step: number,
  prevState: OptimizerState,
): { record: StepRecord; state: { W: ParamState; b: ParamState }[] } {
  const keep: Keep[] = spec.layers.map(() => ({}));
  const fwd = forward(spec.layers, params, spec.input, keep);
  const L = spec.layers.length;
  const last = fwd[L - 1];
  const lastAct = spec.layers[L - 1].activation;
  const lo = computeLoss(spec.loss, lastAct, last.z, last.a, spec.target, true, spec.margin);
  const reg = l2Term(spec.l2, params);
  const { records, inputGrad } = backward(spec, params, fwd, lo.dA, lo.fusedDelta, keep);
  const update = new Array<UpdateRecord>(L);
  const state = new Array<{ W: ParamState; b: ParamState }>(L);
  for (let l = 0; l < L; l++) {
    const p = params[l];
    const uW = applyOptimizer(spec.optimizer, p.W.data, records[l].dW.data, step, prevState[l]?.W);
    const ub = applyOptimizer(spec.optimizer, p.b, records[l].db, step, prevState[l]?.b);
    state[l] = { W: uW.state, b: ub.state };
    const recorded: Record<string, Matrix | Float64Array> = {};
    for (const key of Object.keys(uW.state)) {
      recorded[`${key}_W`] = like(p.W, uW.state[key]);
      recorded[`${key}_b`] = ub.state[key];
    }
    update[l] = {
      layer: l + 1,
      W: p.W,
      b: p.b,
      WNext: like(p.W, uW.next),
      bNext: ub.next,
      state: recorded,
    };
  }
  const record: StepRecord = {
    step,
    input: spec.input,
    target: spec.target,
    forward: fwd,
    loss: {
      loss: spec.loss,
      value: lo.value + reg,
      dataTerm: lo.value,
      l2Term: reg,
      dA: like(last.a, lo.dA.data),
      fused: isFused(spec.loss, lastAct),
      ...(spec.loss === 'hinge' || spec.loss === 'max_margin' ? { margin: spec.margin ?? DEFAULT_MARGIN } : {}),
    },
    backward: records,
    inputGrad,
    update,
  };
  return { record, state };
}

/**
 * A run, one step at a time: each step is traced in full, checked for numeric health and
 * handed to the trace store, which keeps what its memory budget allows (see src/engine/store).
 * The CLI streams steps as they come; train() runs them all.
 */
export class Trainer {
  readonly total: number;
  readonly store: TraceStore;
  private params: Params[];
  private state: OptimizerState = [];
  private readonly health: HealthIssue[] = [];
  private readonly seen = new Set<string>();
  private stoppedEarly: string | undefined;
  private ended = false;

  constructor(
    private readonly spec: NetworkSpec,
    private readonly options: TrainOptions = {},
  ) {
    this.total = options.steps ?? spec.steps;
    this.params = spec.layers.map((l) => ({ W: l.W, b: l.b }));
    this.store = new TraceStore(
      spec,
      planStore(spec, this.total, options.memoryBudgetBytes, options.checkpointInterval),
      stepFunction(spec),
      options.keepSteps,
    );
  }

  /** Steps done so far. */
  get done(): number {
    return this.store.length;
  }

  get finished(): boolean {
    return this.ended;
  }

  /** Runs the next step and returns its records, or undefined once the run is over. */
  next(): StepRecord | undefined {
    const s = this.store.length + 1;
    if (this.ended || s > this.total) {
      this.ended = true;
      return undefined;
    }
    if (this.options.shouldStop?.()) {
      this.stop();
      return undefined;
    }
    this.store.beforeStep(s, this.params, this.state);
    const r = tracedStep(this.spec, this.params, s, this.state);
    this.store.add(r.record);
    this.state = r.state;
    this.params = paramsAfter(r.record);
    const issues = checkStepHealth(this.spec, r.record, this.options.health, this.seen);
    this.health.push(...issues);
    this.options.onStep?.(s, r.record.loss.value);
    this.options.onRecord?.(r.record);
    if (issues.some((i) => i.kind === 'non_finite')) {
      if (s < this.total) this.stoppedEarly = `stopped at step ${s}: a value became NaN or infinite`;
      this.ended = true;
    }
    return r.record;
  }

  /** Ends the run where it is (a cancelled run keeps the steps it finished). */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    const done = this.store.length;
    if (done < this.total) this.stoppedEarly = `cancelled after ${done} step${done === 1 ? '' : 's'}`;
  }

  /** The trace so far (all of it once the run is over). */
  trace(): Trace {
    return traceOf(this.spec, this.store, this.health, this.stoppedEarly);
  }
}

function traceOf(spec: NetworkSpec, store: TraceStore, health: readonly HealthIssue[], stoppedEarly?: string): Trace {
  const parameterCounts = spec.layers.map(parameterCount);
  return {
    optimizer: spec.optimizer,
    l2: spec.l2,
    steps: store,
    parameterCounts,
    totalParameters: parameterCounts.reduce((a, b) => a + b, 0),
    // Dense-only traces stay as they were: no layer descriptions, which views read as dense.
    ...(spec.layers.some((l) => l.type !== undefined && l.type !== 'dense') ? { layers: describeLayers(spec) } : {}),
    health,
    stoppedEarly,
  };
}

/** The step function replays use: the run's own traced step. */
function stepFunction(spec: NetworkSpec): StepFunction {
  return (params, step, state) => tracedStep(spec, params, step, state);
}

/**
 * Milliseconds one traced step of this model takes here, timed over a few steps (at most about
 * `budgetMs`); a model whose step is estimated slower than that is not timed but estimated.
 */
export function measureStepMs(spec: NetworkSpec, budgetMs = 30): number {
  const rough = estimateStepMs(spec);
  if (rough > budgetMs) return rough;
  const params = spec.layers.map((l) => ({ W: l.W, b: l.b }));
  tracedStep(spec, params, 1, []);
  const t0 = Date.now();
  let n = 0;
  while (n < 3 || (Date.now() - t0 < budgetMs && n < 1000)) {
    tracedStep(spec, params, 1, []);
    n++;
  }
  return Math.max(Date.now() - t0, 1) / n;
}

/** Runs the configured number of steps into a trace store. Never throws on numeric trouble. */
export function train(spec: NetworkSpec, options: TrainOptions = {}): Trace {
  const t = new Trainer(spec, options);
  while (t.next());
  return t.trace();
}

/** What crosses to another thread: the store's data and the run's summary. */
export interface TraceData {
  readonly store: StoreData;
  readonly health: readonly HealthIssue[];
  readonly stoppedEarly?: string;
}

export function traceData(trace: Trace): TraceData {
  if (!(trace.steps instanceof TraceStore)) throw new TypeError('this trace is not backed by a trace store');
  return { store: trace.steps.toData(), health: trace.health, stoppedEarly: trace.stoppedEarly };
}

/** Steps start.step … to of a run from the state before them (a worker's replay): the last two records. */
export function replayRun(spec: NetworkSpec, start: StartState, to: number): StepRecord[] {
  return replaySteps(stepFunction(spec), start, to);
}

/** A trace rebuilt from traceData() on the other side, able to recompute any step of the run. */
export function restoreTrace(spec: NetworkSpec, data: TraceData): Trace {
  return traceOf(spec, TraceStore.fromData(spec, data.store, stepFunction(spec)), data.health, data.stoppedEarly);
}
