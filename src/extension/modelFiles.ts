import * as vscode from 'vscode';
import { MODEL_FILE_PATTERN } from '../model/types';

export const MODEL_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.bp.{yaml,yml,json}' }];

export function isModelDocument(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && MODEL_FILE_PATTERN.test(doc.uri.path);
}

/**
 * The model file a command is about: its argument (a URI or its string form, as the editor title,
 * CodeLens and tests pass it), else the active editor's, else `fallback` (e.g. the file the panel
 * shows, or the model file that was active last). Opens it if it is not open; undefined when it
 * is not a model file.
 */
export async function resolveModelDocument(
  arg: unknown,
  fallback?: vscode.Uri,
): Promise<vscode.TextDocument | undefined> {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (typeof arg === 'string' && arg) uri = vscode.Uri.parse(arg);
  else {
    const active = vscode.window.activeTextEditor?.document;
    if (isModelDocument(active)) return active;
    uri = fallback;
  }
  if (!uri) return undefined;
  const key = uri.toString();
  const doc =
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === key) ??
    (await vscode.workspace.openTextDocument(uri));
  return isModelDocument(doc) ? doc : undefined;
}
