/**
 * Diagnostics as you type: every finding of the latest analysis (parse, schema, shape, wrong
 * hand-derived values, numeric health) at its exact range, source `backprop`, code = the
 * finding's id. Values that match (`expect-match`) are not published: the Problems view is for
 * problems; hovering an expect value still says it matches. When one edit of the parameters
 * turns many values wrong, that is one error at the changed parameter, pointing at each value
 * (related information); the values themselves become hints, still fixable one by one.
 */
import * as vscode from 'vscode';
import { RootCause } from '../../analysis/rootCause';
import { ModelDiagnostic, SourceRange } from '../../model/types';
import { ExtensionDeps } from '../deps';
import { toRange, toSeverity } from './convert';
import { RootCauses } from './rootCauses';

export const DIAGNOSTIC_SOURCE = 'backprop';
/** Findings that are good news, kept out of the Problems view. */
export const HIDDEN_CODES: ReadonlySet<string> = new Set(['expect-match']);
/** The one error at a changed parameter that many wrong values share. */
export const ROOT_CAUSE_CODE = 'expect-changed-parameter';

export function toDiagnostic(d: ModelDiagnostic): vscode.Diagnostic {
  const v = new vscode.Diagnostic(toRange(d.range), d.message, toSeverity(d.severity));
  v.source = DIAGNOSTIC_SOURCE;
  v.code = d.code;
  return v;
}

const at = (r: SourceRange) => `${r.start.offset}:${r.end.offset}`;

/** The wrong value's own diagnostic, for a dependent of a root cause. */
export function dependentDiagnostics(
  diagnostics: readonly ModelDiagnostic[],
  root: RootCause,
): (ModelDiagnostic | undefined)[] {
  const byRange = new Map(diagnostics.filter((d) => d.code === 'expect-mismatch').map((d) => [at(d.range), d]));
  return root.dependents.map((x) => byRange.get(at(x.range)));
}

export function withRootCause(
  uri: vscode.Uri,
  diagnostics: readonly ModelDiagnostic[],
  root: RootCause | undefined,
): vscode.Diagnostic[] {
  const visible = diagnostics.filter((d) => !HIDDEN_CODES.has(d.code));
  const shown = visible.map(toDiagnostic);
  if (!root) return shown;
  const own = dependentDiagnostics(diagnostics, root);
  const grouped = new Set(own.flatMap((d) => (d ? [at(d.range)] : [])));
  // Hints stay in the editor (and keep their quick fix) but leave the Problems view to the root.
  visible.forEach((d, k) => {
    if (d.code === 'expect-mismatch' && grouped.has(at(d.range))) shown[k].severity = vscode.DiagnosticSeverity.Hint;
  });
  const rootDiagnostic = new vscode.Diagnostic(toRange(root.range), root.message, vscode.DiagnosticSeverity.Error);
  rootDiagnostic.source = DIAGNOSTIC_SOURCE;
  rootDiagnostic.code = ROOT_CAUSE_CODE;
  rootDiagnostic.relatedInformation = root.dependents.map(
    (x, k) =>
      new vscode.DiagnosticRelatedInformation(
        new vscode.Location(uri, toRange(x.range)),
        own[k]?.message ?? `${x.result.symbol} is wrong here`,
      ),
  );
  return [rootDiagnostic, ...shown];
}

export function registerDiagnostics(deps: ExtensionDeps, roots: RootCauses): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('backprop');
  const publish = (r: { uri: vscode.Uri; analysis: { diagnostics: readonly ModelDiagnostic[] } }, root?: RootCause) =>
    collection.set(r.uri, withRootCause(r.uri, r.analysis.diagnostics, root));
  for (const doc of vscode.workspace.textDocuments) {
    const r = deps.store.get(doc.uri);
    if (r && r.version === doc.version) publish(r, roots.update(r));
  }
  return vscode.Disposable.from(
    collection,
    deps.store.onDidUpdate((r) => {
      publish(r, roots.update(r));
      deps.log.debug(
        `${r.uri.path}: v${r.version} analysed in ${r.elapsed} ms, ${r.analysis.diagnostics.length} findings`,
      );
    }),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
  );
}
