/**
 * The editor's palette commands: Train N Steps…, Check Gradients, Apply Updated Weights,
 * Export Worked Solution, Show Trace as JSON. Each takes an optional model-file URI first (the
 * editor title and tests pass one) and returns what it made, so tests can check the effect.
 */
import * as vscode from 'vscode';
import { fileName } from '../names';
import { AnalyzeOptions } from '../../analysis/analyze';
import { numberText, updatedWeightEdits } from '../../model/weightEdits';
import { parameterRange } from '../../model/places';
import { traceToJsonText } from '../../report/json';
import { expectationRemarks, renderWorked, workedContext, WorkedFormat } from '../../report/worked';
import { ExtensionDeps } from '../deps';
import { registerCommand } from '../errors';
import { MODEL_FILE_PATTERN } from '../../model/types';
import { AnalysisRunner, RunCancelledError } from '../store';
import { measureStepMs } from '../../engine/run';
import { durationText } from '../duration';
import { DEFAULT_LIMITS } from '../../model/types';
import { toRange } from './convert';
import { ModelDocuments } from './documents';
import { gradCheckMarkdown } from './gradReport';
import { fmt } from './markdown';
import { readSettings } from '../settings';
import { currentAnalysis, ReadyAnalysis, shownStep } from './view';
import { folderOf, openUntitled } from './untitled';
import { RootCauses } from './rootCauses';

export interface CommandServices {
  readonly deps: ExtensionDeps;
  readonly documents: ModelDocuments;
  /** What the hand-derived values were last right for (Apply Updated Weights' follow-up). */
  readonly roots: RootCauses;
  /** The store's runner (in process or a worker), for runs the store does not keep (gradient check). */
  readonly runner: AnalysisRunner;
  /** Per-run options from the settings (limits). */
  readonly baseOptions: () => Omit<AnalyzeOptions, 'fileName' | 'steps'>;
}

export interface TrainResult {
  readonly steps: number;
  readonly losses: readonly number[];
  /** The notification shown. */
  readonly message: string;
}
export interface ApplyResult {
  readonly applied: boolean;
  readonly edits: number;
  readonly afterStep: number;
  readonly skipped: readonly string[];
  /** Hand-derived values that were right for the old weights and are wrong for the new ones. */
  readonly outdated: number;
  /** What was done about them (the notification's choice, or the command's argument). */
  readonly followUp?: FollowUp;
}

/**
 * After Apply Updated Weights, what to do with hand-derived values written for the old weights:
 * recompute them for the new ones, or keep them (the old weights back) and trace one step more.
 */
export type FollowUp = 'recompute' | 'nextStep';

/** The model file and its analysis, or a message saying why there is none. */
async function analysed(
  s: CommandServices,
  arg: unknown,
): Promise<{ doc: vscode.TextDocument; a: ReadyAnalysis } | undefined> {
  const doc = await s.documents.resolve(arg);
  if (!doc) {
    void vscode.window.showWarningMessage('Backprop: open a model file (*.bp.yaml or *.bp.json) first.');
    return undefined;
  }
  const a = await currentAnalysis(s.deps, doc);
  if (!a) {
    const errors = s.deps.store.get(doc.uri)?.analysis.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
    void vscode.window.showErrorMessage(
      `Backprop: ${fileName(doc.uri.path)} cannot be run${errors ? `: ${errors} error${errors === 1 ? '' : 's'} (see Problems)` : ''}.`,
    );
    return undefined;
  }
  return { doc, a };
}

/** A report beside the model file's editor, as an untitled document named after the model (problem1.trace.json). */
function showReport(
  model: vscode.Uri,
  suffix: string,
  content: string,
  language: string,
): Promise<vscode.TextDocument> {
  const stem = fileName(model.path).replace(MODEL_FILE_PATTERN, '');
  return openUntitled(folderOf(model), `${stem}${suffix}`, content, { language, column: vscode.ViewColumn.Beside });
}

