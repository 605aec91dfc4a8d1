/**
 * The trace store: a run's steps at a cost of O(checkpoints), not O(steps). Per step it keeps
 * the loss; every K steps a checkpoint (parameters and optimizer state); the full records of
 * the first and the last steps, of the step being looked at, and of a few recently visited.
 * Any other step is recomputed from the nearest earlier state it holds — a checkpoint, a kept
 * record, or a state a recent replay passed — by the very step function of the run, in the
 * same order on the same float64 values, so it is bit for bit the step of the uninterrupted run.
 */
import type { NetworkSpec } from '../network';
import type { Params } from '../layers/kind';
import type { StepRecord, StepStore } from '../trace';
import { CheckpointLayout, CheckpointPool, StartState } from './checkpoints';
import { StorePlan } from './plan';
import { OptimizerState, paramsAfter, retainedArrayBytes, stateAfter } from './records';

/** One traced step from a start state: the run's own step function. */
export type StepFunction = (
  params: readonly Params[],
  step: number,
  state: OptimizerState,
) => { record: StepRecord; state: OptimizerState };

/** What the store holds, by its own accounting (bytes). */
export interface StoreBytes {
  readonly losses: number;
  readonly checkpoints: number;
  readonly records: number;
  readonly replayCache: number;
  readonly total: number;
}

/** A store as plain data, to cross to another thread (structured clone; transfer its buffers). */
export interface StoreData {
  readonly plan: StorePlan;
  readonly count: number;
  readonly losses: Float64Array;
  readonly checkpoints: { readonly steps: Int32Array; readonly pool: Float64Array; readonly count: number };
  /** The records it keeps for good: the first steps, the last steps and the kept ones. */
  readonly records: readonly StepRecord[];
  readonly keep: readonly number[];
}

/** Replays shorter than this leave no intermediate states behind (too cheap to matter). */
const REPLAY_CACHE_MIN_SPAN = 16;

/**
 * Runs steps start.step … to with the step function; returns the records of the last two (one
 * when the replay is a single step). `pass` sees the state before each step (a cache may keep it).
 */
export function replaySteps(
  stepFunction: StepFunction,
  start: StartState,
  to: number,
  pass?: (s: StartState) => void,
): StepRecord[] {
  let params: readonly Params[] = start.params,
    state = start.state;
  const out: StepRecord[] = [];
  for (let s = start.step; s <= to; s++) {
    pass?.({ step: s, params, state });
    const r = stepFunction(params, s, state);
    if (s >= to - 1) out.push(r.record);
    params = paramsAfter(r.record);
    state = r.state;
  }
  return out;
}

export class TraceStore implements StepStore {
  private readonly lossValues: Float64Array;
  private count = 0;
  private readonly checkpoints: CheckpointPool;
  private readonly head = new Map<number, StepRecord>();
  private tail: StepRecord[] = [];
  private readonly kept = new Map<number, StepRecord>();
  private readonly keep: ReadonlySet<number>;
  private focused: StepRecord | undefined;
  /** Recently visited steps, least recent first (a Map keeps insertion order). */
  private readonly recent = new Map<number, StepRecord>();
  /** States replays passed through, by the step they start, least recent first. */
  private readonly replayStates = new Map<number, StartState>();
  /** The spec's own arrays: shared by the records, owned by the model, not by the store. */
  private readonly specBuffers: ReadonlySet<ArrayBufferLike>;
  /** Steps recomputed so far (for tests and the benchmark). */
  replayedSteps = 0;

  constructor(
    readonly spec: NetworkSpec,
    readonly plan: StorePlan,
    private readonly stepFunction: StepFunction,
    keep: readonly number[] = [],
    data?: StoreData,
  ) {
    this.keep = new Set(keep);
    this.lossValues = data?.losses ?? new Float64Array(plan.steps);
    this.count = data?.count ?? 0;
    this.checkpoints = new CheckpointPool(new CheckpointLayout(spec), plan.checkpointCapacity, data?.checkpoints);
    for (const r of [...(data?.records ?? [])].sort((a, b) => a.step - b.step)) this.retain(r);
    const buffers = new Set<ArrayBufferLike>();
    retainedArrayBytes([spec.input, spec.target, spec.layers], buffers);
    this.specBuffers = buffers;
  }

  /** A store rebuilt from toData() (on the other side of a postMessage). */
  static fromData(spec: NetworkSpec, data: StoreData, stepFunction: StepFunction): TraceStore {
    return new TraceStore(spec, data.plan, stepFunction, data.keep, data);
  }

  // ── Recording (the trainer) ──────────────────────────────────────────────────────────────

  /** Before step n runs: the parameters and optimizer state it starts from (a checkpoint every K steps). */
  beforeStep(n: number, params: readonly Params[], state: OptimizerState): void {
    if ((n - 1) % this.plan.interval === 0) this.checkpoints.add(n, params, state);
  }

  /** Step length + 1 has run. */
  add(r: StepRecord): void {
    if (r.step !== this.count + 1) throw new RangeError(`step ${r.step} recorded after step ${this.count}`);
    if (this.count >= this.lossValues.length)
      throw new RangeError(`the store was planned for ${this.plan.steps} steps`);
    this.lossValues[this.count++] = r.loss.value;
    this.retain(r);
  }

