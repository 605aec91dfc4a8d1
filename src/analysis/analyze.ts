/**
 * The one pipeline every view runs: parse → train (traced) → hand-derived values → numeric
 * health → gradient check, with every finding as a diagnostic at its place in the file.
 * The CLI prints it; the extension publishes it; neither re-implements any step.
 */
import { parseModel } from '../model/parse';
import { checkExpectations, ExpectationResult } from './expect';
import { Limits, Model, ModelDiagnostic, ParseResult } from '../model/types';
import { layerAnchor, parameterRange } from '../model/places';
import { train, TrainOptions } from '../engine/run';
import { Trace } from '../engine/trace';
import { gradientCheck, GradCheckOptions, GradCheckResult } from '../engine/gradcheck';
import { formatNumber, formatValue, NumberFormat, sup } from '../engine/numberFormat';
import { weightCell } from '../model/layout';
import { DistanceRecorder, LeastSquaresResult, solveLeastSquares } from './leastSquares';

export interface AnalyzeOptions {
  readonly fileName?: string;
  readonly steps?: number;
  readonly limits?: Partial<Limits>;
  /** Run the gradient check (default false: it costs 2 forward passes per parameter). */
  readonly gradcheck?: boolean | GradCheckOptions;
  readonly train?: Omit<TrainOptions, 'steps'>;
  /** How messages write values (the editor passes the user's settings); without, as the CLI writes them. */
  readonly format?: NumberFormat;
}

export interface Analysis {
  readonly model?: Model;
  readonly trace?: Trace;
  readonly expectations: readonly ExpectationResult[];
  readonly gradcheck?: GradCheckResult;
  /** The closed-form optimum beside gradient descent, for a linear-regression network (leastSquares.ts). */
  readonly leastSquares?: LeastSquaresResult;
  /** Parse, shape, expectation, health and gradient-check findings, in file order. */
  readonly diagnostics: readonly ModelDiagnostic[];
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  return analyzeParsed(parseModel(text, { fileName: options.fileName, limits: options.limits }), options);
}

/** The rest of the pipeline, for a caller that already parsed the text (with the same fileName and limits). */
export function analyzeParsed(parsed: ParseResult, options: AnalyzeOptions = {}): Analysis {
  const model = runnableModel(parsed);
  if (!model) return { model: parsed.model, expectations: [], diagnostics: sortDiagnostics([...parsed.diagnostics]) };
  const training = trainOptions(model, options);
  return analyzeTrained(parsed, model, train(model.spec, training), { ...options, training });
}

/** The model, when the parse found no error that stops it from running. */
export function runnableModel(parsed: ParseResult): Model | undefined {
  return parsed.model && !parsed.diagnostics.some((d) => d.severity === 'error') ? parsed.model : undefined;
}

/** TrainOptions plus what the pipeline follows during the run (hand it back to analyzeTrained). */
export interface PipelineTraining extends TrainOptions {
  /** A linear-regression network's closed form, and each step's distance to it as the run goes. */
  readonly leastSquares?: DistanceRecorder;
}

/** How the pipeline trains a model: the steps `expect:` names keep their records in the trace store. */
export function trainOptions(model: Model, options: AnalyzeOptions): PipelineTraining {
  const base: TrainOptions = {
    ...options.train,
    steps: options.steps,
    keepSteps: [...new Set(model.expectations.map((e) => e.step))],
  };
  const solution = solveLeastSquares(model.spec);
  if (!solution) return base;
  const recorder = new DistanceRecorder(solution, options.steps ?? model.spec.steps);
  const next = base.onRecord;
  return {
    ...base,
    leastSquares: recorder,
    onRecord: (r) => {
      recorder.add(r);
      next?.(r);
    },
  };
}

/** The pipeline after training (a caller that ran the Trainer itself: the CLI streams, the worker slices). */
export function analyzeTrained(
  parsed: ParseResult,
  model: Model,
  trace: Trace,
  options: AnalyzeOptions & { readonly training?: PipelineTraining } = {},
): Analysis {
  const diagnostics: ModelDiagnostic[] = [...parsed.diagnostics];
  const leastSquares = options.training?.leastSquares?.result();
  // Dependent columns are a flaw in the data, warned about at the input. Fewer examples than
  // parameters (a worked problem of one example) is what the file meant: the closed form's own
  // views say it is one of many, the Problems view stays the file's.
  if (leastSquares?.warning && model.spec.input.rows >= leastSquares.columns)
    diagnostics.push({
      range: model.ranges.input?.value ?? layerAnchor(model, 1),
      severity: 'warning',
      code: 'least-squares-singular',
      message: leastSquares.warning,
    });
  const expectations = checkExpectations(model, trace, options.format);
  for (const r of expectations) diagnostics.push(...r.diagnostics());
  for (const h of trace.health) {
    diagnostics.push({
      range: layerAnchor(model, h.layer),
      severity: h.severity,
      message: h.message,
      code: h.kind.replace(/_/g, '-'),
    });
  }
  let gc: GradCheckResult | undefined;
  if (options.gradcheck) {
    const o = typeof options.gradcheck === 'object' ? options.gradcheck : {};
    gc = gradientCheck(model.spec, { ...o, epsilon: o.epsilon ?? model.gradcheckEpsilon });
    diagnostics.push(...gradcheckDiagnostics(model, gc, o.epsilon === undefined, options.format));
  }
  return { model, trace, expectations, gradcheck: gc, leastSquares, diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * Failures as errors at the parameter, kinks as notes there; an ε the file set that cannot work
 * as an error at that ε (an ε from the caller is the caller's to refuse). A check that did not
 * run for a NaN says nothing: the trace's health reports that NaN once.
 */
function gradcheckDiagnostics(
  model: Model,
  gc: GradCheckResult,
  fileEpsilon: boolean,
  format: NumberFormat | undefined,
): ModelDiagnostic[] {
  const show = (x: number) => (format ? formatValue(x, format) : formatNumber(x, 10));
  if (gc.refused)
    return fileEpsilon
      ? [
          {
            range: model.ranges.gradcheckEpsilon ?? layerAnchor(model, 1),
            severity: 'error',
            code: 'gradcheck-epsilon',
            message: gc.refused,
          },
        ]
      : [];
  const out: ModelDiagnostic[] = [];
  for (const e of gc.entries) {
    if (e.ok && !e.kink) continue;
    const [r, c] = e.param === 'W' ? weightCell(model.convention, e.i, e.j) : [e.i, 0];
    const name = `∂L/∂${e.param}${sup(e.layer)}${e.param === 'W' ? `[${r + 1}][${c + 1}]` : `[${r + 1}]`}`;
    out.push(
      e.kink
        ? {
            range: parameterRange(model, e.layer, e.param, e.i, e.j),
            severity: 'info',
            code: 'gradient-check-kink',
            message: `gradient check of ${name}: ${e.kink}; not compared (analytic ${show(e.analytic)}, central difference ${show(e.numeric)})`,
          }
        : {
            range: parameterRange(model, e.layer, e.param, e.i, e.j),
            severity: 'error',
            code: 'gradient-check',
            message: `gradient check failed for ${name}: analytic ${show(e.analytic)}, central difference ${show(e.numeric)} (|difference| ${e.absError.toExponential(2)} > tolerance ${e.tolerance.toExponential(2)}, ε = ${gc.epsilon})`,
          },
    );
  }
  return out;
}

function sortDiagnostics(d: ModelDiagnostic[]): ModelDiagnostic[] {
  return d.sort((a, b) => a.range.start.offset - b.range.start.offset);
}
