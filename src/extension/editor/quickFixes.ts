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
import { DIAGNOSTIC_SOURCE } from './diagnostics';

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

  constructor(private readonly deps: ExtensionDeps) {}

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
    for (const vd of context.diagnostics) {
      if (vd.source !== DIAGNOSTIC_SOURCE) continue;
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
      const all = new vscode.CodeAction(
        `Replace all ${wrong.length} wrong expected values with the computed ones`,
        vscode.CodeActionKind.QuickFix,
      );
      all.edit = new vscode.WorkspaceEdit();
      for (const d of wrong) applyFix(all.edit, doc.uri, d);
      actions.push(all);
    }
    return actions;
  }
}

export function registerQuickFixes(deps: ExtensionDeps): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(MODEL_SELECTOR, new QuickFixProvider(deps), {
    providedCodeActionKinds: QuickFixProvider.kinds,
  });
}