  private retain(r: StepRecord): void {
    if (r.step <= this.plan.head) this.head.set(r.step, r);
    if (this.keep.has(r.step)) this.kept.set(r.step, r);
    if (this.plan.tail > 0 && r.step > (this.tail[this.tail.length - 1]?.step ?? 0)) {
      this.tail.push(r);
      if (this.tail.length > this.plan.tail) this.tail.shift();
    }
  }

  // ── Reading (every view) ─────────────────────────────────────────────────────────────────

  get length(): number {
    return this.count;
  }

  loss(n: number): number {
    return n >= 1 && n <= this.count ? this.lossValues[n - 1] : NaN;
  }

  losses(): Float64Array {
    return this.lossValues.subarray(0, this.count);
  }

  get(n: number): StepRecord {
    if (!Number.isInteger(n) || n < 1 || n > this.count)
      throw new RangeError(`step ${n} is outside the run (1 to ${this.count})`);
    const r = this.retained(n) ?? this.recompute(n);
    this.visit(r);
    return r;
  }

  /** The step being looked at: its records stay until another step is. */
  focus(n: number): StepRecord {
    const r = this.get(n);
    this.focused = r;
    return r;
  }

  /** Step n's records if the store holds them (no recomputation). */
  retained(n: number): StepRecord | undefined {
    if (this.focused?.step === n) return this.focused;
    return this.head.get(n) ?? this.kept.get(n) ?? this.tail.find((r) => r.step === n) ?? this.recent.get(n);
  }

  /** Every record held, once each. */
  private heldRecords(): StepRecord[] {
    const all = new Set<StepRecord>([
      ...this.head.values(),
      ...this.kept.values(),
      ...this.tail,
      ...this.recent.values(),
      ...(this.focused ? [this.focused] : []),
    ]);
    return [...all];
  }

  /** The store's own accounting of what it keeps. */
  retainedBytes(): StoreBytes {
    const seen = new Set(this.specBuffers);
    const records = retainedArrayBytes(this.heldRecords(), seen);
    let replayCache = 0;
    for (const s of this.replayStates.values()) replayCache += retainedArrayBytes([s.params, s.state], seen);
    const losses = this.lossValues.byteLength,
      checkpoints = this.checkpoints.bytes;
    return { losses, checkpoints, records, replayCache, total: losses + checkpoints + records + replayCache };
  }

  /** The store as plain data; the buffers to transfer with it are listed by transferables(). */
  toData(): StoreData {
    const records = [...new Set([...this.head.values(), ...this.kept.values(), ...this.tail])];
    return {
      plan: this.plan,
      count: this.count,
      losses: this.lossValues,
      checkpoints: this.checkpoints.toData(),
      records,
      keep: [...this.keep],
    };
  }

  private visit(r: StepRecord): void {
    this.recent.delete(r.step);
    this.recent.set(r.step, r);
    while (this.recent.size > this.plan.recent) this.recent.delete(this.recent.keys().next().value!);
  }

  /** The latest state the store holds from which step n can be reached (a held one rather than a copy on a tie). */
  private startFor(n: number): StartState {
    let at = 0;
    let make: (() => StartState) | undefined;
    const c = this.checkpoints.latestAtOrBefore(n);
    if (c !== undefined) {
      at = c;
      make = () => this.checkpoints.restore(c);
    }
    for (const [step, s] of this.replayStates)
      if (step <= n && step >= at) {
        at = step;
        make = () => s;
      }
    for (const r of this.heldRecords())
      if (r.step < n && r.step + 1 >= at) {
        at = r.step + 1;
        make = () => ({ step: r.step + 1, params: paramsAfter(r), state: stateAfter(r) });
      }
    if (!make) throw new Error(`the store holds no state before step ${n}`);
    return make();
  }

  /** Where a replay of step n would start (to run it elsewhere: a worker), or undefined when n is held. */
  replayStart(n: number): StartState | undefined {
    return this.retained(n) ? undefined : this.startFor(n);
  }

  /** Records replayed elsewhere (replaySteps in a worker), kept among the recently visited. */
  adopt(records: readonly StepRecord[]): void {
    for (const r of records) if (r.step >= 1 && r.step <= this.count) this.visit(r);
  }

  /**
   * Replays from the nearest held state to step n. The states it passes every √span steps stay
   * in a small cache, and step n − 1's records among the recent ones: stepping back is then cheap.
   */
  private recompute(n: number): StepRecord {
    const start = this.startFor(n);
    const span = n - start.step + 1;
    const every = span >= REPLAY_CACHE_MIN_SPAN && this.plan.replayCache > 0 ? Math.ceil(Math.sqrt(span)) : 0;
    const records = replaySteps(this.stepFunction, start, n, (s) => {
      this.replayedSteps++;
      if (every && s.step > start.step && (s.step - start.step) % every === 0) this.cacheState(s);
    });
    if (records.length > 1) this.visit(records[0]);
    return records[records.length - 1];
  }

  private cacheState(s: StartState): void {
    this.replayStates.delete(s.step);
    this.replayStates.set(s.step, s);
    while (this.replayStates.size > this.plan.replayCache)
      this.replayStates.delete(this.replayStates.keys().next().value!);
  }
}
