/**
 * The trace as one JSON object — the CLI's `--format json` contract:
 *   {"steps": [{"loss": L, "layers": [{"z", "a", "delta", "dW", "db", "W", "b", "W_next", "b_next"}]}]}
 * z, a, delta are [example][unit] whatever the batch layout; W, dW, W_next are in the model
 * file's own convention; b, db, b_next are [unit]. Further fields are additions, not changes.
 */
import { toRows } from '../engine/tensor';
import { toFileLayoutW } from '../model/layout';
import { Trace } from '../engine/trace';
import { Convention } from '../model/types';

export interface TraceJsonContext {
  readonly name: string;
  readonly convention: Convention;
  readonly batchLayout: string;
}

const vec = (v: Float64Array) => Array.from(v);

/** Non-finite numbers are not JSON: write them as strings ("NaN", "Infinity") rather than null. */
function finiteOrString(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

export function traceToJson(trace: Trace, ctx: TraceJsonContext): object {
  return {
    name: ctx.name,
    convention: ctx.convention,
    batch_layout: ctx.batchLayout,
    parameters: { per_layer: trace.parameterCounts, total: trace.totalParameters },
    optimizer: trace.optimizer,
    steps: trace.steps.map((s) => ({
      step: s.step,
      loss: s.loss.value,
      loss_data: s.loss.dataTerm,
      loss_l2: s.loss.l2Term,
      dL_da: toRows(s.loss.dA),
      input_grad: toRows(s.inputGrad),
      layers: s.forward.map((f, i) => {
        const b = s.backward[i],
          u = s.update[i];
        return {
          layer: f.layer,
          activation: f.activation,
          z: toRows(f.z),
          a: toRows(f.a),
          delta: toRows(b.delta),
          sigma_prime: b.sigmaPrime ? toRows(b.sigmaPrime) : null,
          dW: toFileLayoutW(ctx, b.dW),
          db: vec(b.db),
          W: toFileLayoutW(ctx, u.W),
          b: vec(u.b),
          W_next: toFileLayoutW(ctx, u.WNext),
          b_next: vec(u.bNext),
        };
      }),
    })),
    health: trace.health,
    stopped_early: trace.stoppedEarly ?? null,
  };
}

export function traceToJsonText(trace: Trace, ctx: TraceJsonContext): string {
  return JSON.stringify(traceToJson(trace, ctx), finiteOrString, 2);
}
