/**
 * The editor's everyday face on model files: diagnostics as you type, quick fixes, hovers on
 * gradients, CodeLens, inlay hints and the palette commands — all views of the one analysis in
 * the store. Also installs the store's runner (worker threads for big runs) and its options
 * (limits from the settings), and re-runs everything when those settings change.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExtensionDeps } from '../deps';
import { createRunner } from '../workerRunner';
import { registerCodeLens } from './codeLens';
import { CommandServices, registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { ModelDocuments } from './documents';
import { registerHovers } from './hovers';
import { registerInlayHints } from './inlayHints';
import { newModelFile } from './newModel';
import { registerQuickFixes } from './quickFixes';
import { readSettings } from './settings';

export function registerEditorFeatures(deps: ExtensionDeps): vscode.Disposable {
  const { store, log, context } = deps;
  const runner = createRunner({
    workerFile: path.join(context.extensionPath, 'dist', 'worker.js'),
    threshold: () => readSettings().workerThreshold,
    log,
  });
  const baseOptions = () => ({ limits: readSettings().limits });
  const reported = new Set<string>();
  store.configure({
    runner, options: baseOptions,
    onError: (uri, e) => {
      log.error(`${uri.path}: analysis failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      // Say it once per file and message: a failure that repeats on every keystroke is one problem.
      const key = `${uri.toString()}\n${e instanceof Error ? e.message : String(e)}`;
      if (reported.has(key)) return;
      reported.add(key);
      void vscode.window.showErrorMessage(`Backprop: analysing ${path.basename(uri.path)} failed: ${e instanceof Error ? e.message : String(e)}`, 'Show Log')
        .then((pick) => { if (pick) log.show(); });
    },
  });
  const documents = new ModelDocuments();
  const services: CommandServices = { deps, documents, runner, baseOptions };
  const lens = registerCodeLens(deps);
  const hints = registerInlayHints(deps);
  const refreshViews = () => { lens.provider.refresh(); hints.provider.refresh(); };
  return vscode.Disposable.from(
    documents,
    registerDiagnostics(deps),
    registerQuickFixes(deps),
    registerHovers(deps),
    lens.disposable,
    hints.disposable,
    registerCommands(services),
    vscode.commands.registerCommand('backprop.newModelFile', async (template?: unknown, folder?: unknown) => {
      try {
        return await newModelFile(context.extensionUri, template, folder);
      } catch (e) {
        log.error(`New Model File failed: ${e instanceof Error ? e.message : String(e)}`);
        void vscode.window.showErrorMessage(`Backprop: New Model File failed: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    }),
    store.onDidUpdate(refreshViews),
    // The shown step follows the stepping session (panel, step commands).
    deps.sessions.onDidChange((c) => { if (c.reason === 'moved') refreshViews(); }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('backprop')) return;
      if (e.affectsConfiguration('backprop.limits') || e.affectsConfiguration('backprop.worker')) {
        log.info('limits or worker settings changed: re-running open model files');
        store.refreshAll();
      }
      refreshViews();
    }),
  );
}