export async function trainSteps(
  s: CommandServices,
  arg?: unknown,
  stepsArg?: unknown,
): Promise<TrainResult | undefined> {
  const r = await analysed(s, arg);
  if (!r) return undefined;
  const limit = readSettings(r.doc.uri).limits.maxSteps ?? DEFAULT_LIMITS.maxSteps;
  const fileSteps = r.a.model.spec.steps;
  const invalid = (v: string): string | undefined => {
    const n = Number(v.trim());
    return v.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= limit
      ? undefined
      : `A whole number from 1 to ${limit} (backprop.limits.maxSteps)`;
  };
  // Timed here on a few steps, so that the estimate shown before the run is this machine's.
  const stepMs = measureStepMs(r.a.model.spec);
  const expectedMs = (n: number) => n * stepMs;
  const validate = (v: string): string | vscode.InputBoxValidationMessage | undefined => {
    const bad = invalid(v);
    if (bad) return bad;
    const ms = expectedMs(Number(v.trim()));
    return ms > 3000
      ? {
          message: `About ${durationText(ms)} (${stepMs < 1 ? stepMs.toPrecision(2) : Math.round(stepMs)} ms a step here). It runs in the background with progress; Cancel keeps the steps done.`,
          severity: vscode.InputBoxValidationSeverity.Info,
        }
      : undefined;
  };
  let steps: number;
  if (stepsArg !== undefined) {
    // A command argument can be anything; JSON shows it as the caller wrote it.
    const given = typeof stepsArg === 'string' ? stepsArg : JSON.stringify(stepsArg);
    const bad = invalid(given);
    if (bad) throw new RangeError(`${bad}, got ${given}`);
    steps = Number(stepsArg);
  } else {
    const input = await vscode.window.showInputBox({
      title: `Train ${fileName(r.doc.uri.path)}`,
      prompt: `Training steps to run and trace (the file says ${fileSteps})`,
      value: String(s.deps.store.stepsOverride(r.doc.uri) ?? fileSteps),
      validateInput: validate,
    });
    if (input === undefined) return undefined;
    steps = Number(input.trim());
  }
  // The file's own count needs no override: later edits then follow the file again.
  const result = await s.deps.store.setSteps(r.doc, steps === fileSteps ? undefined : steps, expectedMs(steps));
  const trace = result?.analysis.trace;
  if (!trace) {
    void vscode.window.showInformationMessage(
      `Backprop: training cancelled; ${fileName(r.doc.uri.path)} keeps its previous run.`,
    );
    return undefined;
  }
  const losses = Array.from(trace.steps.losses());
  const format = readSettings(r.doc.uri).format;
  const fmtLoss = (x: number | undefined) => (x === undefined ? 'n/a' : fmt(x, format));
  s.deps.log.info(
    `${r.doc.uri.path}: trained ${trace.steps.length} steps, loss ${fmtLoss(losses[0])} → ${fmtLoss(losses[losses.length - 1])}`,
  );
  const message = `Backprop: ${trace.steps.length} step${trace.steps.length === 1 ? '' : 's'}, loss ${fmtLoss(losses[0])} → ${fmtLoss(losses[losses.length - 1])}${trace.stoppedEarly ? ` (${trace.stoppedEarly})` : ''}.`;
  void vscode.window.showInformationMessage(message, 'Open Trace Panel').then((pick) => {
    if (pick) void vscode.commands.executeCommand('backprop.openPanel', r.doc.uri);
  });
  return { steps: trace.steps.length, losses, message };
}

export async function checkGradients(s: CommandServices, arg?: unknown): Promise<vscode.TextDocument | undefined> {
  const r = await analysed(s, arg);
  if (!r) return undefined;
  // A file's own gradcheck.epsilon wins (the analysis reports it there if it cannot work); else the setting.
  const fromFile = r.a.model.ranges.gradcheckEpsilon !== undefined;
  const epsilon = fromFile ? undefined : readSettings(r.doc.uri).epsilon;
  const cts = new vscode.CancellationTokenSource();
  try {
    // Step 1 is all the check needs: the gradients it compares are those at the file's weights.
    const analysis = await s.runner(
      r.doc.getText(),
      { ...s.baseOptions(), fileName: r.doc.uri.path, steps: 1, gradcheck: epsilon === undefined ? {} : { epsilon } },
      cts.token,
    );
    const gc = analysis.gradcheck;
    if (!analysis.model || !gc) {
      void vscode.window.showErrorMessage('Backprop: the gradient check could not run (see Problems).');
      return undefined;
    }
    if (gc.refused && !fromFile) {
      s.deps.log.info(`${r.doc.uri.path}: gradient check refused: ${gc.refused}`);
      void vscode.window
        .showErrorMessage(
          `Backprop: the setting backprop.gradientCheck.epsilon cannot work for ${fileName(r.doc.uri.path)}: ${gc.refused}.`,
          'Open Settings',
        )
        .then((pick) => {
          if (pick)
            void vscode.commands.executeCommand('workbench.action.openSettings', 'backprop.gradientCheck.epsilon');
        });
      return undefined;
    }
    s.deps.log.info(
      `${r.doc.uri.path}: gradient check ${gc.ok ? 'passed' : 'failed'} on ${gc.checked} of ${gc.total} parameters, max relative error ${gc.maxRelError.toExponential(2)}`,
    );
    return await showReport(
      r.doc.uri,
      '.gradient-check.md',
      gradCheckMarkdown(analysis.model, gc, readSettings(r.doc.uri).format, fileName(r.doc.uri.path)),
      'markdown',
    );
  } catch (e) {
    if (e instanceof RunCancelledError) return undefined;
    throw e;
  } finally {
    cts.dispose();
  }
}

