/**
 * Helpers for the editor-feature tests: model files opened from scratch copies (so edits never
 * touch the fixtures), the extension's store to wait on analyses, providers asked the way the
 * editor asks them, and settings changed for one test only.
 */
import * as vscode from 'vscode';
import type { ExtensionDeps } from '../../src/extension/deps';
import type { DocumentAnalysis } from '../../src/extension/store';
import { extension, fileName, fixtureUri, readText, waitFor } from './helpers';
import { testConfig } from './host';

/** The extension's own dependencies (activate() returns them), activating it if needed. */
export async function deps(): Promise<ExtensionDeps> {
  const ext = extension();
  return (ext.isActive ? ext.exports : await ext.activate()) as ExtensionDeps;
}

/** A fresh copy of test/fixtures/workspace/<name> (or of `text`) in a new scratch folder, opened. */
export async function openModel(name: string, text?: string): Promise<vscode.TextEditor> {
  const { scratch } = testConfig();
  if (!scratch) throw new Error('the runner gave no scratch folder');
  const dir = vscode.Uri.joinPath(
    vscode.Uri.parse(scratch),
    `bp-editor-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );
  const file = vscode.Uri.joinPath(dir, name.slice(name.lastIndexOf('/') + 1));
  await vscode.workspace.fs.createDirectory(dir);
  const content = text ?? (await readText(fixtureUri(`workspace/${name}`)));
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(content));
  const doc = await vscode.workspace.openTextDocument(file);
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

/** The analysis of the document's current version, once it has one. */
export async function analysed(doc: vscode.TextDocument): Promise<DocumentAnalysis> {
  const d = await deps();
  return waitFor(
    async () => {
      const r = await d.store.ensure(doc);
      return r && r.version === doc.version ? r : undefined;
    },
    { message: `the analysis of ${fileName(doc.uri)} v${doc.version}` },
  );
}

/** Position of the `nth` occurrence of `needle`, plus `delta` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  const text = doc.getText();
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} (#${nth + 1}) is not in ${doc.uri.path}`);
  }
  return doc.positionAt(at + delta);
}

export function rangeOf(doc: vscode.TextDocument, needle: string, nth = 0): vscode.Range {
  const start = positionOf(doc, needle, 0, nth);
  return new vscode.Range(start, start.translate(0, needle.length));
}

/** The Markdown of every hover at a position, as VS Code's hover widget would get it. */
export async function hoverText(doc: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n---\n');
}

/** The quick fixes offered for a range, as the light bulb asks for them. */
export async function quickFixes(doc: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
}

/** Runs `fn` with backprop.<key> set globally, then restores the previous value. */
export async function withSetting<T>(key: string, value: unknown, fn: () => PromiseLike<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('backprop');
  const before = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await fn();
  } finally {
    await vscode.workspace.getConfiguration('backprop').update(key, before, vscode.ConfigurationTarget.Global);
  }
}

/**
 * Close every editor without being asked to save: the tests leave untitled documents (exports,
 * JSON, new model files) and edited scratch copies behind.
 */
export async function closeWithoutSaving(): Promise<void> {
  for (let k = 0; k < 50; k++) {
    const dirty = vscode.workspace.textDocuments.find((d) => d.isDirty);
    if (!dirty) break;
    await vscode.window.showTextDocument(dirty, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
