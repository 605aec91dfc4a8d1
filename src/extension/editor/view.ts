/**
 * What the editor features share: the current analysis of a document with its model and trace,
 * the step they show, and the number format — or nothing while the document has errors.
 */
import * as vscode from 'vscode';
import { Analysis } from '../../analysis/analyze';
import { Trace } from '../../engine/trace';
import { Model } from '../../model/types';
import { ExtensionDeps } from '../deps';
import { isModelDocument } from '../modelFiles';
import { HoverContext } from './hoverContent';
import { readSettings } from '../settings';

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
  if (!analysis?.model || !analysis.trace || version !== doc.version || analysis.trace.steps.length === 0)
    return undefined;
  return { analysis, model: analysis.model, trace: analysis.trace, version };
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
  return { model: a.model, trace: a.trace, step: shownStep(deps, uri, a.trace), format: readSettings(uri).format };
}
