/**
 * The trace as one JSON object — the CLI's `--format json` contract:
 *   {"steps": [{"loss": L, "layers": [{"z", "a", "delta", "dW", "db", "W", "b", "W_next", "b_next"}]}]}
 * z, a, delta are [example][unit] whatever the batch layout; W, dW, W_next are in the model
 * file's own convention; b, db, b_next are [unit]. Further fields are additions, not changes.
 */
import { toRows } from '../engine/tensor';
import { toFileLayoutW } from '../model/layout';
import { StepRecord, Trace } from '../engine/trace';
import { Convention } from '../model/types';
import type { LeastSquaresSolution } from '../analysis/leastSquares';
import { leastSquaresJson, stepDistance } from './leastSquaresText';

export interface TraceJsonContext {
  readonly name: string;
  readonly convention: Convention;
  readonly batchLayout: string;
  /** A linear-regression network's closed form: `least_squares` at the top, each step's distance to it. */
  readonly leastSquares?: LeastSquaresSolution;
}

const vec = (v: Float64Array) => Array.from(v);

/** Non-finite numbers are not JSON: write them as strings ("NaN", "Infinity") rather than null. */
export function finiteOrString(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** One step as the JSON format writes it. */
export function stepToJson(s: StepRecord, ctx: TraceJsonContext): object {
  return {
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
    ...(ctx.leastSquares ? { least_squares_distance: stepDistance(ctx.leastSquares, s.update[0]) } : {}),
  };
}

/** One line of `--format ndjson`: the step's object; the first line also carries `least_squares`. */
export function ndjsonLine(s: StepRecord, ctx: TraceJsonContext, first: boolean): string {
  const ls = first && ctx.leastSquares ? { least_squares: leastSquaresJson(ctx.leastSquares, ctx) } : {};
  return JSON.stringify({ ...stepToJson(s, ctx), ...ls }, finiteOrString) + '\n';
}

/** Every step's number, 1..n (the trace store reads them in order, each from the one before). */
function allSteps(trace: Trace): number[] {
  return Array.from({ length: trace.steps.length }, (_, i) => i + 1);
}

export function traceToJson(trace: Trace, ctx: TraceJsonContext): object {
  return {
    ...jsonPreamble(trace, ctx),
    steps: allSteps(trace).map((n) => stepToJson(trace.steps.get(n), ctx)),
    health: trace.health,
    stopped_early: trace.stoppedEarly ?? null,
  };
}

function jsonPreamble(trace: Pick<Trace, 'parameterCounts' | 'totalParameters' | 'optimizer'>, ctx: TraceJsonContext) {
  return {
    name: ctx.name,
    convention: ctx.convention,
    batch_layout: ctx.batchLayout,
    parameters: { per_layer: trace.parameterCounts, total: trace.totalParameters },
    optimizer: trace.optimizer,
    ...(ctx.leastSquares ? { least_squares: leastSquaresJson(ctx.leastSquares, ctx) } : {}),
  };
}

/** JSON.stringify(value, …, 2) nested `depth` levels deep: its lines carry the parents' indentation. */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, finiteOrString, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * The JSON text in pieces, for a run written as it is produced: the same text as
 * traceToJsonText, one step at a time (steps may be a selection). Call head() once, step() per
 * step, tail() once at the end, when the health findings are known.
 */
export class TraceJsonWriter {
  private steps = 0;
  constructor(private readonly ctx: TraceJsonContext) {}

  head(trace: Pick<Trace, 'parameterCounts' | 'totalParameters' | 'optimizer'>): string {
    const fields = Object.entries(jsonPreamble(trace, this.ctx));
    return `{\n${fields.map(([k, v]) => `  ${JSON.stringify(k)}: ${nested(v, 1)},\n`).join('')}  "steps": [`;
  }

  step(s: StepRecord): string {
    return `${this.steps++ === 0 ? '' : ','}\n    ${nested(stepToJson(s, this.ctx), 2)}`;
  }

  tail(trace: Pick<Trace, 'health' | 'stoppedEarly'>): string {
    return `${this.steps ? '\n  ' : ''}],\n  "health": ${nested(trace.health, 1)},\n  "stopped_early": ${nested(trace.stoppedEarly ?? null, 1)}\n}`;
  }
}

/** The JSON text of the trace: every step, or `steps` of it. */
export function traceToJsonText(trace: Trace, ctx: TraceJsonContext, steps?: readonly number[]): string {
  const w = new TraceJsonWriter(ctx);
  const body = (steps ?? allSteps(trace)).map((n) => w.step(trace.steps.get(n))).join('');
  return w.head(trace) + body + w.tail(trace);
}
