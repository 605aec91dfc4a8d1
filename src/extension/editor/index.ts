/**
 * The editor's everyday face on model files: diagnostics as you type, quick fixes, hovers on
 * gradients, CodeLens, inlay hints and the palette commands — all views of the one analysis in
 * the store, refreshed when the settings they read change.
 */
import * as vscode from 'vscode';
import { ExtensionDeps } from '../deps';
import { registerCommand } from '../errors';
import { registerCodeLens } from './codeLens';
import { CommandServices, registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { ModelDocuments } from './documents';
import { registerHovers } from './hovers';
import { registerInlayHints } from './inlayHints';
import { newModelFile } from './newModel';
import { registerQuickFixes } from './quickFixes';
import { RootCauses } from './rootCauses';

export function registerEditorFeatures(deps: ExtensionDeps): vscode.Disposable {
  const documents = new ModelDocuments();
  const roots = new RootCauses();
  const services: CommandServices = { deps, documents, roots, runner: deps.runner, baseOptions: deps.runOptions };
  const lens = registerCodeLens(deps);
  const hints = registerInlayHints(deps);
  const refreshViews = () => {
    lens.provider.refresh();
    hints.provider.refresh();
  };
  return vscode.Disposable.from(
    documents,
    roots,
    registerDiagnostics(deps, roots),
    registerQuickFixes(deps, roots),
    registerHovers(deps),
    lens.disposable,
    hints.disposable,
    registerCommands(services),
    registerCommand(deps, 'backprop.newModelFile', (template, folder) =>
      newModelFile(deps.context.extensionUri, deps.platform.homeFolder, template, folder),
    ),
    deps.store.onDidUpdate(refreshViews),
    // The shown step follows the stepping session (panel, step commands).
    deps.sessions.onDidChange((c) => {
      if (c.reason === 'moved') refreshViews();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('backprop')) refreshViews();
    }),
  );
}
