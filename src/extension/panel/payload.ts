/**
 * What the host sends the panel, built from a trace: the document summary once per trace, and
 * one step at a time on request (a long run's steps would be hundreds of megabytes at once).
 * Pure — no `vscode` — so the headless panel tests build their messages with the same code.
 */
import type { Analysis } from '../../analysis/analyze';
import { describeOptimizer, equationsFor } from '../../report/equations';
import { GradCheckResult } from '../../engine/gradcheck';
import { eventsOfStep, StepRecord, Trace } from '../../engine/trace';
import { widths } from '../../engine/layers/registry';
import { DocumentData, PanelSettings, StepData, WireGradCheck } from '../../protocol';
import { wireChecks } from './checks';
import type { LeastSquaresResult } from '../../analysis/leastSquares';

/** A trace and what the panel needs to know about the file it came from. */
export interface PanelSource extends Pick<
  DocumentData,
  'uri' | 'fileName' | 'name' | 'convention' | 'batchLayout' | 'widths' | 'activations' | 'loss' | 'checks'
> {
  readonly trace: Trace;
  readonly gradcheck?: GradCheckResult;
  readonly leastSquares?: LeastSquaresResult;
}

/** What the panel shows of an analysis, or undefined when there is no trace to step through. */
export function sourceFromAnalysis(uri: string, fileName: string, a: Analysis): PanelSource | undefined {
  const { model, trace } = a;
  if (!model || !hasSteps(trace)) return undefined;
  return {
    uri,
    fileName,
    name: model.name,
    convention: model.convention,
    batchLayout: model.batchLayout,
    widths: widths(model.spec),
    activations: model.spec.layers.map((l) => l.activation),
    loss: model.spec.loss,
    trace,
    checks: wireChecks(model, a.expectations),
    gradcheck: a.gradcheck,
    leastSquares: a.leastSquares,
  };
}

/** The panel can only step through a trace that recorded at least one step. */
export function hasSteps(trace: Trace | undefined): trace is Trace {
  return !!trace && trace.steps.length > 0;
}

export function documentData(src: PanelSource, revision: number): DocumentData {
  const t = src.trace;
  const gc = src.gradcheck;
  const gradcheck: WireGradCheck | null = gc
    ? {
        epsilon: gc.epsilon,
        checked: gc.checked,
        total: gc.total,
        maxRelError: gc.maxRelError,
        ok: gc.ok,
        entries: gc.entries.map((e) => ({
          layer: e.layer,
          param: e.param,
          i: e.i,
          j: e.j,
          analytic: e.analytic,
          numeric: e.numeric,
          relError: e.relError,
          ok: e.ok,
          ...(e.kink ? { kink: e.kink } : {}),
        })),
      }
    : null;
  return {
    revision,
    uri: src.uri,
    fileName: src.fileName,
    name: src.name,
    convention: src.convention,
    batchLayout: src.batchLayout,
    widths: [...src.widths],
    activations: [...src.activations],
    layers: wireLayers(t, src.widths),
    loss: src.loss,
    optimizer: describeOptimizer(t.optimizer) + (t.l2 ? `, L2 λ = ${t.l2}` : ''),
    batch: t.steps.get(1).input.rows,
    losses: t.steps.losses().slice(),
    parameterCounts: [...t.parameterCounts],
    health: t.health.map((h) => ({
      kind: h.kind,
      severity: h.severity,
      step: h.step,
      layer: h.layer,
      quantity: h.quantity,
      message: h.message,
    })),
    checks: [...src.checks],
    gradcheck,
    stoppedEarly: t.stoppedEarly ?? null,
    leastSquares: leastSquaresData(src.leastSquares, t.steps.length),
  };
}

/** The closed form for the panel: the distances of the steps the trace has (a cancelled run has fewer). */
function leastSquaresData(ls: LeastSquaresResult | undefined, steps: number): DocumentData['leastSquares'] {
  if (!ls) return null;
  return { W: ls.W, b: ls.b, loss: ls.loss, distances: ls.distances.slice(0, steps), warning: ls.warning ?? null };
}

/** Each layer's kind and shapes; a trace recorded without them is all dense layers of the given widths. */
function wireLayers(t: Trace, widths: readonly number[]): DocumentData['layers'] {
  return widths.slice(1).map((n, l) => {
    const info = t.layers?.[l];
    return {
      type: info?.type ?? 'dense',
      inShape: info ? [...info.inShape] : [widths[l]],
      outShape: info ? [...info.outShape] : [n],
      kernel: info?.kernel ? [info.kernel[0], info.kernel[1]] : null,
      stride: info?.stride ? [info.stride[0], info.stride[1]] : null,
      padding: info?.kernel ? [info.padding?.[0] ?? 0, info.padding?.[1] ?? 0] : null,
    };
  });
}

/**
 * Rows/columns of a matrix written out in the panel's equations: all of them up to 8 (the
 * textbook sizes), else 6 with an ellipsis — the equations sit beside the matrices, which show
 * every entry, and a narrow panel cannot show 8 columns of numbers anyway.
 */
function panelMaxEntries(s: StepRecord): number {
  const largest = Math.max(s.input.rows, s.input.cols, ...s.forward.map((f) => f.z.cols));
  return largest <= 8 ? 8 : 6;
}

/**
 * One recorded step with its events' equations. The typed arrays are the trace's own (never
 * mutated once recorded), so nothing is copied here; postMessage copies them once, as binary.
 */
export function stepData(
  trace: Trace,
  step: number,
  convention: 'out_in' | 'in_out',
  settings: PanelSettings,
): StepData {
  const s = trace.steps.get(step);
  const L = s.forward.length;
  return {
    step: s.step,
    input: s.input,
    target: s.target,
    forward: s.forward.map((f) => ({ z: f.z, a: f.a })),
    loss: { value: s.loss.value, dataTerm: s.loss.dataTerm, l2Term: s.loss.l2Term, dA: s.loss.dA, fused: s.loss.fused },
    backward: s.backward.map((b) => ({ dA: b.dA, sigmaPrime: b.sigmaPrime, delta: b.delta, dW: b.dW, db: b.db })),
    inputGrad: s.inputGrad,
    update: s.update.map((u) => ({ W: u.W, b: u.b, WNext: u.WNext, bNext: u.bNext })),
    equations: eventsOfStep(s.step, L).map((e) =>
      equationsFor(trace, e, {
        convention,
        digits: settings.digits,
        style: settings.numberFormat,
        maxEntries: panelMaxEntries(s),
      }),
    ),
  };
}
