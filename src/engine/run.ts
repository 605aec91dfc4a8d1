/**
 * The traced training loop: forward l = 1..L, loss, backward l = L..1, update l = 1..L, every
 * value recorded. Pure and synchronous; the extension runs long jobs of it in a worker.
 */
import { Matrix } from './tensor';
import { matmulAB, matmulABt, matmulAtB } from './matmul';
import { activation, softmaxBackward } from './activations';
import { computeLoss, isFused } from './losses';
import { applyOptimizer, ParamState } from './optimizers';
import { LayerSpec, NetworkSpec, parameterCount } from './network';
import { BackwardRecord, ForwardRecord, HealthIssue, StepRecord, Trace, UpdateRecord } from './trace';
import { checkStepHealth, HealthOptions } from './health';

export interface TrainOptions {
  /** Overrides spec.steps. */
  readonly steps?: number;
  readonly health?: Partial<HealthOptions>;
  /** Polled between steps; returning true stops the run (recorded as stoppedEarly). */
  readonly shouldStop?: () => boolean;
  /** Called after each step, e.g. to report progress. */
  readonly onStep?: (step: number, loss: number) => void;
}

export interface Params {
  readonly W: Matrix;
  readonly b: Float64Array;
}

/** z = A Wᵀ + b, row-broadcast b. */
function affine(aPrev: Matrix, p: Params): Matrix {
  const z = matmulABt(aPrev, p.W);
  const Z = z.data,
    b = p.b,
    k = z.cols;
  for (let r = 0; r < Z.length; r += k) for (let j = 0; j < k; j++) Z[r + j] += b[j];
  return z;
}

function activate(layer: LayerSpec, z: Matrix): Matrix {
  // identity shares z's buffer: values are immutable once recorded, so a copy would only cost.
  if (layer.activation === 'identity') return z;
  const out = new Float64Array(z.data.length);
  activation(layer.activation).forward(z.data, out, z.cols);
  return { rows: z.rows, cols: z.cols, data: out };
}

