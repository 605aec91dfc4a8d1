/**
 * What the editor features share: the current analysis of a document with its model and trace,
 * the step they show, and the number format — or nothing while the document has errors.
 */
import * as vscode from 'vscode';
import { Analysis } from '../../analysis/analyze';
import { Trace } from '../../engine/trace';
import { Model, ModelDiagnostic, SourceRange } from '../../model/types';
import { ExtensionDeps } from '../deps';
import { LastGood } from '../lastGood';
import { isModelDocument } from '../modelFiles';
import { HoverContext } from './hoverContent';
import { readSettings } from '../settings';
import { esc } from './markdown';

export interface ReadyAnalysis {
  readonly analysis: Analysis;
  readonly model: Model;
  readonly trace: Trace;
  readonly version: number;
}

/** The analysis of the document's current version (computed now if needed), when it has a trace. */
export async function currentAnalysis(
  deps: ExtensionDeps,
  doc: vscode.TextDocument,
): Promise<ReadyAnalysis | undefined> {
  if (!isModelDocument(doc)) return undefined;
  const r = await deps.store.ensure(doc);
  return ready(r?.analysis, r?.version, doc);
}

/** The analysis of the current version once the debounced run has produced it (see AnalysisStore.whenSettled). */
export async function settledAnalysis(
  deps: ExtensionDeps,
  doc: vscode.TextDocument,
  token: vscode.CancellationToken,
): Promise<ReadyAnalysis | undefined> {
  if (!isModelDocument(doc)) return undefined;
  const r = await deps.store.whenSettled(doc, token);
  return ready(r?.analysis, r?.version, doc);
}

/** The latest analysis without computing, when it is for the current version and has a trace. */
export function latestAnalysis(deps: ExtensionDeps, doc: vscode.TextDocument): ReadyAnalysis | undefined {
  const r = deps.store.get(doc.uri);
  return ready(r?.analysis, r?.version, doc);
}

function ready(
  analysis: Analysis | undefined,
  version: number | undefined,
  doc: vscode.TextDocument,
): ReadyAnalysis | undefined {
  if (version !== doc.version) return undefined;
  return withTrace(analysis, version);
}

function withTrace(analysis: Analysis | undefined, version: number): ReadyAnalysis | undefined {
  if (!analysis?.model || !analysis.trace || analysis.trace.steps.length === 0) return undefined;
  return { analysis, model: analysis.model, trace: analysis.trace, version };
}

/** The last analysis that ran, shown while the current text does not: its places mapped into the current text. */
export interface StaleAnalysis extends ReadyAnalysis {
  readonly good: LastGood;
  /** What stops the current text from running. */
  readonly errors: readonly ModelDiagnostic[];
}

/**
 * When the analysis of the document's current version has no trace (a syntax error mid-edit),
 * the last one that had, for views that show its numbers marked stale; undefined otherwise.
 */
export function staleAnalysis(deps: ExtensionDeps, doc: vscode.TextDocument): StaleAnalysis | undefined {
  const latest = deps.store.get(doc.uri);
  if (!latest || latest.version !== doc.version || latest.analysis.trace) return undefined;
  const good = deps.store.lastGood(doc.uri);
  const a = good && withTrace(good.result.analysis, good.result.version);
  if (!good || !a) return undefined;
  return { ...a, good, errors: latest.analysis.diagnostics.filter((d) => d.severity === 'error') };
}

/** A range of the stale analysis's text, in the current text (undefined: edited away since). */
export function staleRange(doc: vscode.TextDocument, s: StaleAnalysis, r: SourceRange): vscode.Range | undefined {
  const start = s.good.toCurrent(r.start.offset),
    end = s.good.toCurrent(r.end.offset);
  return start === undefined || end === undefined
    ? undefined
    : new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}

/** One line saying the numbers are not up to date, and why (Markdown). */
export function staleNote(s: Pick<StaleAnalysis, 'errors'>): string {
  const n = s.errors.length;
  const first = s.errors[0];
  const why = first ? ` (line ${first.range.start.line + 1}: ${esc(first.message)})` : '';
  return `⚠ **Not up to date**: the file has ${n === 1 ? 'an error' : `${n || 'some'} errors`}${why}; these numbers are from its last version that ran.`;
}

/**
 * The step hovers, CodeLens and inlay hints show: the stepping session's current step when the
 * panel (or a step command) has moved it on this very trace, else step 1 — the step whose
 * W and b are the numbers written in the file.
 */
export function shownStep(deps: ExtensionDeps, uri: vscode.Uri, trace: Trace): number {
  const session = deps.sessions.get(uri);
  const step = session && session.trace === trace ? (session.current?.step ?? 1) : 1;
  return Math.min(Math.max(1, step), trace.steps.length);
}

export function hoverContext(deps: ExtensionDeps, uri: vscode.Uri, a: ReadyAnalysis): HoverContext {
  return {
    model: a.model,
    trace: a.trace,
    step: shownStep(deps, uri, a.trace),
    format: readSettings(uri).format,
    leastSquares: a.analysis.leastSquares,
  };
}
