/**
 * The trace as one JSON object — the CLI's `--format json` contract:
 *   {"steps": [{"loss": L, "layers": [{"z", "a", "delta", "dW", "db", "W", "b", "W_next", "b_next"}]}]}
 * z, a, delta are [example][unit] whatever the batch layout, [example][channel][row][col] after
 * conv2d and pooling (a flatten layer's are [example][unit]); a dense W, dW, W_next are in the
 * model file's own convention, a conv2d's [out][in][kh][kw]; b, db, b_next are [unit] or
 * [channel]. Layers without parameters (pooling, flatten) have no parameter fields. Further
 * fields are additions, not changes.
 */
import { Matrix, toNested } from '../engine/tensor';
import { toFileLayoutW } from '../model/layout';
import { LayerInfo, StepRecord, Trace } from '../engine/trace';
import { Convention } from '../model/types';
import type { LeastSquaresSolution } from '../analysis/leastSquares';
import { leastSquaresJson, stepDistance } from './leastSquaresText';

export interface TraceJsonContext {
  readonly name: string;
  readonly convention: Convention;
  readonly batchLayout: string;
  /** A linear-regression network's closed form: `least_squares` at the top, each step's distance to it. */
  readonly leastSquares?: LeastSquaresSolution;
  /** Each layer's kind and shapes (the trace's, when absent): a conv2d's W is written [out][in][kh][kw]. */
  readonly layers?: readonly LayerInfo[];
  /** Per layer: a layer without parameters (pooling, flatten) has no parameter fields. */
  readonly parameterCounts?: readonly number[];
}

const vec = (v: Float64Array) => Array.from(v);

/** Non-finite numbers are not JSON: write them as strings ("NaN", "Infinity") rather than null. */
export function finiteOrString(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** What the JSON says of a layer's kind: its type, and a conv2d's or a pooling layer's geometry. */
function kindFields(info: LayerInfo | undefined): object {
  if (!info) return { type: 'dense' };
  return {
    type: info.type,
    in_shape: info.inShape,
    out_shape: info.outShape,
    ...(info.kernel ? { kernel: info.kernel } : {}),
    ...(info.stride ? { stride: info.stride } : {}),
    ...(info.padding ? { padding: info.padding } : {}),
  };
}

/** One step as the JSON format writes it. */
export function stepToJson(s: StepRecord, ctx: TraceJsonContext): object {
  const weights = (info: LayerInfo | undefined, W: Matrix) =>
    info?.type === 'conv2d' ? toNested(W) : toFileLayoutW(ctx, W);
  return {
    step: s.step,
    loss: s.loss.value,
    loss_data: s.loss.dataTerm,
    loss_l2: s.loss.l2Term,
    dL_da: toNested(s.loss.dA),
    input_grad: toNested(s.inputGrad),
    layers: s.forward.map((f, i) => {
      const b = s.backward[i],
        u = s.update[i];
      const info = ctx.layers?.[i];
      const hasParameters = (ctx.parameterCounts?.[i] ?? 1) > 0;
      return {
        layer: f.layer,
        ...kindFields(info),
        activation: f.activation,
        z: toNested(f.z),
        a: toNested(f.a),
        delta: toNested(b.delta),
        sigma_prime: b.sigmaPrime ? toNested(b.sigmaPrime) : null,
        ...(hasParameters
          ? {
              dW: weights(info, b.dW),
              db: vec(b.db),
              W: weights(info, u.W),
              b: vec(u.b),
              W_next: weights(info, u.WNext),
              b_next: vec(u.bNext),
            }
          : {}),
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

/** The context with what the trace says of its layers, where the caller did not say it. */
function withKinds(trace: Pick<Trace, 'layers' | 'parameterCounts'>, ctx: TraceJsonContext): TraceJsonContext {
  return { ...ctx, layers: ctx.layers ?? trace.layers, parameterCounts: ctx.parameterCounts ?? trace.parameterCounts };
}

export function traceToJson(trace: Trace, context: TraceJsonContext): object {
  const ctx = withKinds(trace, context);
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
  const w = new TraceJsonWriter(withKinds(trace, ctx));
  const body = (steps ?? allSteps(trace)).map((n) => w.step(trace.steps.get(n))).join('');
  return w.head(trace) + body + w.tail(trace);
}
