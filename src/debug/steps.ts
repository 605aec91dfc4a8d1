/**
 * The debugger reads a run through this narrow interface: the trace store behind it keeps
 * checkpoints and recomputes a step on demand (src/engine/store), so stepping back, reverse
 * continue and goto reach any step of a long run.
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
    // The trace store keeps what its budget allows and recomputes the rest, bit for bit.
    step: (n) => trace.steps.get(n),
    loss: (n) => trace.steps.loss(n),
    health: trace.health,
    stoppedEarly: trace.stoppedEarly,
  };
}
