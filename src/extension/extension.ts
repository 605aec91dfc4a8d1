/**
 * Activation: one analysis store and one stepping registry, shared by every feature. Feature
 * modules register themselves from here and receive their dependencies as arguments.
 */
import * as vscode from 'vscode';
import { AnalysisStore } from './store';
import { SessionRegistry } from './sessions';
import { ExtensionDeps } from './deps';
import { registerEditorFeatures } from './editor';
import { registerPanel } from './panel';

export function activate(context: vscode.ExtensionContext): ExtensionDeps {
  const log = vscode.window.createOutputChannel('Backprop Stepper', { log: true });
  const debounce = () => vscode.workspace.getConfiguration('backprop').get<number>('diagnostics.debounce', 250);
  const store = new AnalysisStore(undefined, debounce);
  const sessions = new SessionRegistry(store);
  const deps: ExtensionDeps = { context, store, sessions, log };
  context.subscriptions.push(
    log, store, sessions,
    vscode.commands.registerCommand('backprop.showVersion', () => {
      const version = String(context.extension.packageJSON.version);
      log.info(`Backprop Stepper ${version} on VS Code ${vscode.version}`);
      void vscode.window.showInformationMessage(`Backprop Stepper ${version} (VS Code ${vscode.version})`);
    }),
    vscode.commands.registerCommand('backprop.showLog', () => log.show()),
  );
  context.subscriptions.push(registerEditorFeatures(deps));
  context.subscriptions.push(registerPanel(deps));
  log.info(`Backprop Stepper activated on VS Code ${vscode.version}`);
  return deps;
}

export function deactivate(): void {}
