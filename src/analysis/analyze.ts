/**
 * The one pipeline every view runs: parse → train (traced) → hand-derived values → numeric
 * health → gradient check, with every finding as a diagnostic at its place in the file.
 * The CLI prints it; the extension publishes it; neither re-implements any step.
 */
import { parseModel } from '../model/parse';
import { checkExpectations, ExpectationResult } from '../model/expect';
import { Limits, Model, ModelDiagnostic, ParseResult, SourceRange } from '../model/types';
import { train, TrainOptions } from '../engine/run';
import { Trace } from '../engine/trace';
import { gradientCheck, GradCheckOptions, GradCheckResult } from '../engine/gradcheck';
import { formatNumber, sup } from '../engine/numberFormat';

export interface AnalyzeOptions {
  readonly fileName?: string;
  readonly steps?: number;
  readonly limits?: Partial<Limits>;
  /** Run the gradient check (default false: it costs 2 forward passes per parameter). */
  readonly gradcheck?: boolean | GradCheckOptions;
  readonly train?: Omit<TrainOptions, 'steps'>;
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
  const expectations = checkExpectations(model, trace);
  for (const r of expectations) diagnostics.push(...r.diagnostics());
  for (const h of trace.health) {
    diagnostics.push({ range: layerRange(model, h.layer), severity: h.severity, message: h.message, code: h.kind.replace(/_/g, '-') });
  }
  let gc: GradCheckResult | undefined;
  if (options.gradcheck) {
    const o = typeof options.gradcheck === 'object' ? options.gradcheck : {};
    gc = gradientCheck(model.spec, { epsilon: model.gradcheckEpsilon, ...o });
    for (const e of gc.entries) {
      if (e.ok) continue;
      const name = `∂L/∂${e.param}${sup(e.layer)}${e.param === 'W' ? `[${e.i + 1}][${e.j + 1}]` : `[${e.i + 1}]`}`;
      diagnostics.push({
        range: parameterRange(model, e.layer, e.param, e.i, e.j),
        severity: 'error', code: 'gradient-check',
        message: `gradient check failed for ${name}: analytic ${formatNumber(e.analytic, 10)}, central difference ${formatNumber(e.numeric, 10)} (relative error ${e.relError.toExponential(2)}, ε = ${gc.epsilon})`,
      });
    }
  }
  return { model, trace, expectations, gradcheck: gc, diagnostics: sortDiagnostics(diagnostics) };
}

function sortDiagnostics(d: ModelDiagnostic[]): ModelDiagnostic[] {
  return d.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

/** Where a finding about layer l (0 = the loss) belongs: the layer's head, or the `loss:` key. */
export function layerRange(model: Model, layer: number): SourceRange {
  const r = model.ranges;
  if (layer === 0) return r.lossKey ?? r.loss ?? r.layersKey ?? start();
  return r.layers[layer - 1]?.head ?? r.layersKey ?? start();
}

/** The literal of one parameter, given in the engine's layout (W is out × in). */
export function parameterRange(model: Model, layer: number, param: 'W' | 'b', i: number, j: number): SourceRange {
  const lr = model.ranges.layers[layer - 1];
  if (!lr) return layerRange(model, layer);
  if (param === 'b') return lr.b?.cells[0]?.[i] ?? lr.b?.value ?? lr.head;
  const cells = lr.W?.cells;
  const cell = model.convention === 'out_in' ? cells?.[i]?.[j] : cells?.[j]?.[i];
  return cell ?? lr.W?.value ?? lr.head;
}

function start(): SourceRange {
  const p = { line: 0, character: 0, offset: 0 };
  return { start: p, end: p };
}
