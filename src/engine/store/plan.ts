/**
 * How the trace store spends its memory budget on a run: the losses (8 bytes a step, always),
 * a few full step records (the first and last steps, the one being looked at, the recently
 * visited), a small cache for replays, and checkpoints every K steps with the rest. K is the
 * smallest spacing whose checkpoints fit — but never so small that checkpoints of a tiny
 * model cost more than replaying it would (a 2-3-2 step takes microseconds).
 */
import type { NetworkSpec } from '../network';
import { OPTIMIZER_STATE } from '../optimizers';
import { ARRAY_OVERHEAD } from './records';

/** backprop.trace.memoryBudgetMB's default. */
export const DEFAULT_MEMORY_BUDGET_MB = 256;
export const MB = 2 ** 20;

/** Runs this short whose every record fits a quarter of the budget keep them all: no replay at all. */
const KEEP_ALL_MAX_STEPS = 1000;
/** A replay of the checkpoint spacing should cost about this much at least, or checkpoints are wasted (ms). */
const MIN_REPLAY_MS = 0.25;
/** Most steps between checkpoints that a tiny model's floor may ask for. */
const MAX_FLOOR_INTERVAL = 1000;
/** Caps of the full records kept: the first steps, the last steps, the recently visited. */
const HEAD = 3,
  TAIL = 3,
  RECENT = 8;

export interface StorePlan {
  /** Steps the run will take (at most). */
  readonly steps: number;
  readonly budgetBytes: number;
  /** K: a checkpoint before steps 1, 1 + K, 1 + 2K, … */
  readonly interval: number;
  readonly checkpointCapacity: number;
  /** Full records kept of the first steps and of the last steps. */
  readonly head: number;
  readonly tail: number;
  /** Recently visited steps kept (besides the one being looked at). */
  readonly recent: number;
  /** Checkpoint-sized slots for the states a replay passes (so that stepping back is quick). */
  readonly replayCache: number;
  /** Upper bound of one step record's bytes (data and array overhead). */
  readonly recordBytes: number;
  /** Bytes of one checkpoint. */
  readonly checkpointBytes: number;
  /** The number of doubles in one checkpoint. */
  readonly checkpointLength: number;
}

function widthsOf(spec: NetworkSpec): { n: number[]; N: number } {
  return { n: [spec.input.cols, ...spec.layers.map((l) => l.W.rows)], N: Math.max(1, spec.input.rows) };
}

/** Parameters (weights and biases) of the network. */
export function parameterTotal(spec: NetworkSpec): number {
  return spec.layers.reduce((s, l) => s + (l.W.cols + 1) * l.W.rows, 0);
}

/**
 * An upper bound of one step record's bytes: per layer z, a, ∂L/∂a, σ′, δ (N × n each), ∂L/∂W,
 * ∂L/∂b, W, b, W′, b′ and the optimizer's state; ∂L/∂a^L and ∂L/∂x; each array with its overhead.
 */
export function estimateRecordBytes(spec: NetworkSpec): number {
  const { n, N } = widthsOf(spec);
  const k = OPTIMIZER_STATE[spec.optimizer.type].length;
  let doubles = N * n[n.length - 1] + N * n[0],
    arrays = 2;
  for (let l = 1; l < n.length; l++) {
    const p = n[l] * n[l - 1] + n[l];
    doubles += 5 * N * n[l] + (3 + k) * p;
    arrays += 5 + 2 * (3 + k);
  }
  return 8 * doubles + arrays * ARRAY_OVERHEAD;
}

/**
 * A rough time of one traced step (ms), from its multiply-adds (forward, ∂L/∂W, ∂L/∂a: three
 * products per layer) and a fixed cost per layer; it only sets a floor on K for tiny models.
 */
export function estimateStepMs(spec: NetworkSpec): number {
  const { n, N } = widthsOf(spec);
  let mac = 0;
  for (let l = 1; l < n.length; l++) mac += 3 * N * n[l] * n[l - 1];
  return mac / 4e6 + 0.0015 * spec.layers.length + 0.001;
}

/**
 * The plan for a run of `steps` steps within `budgetBytes`. `interval` fixes K instead (tests
 * that must hit checkpoint boundaries, benchmarks that compare spacings).
 */
export function planStore(
  spec: NetworkSpec,
  steps: number,
  budgetBytes = DEFAULT_MEMORY_BUDGET_MB * MB,
  interval?: number,
): StorePlan {
  const total = Math.max(1, Math.trunc(steps));
  const checkpointLength = parameterTotal(spec) * (1 + OPTIMIZER_STATE[spec.optimizer.type].length);
  const checkpointBytes = 8 * checkpointLength + 4;
  const recordBytes = estimateRecordBytes(spec);
  const rest = Math.max(0, budgetBytes - 8 * total);

  let head: number, tail: number, recent: number;
  if (total <= KEEP_ALL_MAX_STEPS && total * recordBytes <= rest / 4) {
    // A textbook run: every record stays, as an uninterrupted trace would keep it.
    head = total;
    tail = 0;
    recent = 2;
  } else {
    // At least one of each (and the one looked at); more, up to the caps, within an eighth of the budget.
    let slots = Math.max(0, Math.floor(rest / 8 / recordBytes) - 4);
    head = tail = recent = 1;
    const grow = (have: number, cap: number) => {
      const more = Math.min(slots, cap - have);
      slots -= more;
      return have + more;
    };
    head = grow(head, HEAD);
    tail = grow(tail, TAIL);
    recent = grow(recent, RECENT);
  }
  const recordsBytes = (head + tail + recent + 1) * recordBytes;
  const replayCache = Math.min(64, Math.floor(rest / 16 / checkpointBytes));
  const forCheckpoints = rest - recordsBytes - replayCache * checkpointBytes;
  const fit = Math.max(1, Math.floor(forCheckpoints / checkpointBytes));
  const floor = Math.min(MAX_FLOOR_INTERVAL, Math.max(1, Math.floor(MIN_REPLAY_MS / estimateStepMs(spec))));
  const K = interval ?? Math.max(floor, Math.ceil(total / fit));
  return {
    steps: total,
    budgetBytes,
    interval: K,
    checkpointCapacity: Math.ceil(total / K),
    head,
    tail,
    recent,
    replayCache: replayCache >= 2 ? replayCache : 0,
    recordBytes,
    checkpointBytes,
    checkpointLength,
  };
}
