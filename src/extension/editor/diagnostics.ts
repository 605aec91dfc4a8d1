/**
 * Diagnostics as you type: every finding of the latest analysis (parse, schema, shape, wrong
 * hand-derived values, numeric health) at its exact range, source `backprop`, code = the
 * finding's id. Values that match (`expect-match`) are not published: the Problems view is for
 * problems; hovering an expect value still says it matches.
 */
import * as vscode from 'vscode';
import { ModelDiagnostic } from '../../model/types';
import { ExtensionDeps } from '../deps';
import { toRange, toSeverity } from './convert';

export const DIAGNOSTIC_SOURCE = 'backprop';
/** Findings that are good news, kept out of the Problems view. */
export const HIDDEN_CODES: ReadonlySet<string> = new Set(['expect-match']);

export function toDiagnostic(d: ModelDiagnostic): vscode.Diagnostic {
  const v = new vscode.Diagnostic(toRange(d.range), d.message, toSeverity(d.severity));
  v.source = DIAGNOSTIC_SOURCE;
  v.code = d.code;
  return v;
}

export function registerDiagnostics(deps: ExtensionDeps): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('backprop');
  const publish = (uri: vscode.Uri, diagnostics: readonly ModelDiagnostic[]) =>
    collection.set(uri, diagnostics.filter((d) => !HIDDEN_CODES.has(d.code)).map(toDiagnostic));
  for (const doc of vscode.workspace.textDocuments) {
    const r = deps.store.get(doc.uri);
    if (r && r.version === doc.version) publish(r.uri, r.analysis.diagnostics);
  }
  return vscode.Disposable.from(
    collection,
    deps.store.onDidUpdate((r) => {
      publish(r.uri, r.analysis.diagnostics);
      deps.log.debug(
        `${r.uri.path}: v${r.version} analysed in ${r.elapsed} ms, ${r.analysis.diagnostics.length} findings`,
      );
    }),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
  );
}
