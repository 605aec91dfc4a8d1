/**
 * The debugger reads a run through this narrow interface, never by indexing trace.steps: a
 * store that keeps checkpoints and recomputes a step on demand (issue 10) can stand in for the
 * all-in-memory trace without the stepping, breakpoints or reverse execution changing.
 */
import { OptimizerSpec } from '../engine/network';
import { HealthIssue, StepRecord, Trace } from '../engine/trace';

export interface StepSource {
  /** Steps recorded (1-based steps 1..stepCount). */
  readonly stepCount: number;
  readonly layerCount: number;
  readonly optimizer: OptimizerSpec;
  /** Every record of step n (1-based). */
  step(n: number): StepRecord;
  /** The loss of step n, without materialising the step where a store can avoid it. */
  loss(n: number): number;
  readonly health: readonly HealthIssue[];
  readonly stoppedEarly?: string;
}

export function traceSteps(trace: Trace): StepSource {
  return {
    stepCount: trace.steps.length,
    layerCount: trace.parameterCounts.length,
    optimizer: trace.optimizer,
    step: (n) => {
      const s = trace.steps[n - 1];
      if (!s) throw new RangeError(`step ${n} is outside the run (1 to ${trace.steps.length})`);
      return s;
    },
    loss: (n) => trace.steps[n - 1]?.loss.value ?? NaN,
    health: trace.health,
    stoppedEarly: trace.stoppedEarly,
  };
}