/** Forward pass only: z and a per layer. */
export function forward(layers: readonly LayerSpec[], params: readonly Params[], input: Matrix): ForwardRecord[] {
  const out: ForwardRecord[] = [];
  let aPrev = input;
  for (let l = 0; l < layers.length; l++) {
    const z = affine(aPrev, params[l]);
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
  return computeLoss(spec.loss, lastAct, last.z, last.a, spec.target, false).value + l2Term(spec.l2, params);
}

function columnSums(m: Matrix): Float64Array {
  const out = new Float64Array(m.cols),
    D = m.data,
    k = m.cols;
  for (let r = 0; r < D.length; r += k) for (let j = 0; j < k; j++) out[j] += D[r + j];
  return out;
}

function hadamard(a: Matrix, b: Matrix): Matrix {
  const out = new Float64Array(a.data.length),
    A = a.data,
    B = b.data;
  for (let i = 0; i < out.length; i++) out[i] = A[i] * B[i];
  return { rows: a.rows, cols: a.cols, data: out };
}

/** Backward pass: δ, ∂L/∂W, ∂L/∂b per layer (indexed by layer − 1) and ∂L/∂x. */
export function backward(
  spec: NetworkSpec,
  params: readonly Params[],
  fwd: readonly ForwardRecord[],
  dAL: Matrix,
  fusedDelta: Matrix | null,
): { records: BackwardRecord[]; inputGrad: Matrix } {
  const L = spec.layers.length;
  const records = new Array<BackwardRecord>(L);
  let dA = dAL;
  let delta: Matrix | null = null;
  for (let l = L - 1; l >= 0; l--) {
    const layer = spec.layers[l];
    const { z, a } = fwd[l];
    if (l < L - 1) dA = matmulAB(delta!, params[l + 1].W);
    let sigmaPrime: Matrix | null = null;
    if (l === L - 1 && fusedDelta) {
      delta = fusedDelta;
    } else if (layer.activation === 'softmax') {
      const d = new Float64Array(a.data.length);
      softmaxBackward(a.data, dA.data, d, a.cols);
      delta = { rows: a.rows, cols: a.cols, data: d };
    } else if (layer.activation === 'identity') {
      // σ' ≡ 1: record it for the equations, but δ is ∂L/∂a itself.
      const ones = new Float64Array(z.data.length).fill(1);
      sigmaPrime = { rows: z.rows, cols: z.cols, data: ones };
      delta = dA;
    } else {
      const sp = new Float64Array(z.data.length);
      activation(layer.activation).derivative!(z.data, a.data, sp);
      sigmaPrime = { rows: z.rows, cols: z.cols, data: sp };
      delta = hadamard(dA, sigmaPrime);
    }
    const aPrev = l === 0 ? spec.input : fwd[l - 1].a;
    const dW = matmulAtB(delta, aPrev);
    if (spec.l2 !== 0) {
      const W = params[l].W.data,
        D = dW.data,
        k = 2 * spec.l2;
      for (let i = 0; i < D.length; i++) D[i] += k * W[i];
    }
    records[l] = { layer: l + 1, dA, sigmaPrime, delta, dW, db: columnSums(delta) };
  }
  return { records, inputGrad: matmulAB(delta!, params[0].W) };
}

/** One full traced step at `params`; returns the record and the optimizer state to carry. */
export function tracedStep(
  spec: NetworkSpec,
  params: readonly Params[],
  step: number,
  prevState: readonly { W?: ParamState; b?: ParamState }[],
): { record: StepRecord; state: { W: ParamState; b: ParamState }[] } {
  const fwd = forward(spec.layers, params, spec.input);
  const L = spec.layers.length;
  const last = fwd[L - 1];
  const lastAct = spec.layers[L - 1].activation;
  const lo = computeLoss(spec.loss, lastAct, last.z, last.a, spec.target);
  const reg = l2Term(spec.l2, params);
  const { records, inputGrad } = backward(spec, params, fwd, lo.dA, lo.fusedDelta);
  const update = new Array<UpdateRecord>(L);
  const state = new Array<{ W: ParamState; b: ParamState }>(L);
  for (let l = 0; l < L; l++) {
    const p = params[l];
    const uW = applyOptimizer(spec.optimizer, p.W.data, records[l].dW.data, step, prevState[l]?.W);
    const ub = applyOptimizer(spec.optimizer, p.b, records[l].db, step, prevState[l]?.b);
    state[l] = { W: uW.state, b: ub.state };
    const recorded: Record<string, Matrix | Float64Array> = {};
    for (const key of Object.keys(uW.state)) {
      recorded[`${key}_W`] = { rows: p.W.rows, cols: p.W.cols, data: uW.state[key] };
      recorded[`${key}_b`] = ub.state[key];
    }
    update[l] = {
      layer: l + 1,
      W: p.W,
      b: p.b,
      WNext: { rows: p.W.rows, cols: p.W.cols, data: uW.next },
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
      dA: lo.dA,
      fused: isFused(spec.loss, lastAct),
    },
    backward: records,
    inputGrad,
    update,
  };
  return { record, state };
}

/** Runs the configured number of steps and records everything. Never throws on numeric trouble. */
export function train(spec: NetworkSpec, options: TrainOptions = {}): Trace {
  const steps = options.steps ?? spec.steps;
  let params: Params[] = spec.layers.map((l) => ({ W: l.W, b: l.b }));
  let state: { W?: ParamState; b?: ParamState }[] = [];
  const records: StepRecord[] = [];
  const health: HealthIssue[] = [];
  const seen = new Set<string>();
  let stoppedEarly: string | undefined;
  for (let s = 1; s <= steps; s++) {
    if (options.shouldStop?.()) {
      stoppedEarly = `cancelled after ${s - 1} step${s === 2 ? '' : 's'}`;
      break;
    }
    const r = tracedStep(spec, params, s, state);
    records.push(r.record);
    state = r.state;
    params = r.record.update.map((u) => ({ W: u.WNext, b: u.bNext }));
    const issues = checkStepHealth(spec, r.record, options.health, seen);
    health.push(...issues);
    options.onStep?.(s, r.record.loss.value);
    if (issues.some((i) => i.kind === 'non_finite')) {
      if (s < steps) stoppedEarly = `stopped at step ${s}: a value became NaN or infinite`;
      break;
    }
  }
  const parameterCounts = spec.layers.map(parameterCount);
  return {
    optimizer: spec.optimizer,
    l2: spec.l2,
    steps: records,
    parameterCounts,
    totalParameters: parameterCounts.reduce((a, b) => a + b, 0),
    health,
    stoppedEarly,
  };
}
