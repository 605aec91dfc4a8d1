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
  /** Parse, shape, expectation, health and gradient-check findings, in file order. */
  readonly diagnostics: readonly ModelDiagnostic[];
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  return analyzeParsed(parseModel(text, { fileName: options.fileName, limits: options.limits }), options);
}

/** The rest of the pipeline, for a caller that already parsed the text (with the same fileName and limits). */
export function analyzeParsed(parsed: ParseResult, options: AnalyzeOptions = {}): Analysis {
  const diagnostics: ModelDiagnostic[] = [...parsed.diagnostics];
  const model = parsed.model;
  if (!model || parsed.diagnostics.some((d) => d.severity === 'error')) {
    return { model, expectations: [], diagnostics: sortDiagnostics(diagnostics) };
  }
  const trace = train(model.spec, { ...options.train, steps: options.steps });
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
    gc = gradientCheck(model.spec, { epsilon: model.gradcheckEpsilon, ...o });
    const show = (x: number) => (options.format ? formatValue(x, options.format) : formatNumber(x, 10));
    for (const e of gc.entries) {
      if (e.ok) continue;
      const name = `∂L/∂${e.param}${sup(e.layer)}${e.param === 'W' ? `[${e.i + 1}][${e.j + 1}]` : `[${e.i + 1}]`}`;
      diagnostics.push({
        range: parameterRange(model, e.layer, e.param, e.i, e.j),
        severity: 'error',
        code: 'gradient-check',
        message: `gradient check failed for ${name}: analytic ${show(e.analytic)}, central difference ${show(e.numeric)} (relative error ${e.relError.toExponential(2)}, ε = ${gc.epsilon})`,
      });
    }
  }
  return { model, trace, expectations, gradcheck: gc, diagnostics: sortDiagnostics(diagnostics) };
}

function sortDiagnostics(d: ModelDiagnostic[]): ModelDiagnostic[] {
  return d.sort((a, b) => a.range.start.offset - b.range.start.offset);
}
