/**
 * Checkpoints: the parameters (and the optimizer's state) a step starts from, every K steps,
 * packed into one Float64Array so that a hundred thousand of them cost their numbers and
 * nothing else. Restoring one copies it out: records made from it never alias the pool.
 */
import type { NetworkSpec } from '../network';
import { OPTIMIZER_STATE, ParamState } from '../optimizers';
import type { Params } from '../layers/kind';
import type { OptimizerState } from './records';

/** Where step n starts: its parameters and the state the previous step left. */
export interface StartState {
  readonly step: number;
  readonly params: readonly Params[];
  readonly state: OptimizerState;
}

/** How one checkpoint is laid out: per layer W then b, then each state key's W and b. */
export class CheckpointLayout {
  /** Doubles per checkpoint. */
  readonly length: number;
  private readonly keys: readonly string[];
  private readonly shapes: readonly { rows: number; cols: number }[];

  constructor(spec: NetworkSpec) {
    this.keys = OPTIMIZER_STATE[spec.optimizer.type];
    this.shapes = spec.layers.map((l) => ({ rows: l.W.rows, cols: l.W.cols }));
    const params = this.shapes.reduce((n, s) => n + s.rows * s.cols + s.rows, 0);
    this.length = params * (1 + this.keys.length);
  }

  write(dst: Float64Array, at: number, params: readonly Params[], state: OptimizerState): void {
    let o = at;
    const put = (a: Float64Array | undefined, n: number) => {
      // Before step 1 there is no state: its slots stay zero and are never read (see read()).
      if (a) dst.set(a, o);
      o += n;
    };
    this.shapes.forEach((s, l) => {
      put(params[l].W.data, s.rows * s.cols);
      put(params[l].b, s.rows);
    });
    for (const k of this.keys)
      this.shapes.forEach((s, l) => {
        put(state[l]?.W?.[k], s.rows * s.cols);
        put(state[l]?.b?.[k], s.rows);
      });
  }

  /** Copies a checkpoint out; step 1 gets no state, as the optimizers' first step expects. */
  read(src: Float64Array, at: number, step: number): StartState {
    let o = at;
    const take = (n: number) => src.slice(o, (o += n));
    const params = this.shapes.map((s) => ({
      W: { rows: s.rows, cols: s.cols, data: take(s.rows * s.cols) },
      b: take(s.rows),
    }));
    const state = this.shapes.map((): { W: ParamState; b: ParamState } => ({ W: {}, b: {} }));
    for (const k of this.keys)
      this.shapes.forEach((s, l) => {
        state[l].W[k] = take(s.rows * s.cols);
        state[l].b[k] = take(s.rows);
      });
    return { step, params, state: step === 1 ? [] : state };
  }
}

/** Checkpoints at increasing steps, in one preallocated pool. */
export class CheckpointPool {
  private readonly steps: Int32Array;
  private readonly pool: Float64Array;
  private n = 0;

  constructor(
    readonly layout: CheckpointLayout,
    capacity: number,
    data?: { readonly steps: Int32Array; readonly pool: Float64Array; readonly count: number },
  ) {
    this.steps = data?.steps ?? new Int32Array(capacity);
    this.pool = data?.pool ?? new Float64Array(capacity * layout.length);
    this.n = data?.count ?? 0;
  }

  get count(): number {
    return this.n;
  }
  get bytes(): number {
    return this.pool.byteLength + this.steps.byteLength;
  }

  add(step: number, params: readonly Params[], state: OptimizerState): void {
    if (this.n >= this.steps.length) throw new RangeError(`the checkpoint pool is full (${this.steps.length})`);
    if (this.n > 0 && step <= this.steps[this.n - 1]) throw new RangeError(`checkpoint at step ${step} out of order`);
    this.layout.write(this.pool, this.n * this.layout.length, params, state);
    this.steps[this.n++] = step;
  }

  /** The latest checkpoint at or before step n (binary search), or undefined. */
  latestAtOrBefore(n: number): number | undefined {
    let lo = 0,
      hi = this.n - 1,
      found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.steps[mid] <= n) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : this.steps[found];
  }

  /** The start state at checkpoint step `step` (which must exist). */
  restore(step: number): StartState {
    const i = this.indexOf(step);
    if (i < 0) throw new RangeError(`no checkpoint at step ${step}`);
    return this.layout.read(this.pool, i * this.layout.length, step);
  }

  private indexOf(step: number): number {
    let lo = 0,
      hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.steps[mid] === step) return mid;
      if (this.steps[mid] < step) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The pool as plain data, to cross to another thread (views of its own buffers: transfer them, no copy). */
  toData(): { steps: Int32Array; pool: Float64Array; count: number } {
    return { steps: this.steps, pool: this.pool, count: this.n };
  }
}