export async function applyUpdatedWeights(
  s: CommandServices,
  arg?: unknown,
  followUpArg?: unknown,
): Promise<ApplyResult | undefined> {
  const r = await analysed(s, arg);
  if (!r) return undefined;
  const { doc, a } = r;
  if (doc.version !== a.version) return undefined; // edited while it was analysed: the ranges belong to older text
  const plan = updatedWeightEdits(a.model, a.trace, doc.getText());
  for (const why of plan.skipped) s.deps.log.warn(`${doc.uri.path}: not written back: ${why}`);
  const none = { applied: false, edits: 0, afterStep: plan.afterStep, skipped: plan.skipped, outdated: 0 };
  if (plan.edits.length === 0) {
    void vscode.window.showInformationMessage(
      `Backprop: nothing to write${plan.skipped.length ? ` (${plan.skipped.join('; ')})` : ': W and b are unchanged by the update'}.`,
    );
    return none;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const e of plan.edits) edit.replace(doc.uri, toRange(e.range), e.text);
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) return none;
  // The values written for the old weights, as the analysis of the new text finds them.
  const now = await s.deps.store.ensure(doc);
  const root = now && s.roots.get(doc.uri, now.version);
  const outdated = root?.dependents.length ?? 0;
  const skipped = plan.skipped.length ? ` Not written: ${plan.skipped.join('; ')}.` : '';
  const wrote = `Backprop: wrote W and b after step ${plan.afterStep} (${plan.edits.length} numbers; Undo restores them).${skipped}`;
  const result = { applied, edits: plan.edits.length, afterStep: plan.afterStep, skipped: plan.skipped, outdated };
  if (!root) {
    void vscode.window.showInformationMessage(wrote);
    return result;
  }
  const next = plan.afterStep + 1;
  const choices: Record<string, FollowUp> = {
    'Recompute Them': 'recompute',
    [`Keep Them and Trace Step ${next}`]: 'nextStep',
  };
  const followUp = followUpArg === 'recompute' || followUpArg === 'nextStep' ? followUpArg : undefined;
  const run = async (f: FollowUp): Promise<void> => {
    if (f === 'recompute') await recomputeExpectations(s, doc.uri);
    else await traceNextStepInstead(s, doc, plan.afterStep);
  };
  if (followUp) {
    await run(followUp);
    return { ...result, followUp };
  }
  void vscode.window
    .showInformationMessage(
      `${wrote} ${outdated} hand-derived value${outdated === 1 ? ' was' : 's were'} right for the old weights: recompute them for the new ones, or keep them — the old weights back, traced on to step ${next}, which starts from the new ones.`,
      ...Object.keys(choices),
    )
    .then((pick) => (pick ? run(choices[pick]) : undefined))
    .then(undefined, (err: unknown) =>
      s.deps.log.error(`${doc.uri.path}: after Apply Updated Weights: ${String(err)}`),
    );
  return result;
}

/**
 * Every hand-derived value that differs, replaced by the computed one (also those whose written
 * shape does not fit): one edit, which Undo takes back. Returns how many values it rewrote.
 */
export async function recomputeExpectations(s: CommandServices, arg?: unknown): Promise<number | undefined> {
  const r = await analysed(s, arg);
  if (!r) return undefined;
  const fixes = r.a.analysis.diagnostics.filter(
    (d): d is typeof d & { fix: { kind: 'replace_expected'; text: string } } => d.fix?.kind === 'replace_expected',
  );
  if (fixes.length === 0) {
    void vscode.window.showInformationMessage('Backprop: every hand-derived value matches; nothing to recompute.');
    return 0;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const d of fixes) edit.replace(r.doc.uri, toRange(d.range), d.fix.text);
  return (await vscode.workspace.applyEdit(edit)) ? fixes.length : 0;
}

/**
 * Keeps hand-derived values written for the weights before an Apply Updated Weights: those weights
 * back, and `steps:` one more than the step applied, so the trace goes on to the step that starts
 * from the new weights. One edit.
 */
