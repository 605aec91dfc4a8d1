/**
 * Quick fixes from the fix data the model layer attaches to its findings: replace a wrong
 * hand-derived value with the computed one, transpose a W written the other way round, add a
 * missing b. Each is one WorkspaceEdit, so one Undo takes it back.
 */
import * as vscode from 'vscode';
import { ModelDiagnostic } from '../../model/types';
import { ExtensionDeps } from '../deps';
import { MODEL_SELECTOR } from '../modelFiles';
import { sameRange, toPosition, toRange } from './convert';
import { DIAGNOSTIC_SOURCE, dependentDiagnostics, ROOT_CAUSE_CODE } from './diagnostics';
import { RootCauses } from './rootCauses';
import { RootCause } from '../../analysis/rootCause';
import { numberText } from '../../model/weightEdits';
import { parameterRange } from '../../model/places';
import { Model } from '../../model/types';
import { fmt } from './markdown';
import { readSettings } from '../settings';

/** The findings that are a hand-derived value differing from the trace (wrong number, wrong shape, nothing to compare). */
const EXPECT_ERRORS: ReadonlySet<string> = new Set(['expect-mismatch', 'expect-shape', 'expect-unavailable']);

type Fixable = ModelDiagnostic & { readonly fix: NonNullable<ModelDiagnostic['fix']> };

function title(d: Fixable): string {
  switch (d.fix.kind) {
    case 'replace_expected':
      return `Replace with the computed value ${d.fix.text}`;
    case 'transpose_matrix':
      return 'Transpose W to the shape the convention needs';
    case 'add_bias':
      return `Add b (${d.fix.text.trim().replace(/^,\s*/, '')})`;
  }
}

function applyFix(edit: vscode.WorkspaceEdit, uri: vscode.Uri, d: Fixable): void {
  if (d.fix.kind === 'add_bias') edit.insert(uri, toPosition(d.fix.insertAt), d.fix.text);
  else edit.replace(uri, toRange(d.range), d.fix.text);
}

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly deps: ExtensionDeps,
    private readonly roots: RootCauses,
  ) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const r = this.deps.store.get(doc.uri);
    // Fix data belongs to one version of the text: offer nothing for a stale analysis.
    if (!r || r.version !== doc.version) return [];
    const fixable = r.analysis.diagnostics.filter((d): d is Fixable => !!d.fix);
    const actions: vscode.CodeAction[] = [];
    const root = this.roots.get(doc.uri, r.version);
    for (const vd of context.diagnostics) {
      if (vd.source !== DIAGNOSTIC_SOURCE) continue;
      if (vd.code === ROOT_CAUSE_CODE && root && r.analysis.model) {
        actions.push(...rootCauseFixes(doc, r.analysis.model, r.analysis.diagnostics, root, vd));
        continue;
      }
      const d = fixable.find((m) => m.code === vd.code && m.message === vd.message && sameRange(m.range, vd.range));
      if (!d) continue;
      const action = new vscode.CodeAction(title(d), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      applyFix(action.edit, doc.uri, d);
      action.diagnostics = [vd];
      action.isPreferred = true;
      actions.push(action);
    }
    const wrong = fixable.filter((d) => d.fix.kind === 'replace_expected');
    if (actions.some((a) => a.title.startsWith('Replace with')) && wrong.length > 1) {
      // The count is of the values listed as wrong; any that has no computed value to write is named.
      const listed = r.analysis.diagnostics.filter((d) => d.severity === 'error' && EXPECT_ERRORS.has(d.code)).length;
      const rest = listed - wrong.length;
      const all = new vscode.CodeAction(
        `Replace all ${wrong.length} wrong expected values with the computed ones${rest > 0 ? ` (${rest} more ${rest === 1 ? 'has' : 'have'} no computed value)` : ''}`,
        vscode.CodeActionKind.QuickFix,
      );
      all.edit = new vscode.WorkspaceEdit();
      for (const d of wrong) applyFix(all.edit, doc.uri, d);
      actions.push(all);
    }
    return actions;
  }
}

/** At a changed parameter: recompute the values that went wrong through it, or put the old numbers back. */
function rootCauseFixes(
  doc: vscode.TextDocument,
  model: Model,
  diagnostics: readonly ModelDiagnostic[],
  root: RootCause,
  vd: vscode.Diagnostic,
): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  const own = dependentDiagnostics(diagnostics, root).filter((d): d is Fixable => !!d?.fix);
  if (own.length) {
    const n = own.length;
    const recompute = new vscode.CodeAction(
      `Recompute the ${n === 1 ? 'value' : `${n} values`} that depend${n === 1 ? 's' : ''} on it`,
      vscode.CodeActionKind.QuickFix,
    );
    recompute.edit = new vscode.WorkspaceEdit();
    for (const d of own) applyFix(recompute.edit, doc.uri, d);
    recompute.diagnostics = [vd];
    recompute.isPreferred = true;
    out.push(recompute);
  }
  const back = root.changed.flatMap((c) => {
    const text = numberText(c.before);
    return text === undefined ? [] : [{ range: parameterRange(model, c.layer, c.param, c.i, c.j), text }];
  });
  if (back.length === root.changed.length) {
    const one = root.changed.length === 1 ? root.changed[0] : undefined;
    const format = readSettings(doc.uri).format;
    const put = new vscode.CodeAction(
      one ? `Put ${one.name} back to ${fmt(one.before, format)}` : `Put the ${back.length} changed numbers back`,
      vscode.CodeActionKind.QuickFix,
    );
    put.edit = new vscode.WorkspaceEdit();
    for (const b of back) put.edit.replace(doc.uri, toRange(b.range), b.text);
    put.diagnostics = [vd];
    out.push(put);
  }
  return out;
}

export function registerQuickFixes(deps: ExtensionDeps, roots: RootCauses): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(MODEL_SELECTOR, new QuickFixProvider(deps, roots), {
    providedCodeActionKinds: QuickFixProvider.kinds,
  });
}
