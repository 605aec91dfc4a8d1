/**
 * The reference the trace store is held to: an uninterrupted run that keeps every record, as the
 * engine did before the store — a plain loop of tracedStep, sharing no code with src/engine/store.
 */
import { NetworkSpec } from '../../../src/engine/network';
import { ParamState } from '../../../src/engine/optimizers';
import { Params, tracedStep } from '../../../src/engine/run';
import { StepRecord, StepStore } from '../../../src/engine/trace';

export function fullRun(spec: NetworkSpec, steps: number): StepRecord[] {
  let params: Params[] = spec.layers.map((l) => ({ W: l.W, b: l.b }));
  let state: { W?: ParamState; b?: ParamState }[] = [];
  const out: StepRecord[] = [];
  for (let s = 1; s <= steps; s++) {
    const r = tracedStep(spec, params, s, state);
    out.push(r.record);
    state = r.state;
    params = r.record.update.map((u) => ({ W: u.WNext, b: u.bNext }));
  }
  return out;
}

/** Records held in memory as a StepStore (for traces written by hand in tests). */
export function inMemorySteps(records: readonly StepRecord[]): StepStore {
  const get = (n: number): StepRecord => {
    const r = records[n - 1];
    if (!r) throw new RangeError(`step ${n} is outside the run (1 to ${records.length})`);
    return r;
  };
  return {
    length: records.length,
    loss: (n) => records[n - 1]?.loss.value ?? NaN,
    losses: () => Float64Array.from(records, (r) => r.loss.value),
    get,
    focus: get,
  };
}
