/**
 * Messages between the extension host and the analysis worker (dist/worker.js), and the cost
 * estimate that decides where a run goes. No `vscode` here: the worker imports this file too.
 */
import type { TransferableAnalysis } from './transfer';
import type { Limits } from '../model/types';
import type { HealthOptions } from '../engine/health';
import { GRADCHECK_DEFAULTS } from '../engine/gradcheck';
import type { NetworkSpec } from '../engine/network';

/** AnalyzeOptions without callbacks: what can cross to a worker by structured clone. */
export interface WorkerOptions {
  readonly fileName?: string;
  readonly steps?: number;
  readonly limits?: Partial<Limits>;
  readonly gradcheck?: boolean | { readonly epsilon?: number; readonly rtol?: number; readonly atol?: number; readonly maxParameters?: number };
  readonly train?: { readonly health?: Partial<HealthOptions> };
}

/** workerData of a new worker: one run per worker, terminated to cancel. */
export interface WorkerRequest {
  readonly text: string;
  readonly options: WorkerOptions;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly phase: 'train' | 'gradcheck'; readonly done: number; readonly loss?: number }
  | { readonly type: 'result'; readonly analysis: TransferableAnalysis }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };

/** What a run will cost, roughly in multiply-adds: parameters × examples × (steps + gradient-check passes). */
export interface RunEstimate {
  readonly cost: number;
  /** Training steps the run will trace. */
  readonly steps: number;
  /** Parameters the gradient check will perturb (0 when it is not run). */
  readonly gradcheckParameters: number;
}

export function estimateRun(spec: NetworkSpec, options: WorkerOptions): RunEstimate {
  const params = spec.layers.reduce((n, l) => n + (l.W.cols + 1) * l.W.rows, 0);
  const perPass = params * Math.max(1, spec.input.rows);
  const steps = options.steps ?? spec.steps;
  const gc = options.gradcheck;
  const cap = typeof gc === 'object' && gc.maxParameters !== undefined ? gc.maxParameters : GRADCHECK_DEFAULTS.maxParameters;
  const gradcheckParameters = gc ? Math.min(params, cap) : 0;
  // A traced step is about three passes (forward, backward, update); a checked parameter two forwards.
  return { cost: perPass * (3 * steps + 2 * gradcheckParameters), steps, gradcheckParameters };
}