async function traceNextStepInstead(s: CommandServices, doc: vscode.TextDocument, afterStep: number): Promise<boolean> {
  const now = await s.deps.store.ensure(doc);
  const model = now?.analysis.model;
  const root = now && s.roots.get(doc.uri, now.version);
  if (!model || !root) return false;
  const edit = new vscode.WorkspaceEdit();
  for (const c of root.changed) {
    const text = numberText(c.before);
    if (text !== undefined) edit.replace(doc.uri, toRange(parameterRange(model, c.layer, c.param, c.i, c.j)), text);
  }
  const steps = afterStep + 1;
  const at = model.ranges.steps;
  if (at) edit.replace(doc.uri, toRange(at), String(steps));
  else if (model.format === 'yaml')
    edit.insert(
      doc.uri,
      doc.positionAt(doc.getText().length),
      `${doc.getText().endsWith('\n') ? '' : '\n'}steps: ${steps}\n`,
    );
  else edit.insert(doc.uri, doc.positionAt(doc.getText().indexOf('{') + 1), ` "steps": ${steps},`);
  return vscode.workspace.applyEdit(edit);
}

export async function exportWorkedSolution(
  s: CommandServices,
  arg?: unknown,
  formatArg?: unknown,
): Promise<vscode.TextDocument | undefined> {
  const r = await analysed(s, arg);
  if (!r) return undefined;
  let format: WorkedFormat | undefined = formatArg === 'markdown' || formatArg === 'latex' ? formatArg : undefined;
  if (!format) {
    const pick = await vscode.window.showQuickPick(
      [
        {
          label: 'Markdown',
          description: 'equations as $$…$$ (KaTeX in the Markdown preview)',
          format: 'markdown' as const,
        },
        { label: 'LaTeX', description: 'a standalone article (amsmath)', format: 'latex' as const },
      ],
      { title: 'Export worked solution as' },
    );
    if (!pick) return undefined;
    format = pick.format;
  }
  const { model, trace, analysis } = r.a;
  const text = renderWorked(
    trace,
    workedContext(model, {
      name: model.name || fileName(r.doc.uri.path),
      format: readSettings(r.doc.uri).format,
      remarks: expectationRemarks(analysis.expectations),
      steps: exportedSteps(s, r),
      leastSquares: analysis.leastSquares,
    }),
    format,
  );
  const report = await showReport(r.doc.uri, format === 'latex' ? '.worked.tex' : '.worked.md', text, format);
  // Markdown is read rendered: its preview, in the report's group beside the model, in front of its text.
  if (format === 'markdown') await vscode.commands.executeCommand('markdown.showPreview', report.uri);
  return report;
}

/** Runs longer than this export a selection of their steps (the whole of one is the CLI's job). */
const EXPORT_ALL_STEPS = 1000;

/**
 * The steps an export writes: all of a run up to EXPORT_ALL_STEPS; of a longer one the first, the
 * one shown and the last (each read through the trace store), saying so.
 */
function exportedSteps(s: CommandServices, r: { doc: vscode.TextDocument; a: ReadyAnalysis }): number[] | undefined {
  const n = r.a.trace.steps.length;
  if (n <= EXPORT_ALL_STEPS) return undefined;
  const steps = [...new Set([1, shownStep(s.deps, r.doc.uri, r.a.trace), n])].sort((a, b) => a - b);
  const list = steps.map((x) => x.toLocaleString('en-US')).join(', ');
  void vscode.window.showInformationMessage(
    `Backprop: this run has ${n.toLocaleString('en-US')} steps; the export holds steps ${list} (the first, the one shown, the last). For others: backprop trace ${fileName(r.doc.uri.path)} --steps ${n} --only-steps …`,
  );
  return steps;
}

export async function showTraceJson(s: CommandServices, arg?: unknown): Promise<vscode.TextDocument | undefined> {
  const r = await analysed(s, arg);
  if (!r) return undefined;
  const m = r.a.model;
  return showReport(
    r.doc.uri,
    '.trace.json',
    traceToJsonText(
      r.a.trace,
      { name: m.name, convention: m.convention, batchLayout: m.batchLayout },
      exportedSteps(s, r),
    ) + '\n',
    'json',
  );
}

export function registerCommands(s: CommandServices): vscode.Disposable {
  return vscode.Disposable.from(
    registerCommand(s.deps, 'backprop.train', (arg, steps) => trainSteps(s, arg, steps)),
    registerCommand(s.deps, 'backprop.checkGradients', (arg) => checkGradients(s, arg)),
    registerCommand(s.deps, 'backprop.applyUpdatedWeights', (arg, followUp) => applyUpdatedWeights(s, arg, followUp)),
    registerCommand(s.deps, 'backprop.recomputeExpectations', (arg) => recomputeExpectations(s, arg)),
    registerCommand(s.deps, 'backprop.exportWorkedSolution', (arg, format) => exportWorkedSolution(s, arg, format)),
    registerCommand(s.deps, 'backprop.showTraceJson', (arg) => showTraceJson(s, arg)),
  );
}
