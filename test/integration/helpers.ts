/**
 * Helpers for integration tests (mocha inside the extension host). Wait on conditions, never on
 * time: `waitFor` polls a predicate, `waitForDiagnostics` listens for the diagnostics event.
 */
import * as vscode from 'vscode';

/** publisher.name from package.json. */
export const EXTENSION_ID = 'backprop-stepper.backprop-stepper';

/**
 * A file of test/fixtures/ (`name` with `/`), found from the workspace the runners open,
 * test/fixtures/workspace/: a `file:` URI in the Node host, a `vscode-remote:` one in the browser.
 */
export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: the integration suite opens test/fixtures/workspace/');
  return vscode.Uri.joinPath(folder.uri, '..', ...name.split('/'));
}

/** How launch configurations name a file: its path on disk, else its URI (as the extension does). */
export function programOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** The last segment of a URI's path. */
export function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** A file's text, through VS Code's file system (so in either host). */
export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** The model files (*.bp.yaml, *.bp.yml, *.bp.json) in a folder, sorted. */
export async function modelFilesIn(folder: vscode.Uri): Promise<string[]> {
  const entries = await vscode.workspace.fs.readDirectory(folder);
  return entries
    .filter(([name, type]) => type === vscode.FileType.File && /\.bp\.(ya?ml|json)$/.test(name))
    .map(([name]) => name)
    .sort();
}

/** The extension under test (fails the test if VS Code does not know it). */
export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** Open a file from test/fixtures/ in an editor; resolves with the editor. */
export async function openFixture(name: string, column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(doc, { viewColumn: column, preview: false });
}

export interface WaitOptions {
  /** Give up after this many ms (default 10 s). */
  readonly timeout?: number;
  /** Poll every this many ms (default 50). */
  readonly interval?: number;
  /** What was awaited, for the error message. */
  readonly message?: string;
}

/**
 * Poll `condition` until it returns a truthy value (or a promise of one) and resolve with it;
 * reject with `message` after `timeout`. Errors thrown by the condition count as "not yet", and
 * the last one is reported on timeout.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const { timeout = 10_000, interval = 50, message = 'condition' } = options;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${why}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Resolve with the diagnostics of `uri` once `accept` likes them (default: at least one).
 * Listens to onDidChangeDiagnostics, so it reacts to the update itself rather than a delay.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (d: readonly vscode.Diagnostic[]) => boolean = (d) => d.length > 0,
  timeout = 10_000,
): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      cleanup();
      resolve(diagnostics);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      const now = vscode.languages.getDiagnostics(uri).map((d) => d.message);
      reject(
        new Error(
          `timed out after ${timeout} ms waiting for diagnostics on ${uri.fsPath}; current: ${JSON.stringify(now)}`,
        ),
      );
    }, timeout);
    function cleanup(): void {
      clearTimeout(timer);
      sub.dispose();
    }
    check();
  });
}

/** Close every editor (between tests, so each starts from an empty window). */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
