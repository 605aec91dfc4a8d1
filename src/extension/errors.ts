/**
 * How a failure reaches the user: logged with its stack, shown once as a message that names what
 * failed, with a button to the log. Every command is registered through registerCommand(), so
 * none throws into VS Code's generic "command failed" and all say it the same way.
 */
import * as vscode from 'vscode';
import { fileName } from './names';

interface Reporter {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function showError(log: vscode.LogOutputChannel, text: string): void {
  void vscode.window.showErrorMessage(text, 'Show Log').then((pick) => {
    if (pick) log.show();
  });
}

/** A command's title as the palette shows it (package.json), for its error message. */
function titleOf(context: vscode.ExtensionContext, id: string): string {
  const manifest = context.extension.packageJSON as { contributes?: { commands?: unknown } } | undefined;
  const contributed = manifest?.contributes?.commands;
  const entry: { command?: unknown; title?: unknown } | undefined = Array.isArray(contributed)
    ? (contributed as unknown[]).find(
        (c): c is { command?: unknown; title?: unknown } =>
          typeof c === 'object' && c !== null && (c as { command?: unknown }).command === id,
      )
    : undefined;
  const title = entry?.title;
  return typeof title === 'string' ? title : id;
}

/** Registers a command whose failure is logged and shown (it then returns undefined). */
export function registerCommand(r: Reporter, id: string, run: (...args: unknown[]) => unknown): vscode.Disposable {
  const title = titleOf(r.context, id);
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (e) {
      r.log.error(`${title} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      showError(r.log, `Backprop: ${title} failed: ${messageOf(e)}`);
      return undefined;
    }
  });
}

/** The store's error sink: a run that failed (a bug of ours, a worker that died), said once per file and message. */
export function analysisErrorReporter(log: vscode.LogOutputChannel): (uri: vscode.Uri, e: unknown) => void {
  const reported = new Set<string>();
  return (uri, e) => {
    log.error(`${uri.path}: analysis failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    // A failure that repeats on every keystroke is one problem.
    const key = `${uri.toString()}\n${messageOf(e)}`;
    if (reported.has(key)) return;
    reported.add(key);
    showError(log, `Backprop: analysing ${fileName(uri.path)} failed: ${messageOf(e)}`);
  };
}
