/**
 * Messages between the extension host and the analysis worker (dist/worker.js), and the cost
 * estimate that decides where a run goes. No `vscode` here: the worker imports this file too.
 */
import { notLinearRegression } from '../analysis/leastSquares';
import type { AnalyzeOptions } from '../analysis/analyze';
import { parseModel } from '../model/parse';
import type { TransferableAnalysis } from './transfer';
import type { Limits, ParseResult } from '../model/types';
import type { HealthOptions } from '../engine/health';
import { GRADCHECK_DEFAULTS } from '../engine/gradcheck';
import { NetworkSpec, parameterCount } from '../engine/network';
import type { StepRecord } from '../engine/trace';
import type { StartState } from '../engine/store/checkpoints';
import { forwardCost } from '../engine/layers/registry';
import type { NumberFormat } from '../engine/numberFormat';

/** AnalyzeOptions without callbacks: what can cross to a worker by structured clone. */
export interface WorkerOptions {
  readonly fileName?: string;
  readonly steps?: number;
  readonly limits?: Partial<Limits>;
  readonly gradcheck?: boolean | { readonly epsilon?: number; readonly rtol?: number; readonly maxParameters?: number };
  readonly train?: { readonly health?: Partial<HealthOptions>; readonly memoryBudgetBytes?: number };
  readonly format?: NumberFormat;
}

/** The message that starts a run: one run per worker, terminated to cancel. */
export interface WorkerRequest {
  readonly text: string;
  readonly options: WorkerOptions;
}

/** Worker → host. */
export type WorkerMessage =
  | {
      readonly type: 'progress';
      readonly phase: 'train' | 'gradcheck';
      /** Steps (or gradient-check parameters) done. */
      readonly done: number;
      /** Training steps the run will take. */
      readonly total?: number;
      readonly loss?: number;
      /** The losses of steps from, from + 1, … done since the previous progress (the live loss curve). */
      readonly from?: number;
      readonly losses?: Float64Array;
    }
  /** `stopped`: the host asked the run to stop, and this is what it finished. */
  | { readonly type: 'result'; readonly analysis: TransferableAnalysis; readonly stopped: boolean }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string }
  /** Reply to a replay: the records of its last two steps. */
  | { readonly type: 'replayed'; readonly records: readonly StepRecord[] };

/** Host → worker, while it runs: stop where you are and post what you have. */
export type WorkerControl = { readonly type: 'stop' };

/**
 * Host → a worker of its own: recompute steps start.step … to of a run, from the state the trace
 * store holds before them (a far step of a long run, off the extension host's thread).
 */
export interface ReplayRequest {
  readonly type: 'replay';
  readonly spec: NetworkSpec;
  readonly start: StartState;
  readonly to: number;
}

/** Everything the host sends a worker: a run's request, then perhaps a stop; or a replay. */
export type ToWorker = WorkerRequest | WorkerControl | ReplayRequest;

/** What a run will cost, roughly in multiply-adds: parameters × examples × (steps + gradient-check passes). */
export interface RunEstimate {
  readonly cost: number;
  /** Training steps the run will trace. */
  readonly steps: number;
  /** Parameters the gradient check will perturb (0 when it is not run). */
  readonly gradcheckParameters: number;
}

/** Multiply-adds of the closed-form solve (2·N·P², Householder QR), 0 when the network has none. */
function leastSquaresCost(spec: NetworkSpec): number {
  if (notLinearRegression(spec) !== null) return 0;
  const p = spec.input.cols + 1;
  return 2 * spec.input.rows * p * p;
}

export function estimateRun(spec: NetworkSpec, options: WorkerOptions): RunEstimate {
  const params = spec.layers.reduce((n, l) => n + parameterCount(l), 0);
  // A convolution costs far more than its parameters: every kernel visits every position.
  const perPass = forwardCost(spec) * Math.max(1, spec.input.rows);
  const steps = options.steps ?? spec.steps;
  const gc = options.gradcheck;
  const cap =
    typeof gc === 'object' && gc.maxParameters !== undefined ? gc.maxParameters : GRADCHECK_DEFAULTS.maxParameters;
  const gradcheckParameters = gc ? Math.min(params, cap) : 0;
  // A traced step is about three passes (forward, backward, update); a checked parameter two forwards;
  // a linear regression's closed form one QR of the N × (n_in + 1) design matrix.
  const cost = perPass * (3 * steps + 2 * gradcheckParameters) + leastSquaresCost(spec);
  return { cost, steps, gradcheckParameters };
}

/** Texts longer than this are not even parsed on the extension host to estimate their cost. */
const HOST_PARSE_LIMIT = 1 << 20;

/** Drops undefined members: analyze() spreads option objects, and `epsilon: undefined` would hide the file's ε. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Callbacks cannot cross to a worker: keep the data. */
export function toWorkerOptions(o: AnalyzeOptions): WorkerOptions {
  const gc = o.gradcheck;
  return defined({
    fileName: o.fileName,
    steps: o.steps,
    limits: o.limits,
    gradcheck:
      typeof gc === 'object' ? defined({ epsilon: gc.epsilon, rtol: gc.rtol, maxParameters: gc.maxParameters }) : gc,
    train:
      o.train?.health || o.train?.memoryBudgetBytes !== undefined
        ? defined({ health: o.train.health, memoryBudgetBytes: o.train.memoryBudgetBytes })
        : undefined,
    format: o.format,
  });
}

export type RunPlan = { where: 'here'; parsed: ParseResult } | { where: 'worker'; estimate?: RunEstimate };

/**
 * Where a run goes: here when cheap (or when it cannot even build a network), else a worker.
 * A run planned here carries the parse it was planned on, so the text is parsed once.
 */
export function planRun(text: string, options: AnalyzeOptions, threshold: number): RunPlan {
  if (text.length > HOST_PARSE_LIMIT) return { where: 'worker' };
  const parsed = parseModel(text, { fileName: options.fileName, limits: options.limits });
  if (!parsed.model || parsed.diagnostics.some((d) => d.severity === 'error')) return { where: 'here', parsed };
  const estimate = estimateRun(parsed.model.spec, toWorkerOptions(options));
  return estimate.cost > threshold ? { where: 'worker', estimate } : { where: 'here', parsed };
}
