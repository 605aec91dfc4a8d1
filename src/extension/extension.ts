/**
 * Activation: the wiring. One runner (workers for big runs), one analysis store and one stepping
 * registry, shared by every feature; feature modules register themselves from here and receive
 * their dependencies as arguments. The entry points (platform/nodeMain.ts, platform/webMain.ts)
 * hand in what differs between the desktop and the browser.
 */
import * as vscode from 'vscode';
import { AnalysisStore } from './store';
import { SessionRegistry } from './sessions';
import { ExtensionDeps } from './deps';
import { registerEditorFeatures } from './editor';
import { analysisErrorReporter, registerCommand } from './errors';
import { registerPanel } from './panel';
import { registerDebugger } from './debug';
import { readSettings } from './settings';
import { createRunner } from './workerRunner';
import { StepReplays } from './replays';
import { HOST_NAMES, Platform } from './platform/platform';

export function activateWith(context: vscode.ExtensionContext, platform: Platform): ExtensionDeps {
  const log = vscode.window.createOutputChannel('Backprop Stepper', { log: true });
  const runner = createRunner({
    startWorker: () => platform.startWorker(),
    threshold: () => readSettings().workerThreshold,
    log,
  });
  // Messages write values as every other view does (backprop.precision, backprop.numberFormat).
  const runOptions = () => {
    const s = readSettings();
    return { limits: s.limits, format: s.format, train: { memoryBudgetBytes: s.memoryBudgetBytes } };
  };
  const store = new AnalysisStore({
    runner,
    options: runOptions,
    debounceMs: () => readSettings().debounce,
    onError: analysisErrorReporter(log),
  });
  const replays = new StepReplays({
    startWorker: () => platform.startWorker(),
    threshold: () => readSettings().workerThreshold,
    log,
  });
  const sessions = new SessionRegistry(store, replays);
  const deps: ExtensionDeps = { context, log, platform, runner, runOptions, store, sessions, replays };
  context.subscriptions.push(
    log,
    platform,
    store,
    sessions,
    registerCommand(deps, 'backprop.showVersion', () => {
      const { version } = context.extension.packageJSON as { version: string };
      const text = `Backprop Stepper ${version} (VS Code ${vscode.version})`;
      log.info(text);
      void vscode.window.showInformationMessage(text);
      return text;
    }),
    registerCommand(deps, 'backprop.showLog', () => log.show()),
    // Limits and the worker threshold change what a run computes: every open model file runs again.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!['limits', 'worker', 'precision', 'numberFormat'].some((k) => e.affectsConfiguration(`backprop.${k}`)))
        return;
      log.info('limits, worker or number settings changed: re-running open model files');
      store.refreshAll();
    }),
    registerEditorFeatures(deps),
    registerPanel(deps),
    registerDebugger(deps),
  );
  log.info(`Backprop Stepper activated on VS Code ${vscode.version}, in ${HOST_NAMES[platform.host]}`);
  return deps;
}

export function deactivate(): void {}
