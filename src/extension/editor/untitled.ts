/**
 * New documents the commands make (templates, reports, exports) are untitled documents with a
 * real name next to the model file (`untitled:<folder>/problem1.trace.json`): the tab says what
 * it is, Save offers that name, and a name is never reused while a document of that name is open
 * or a file of that name exists.
 */
import * as vscode from 'vscode';
import { uniqueName } from './templateInfo';
import { folderPath } from '../names';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** A free `untitled:` URI for `fileName` in `folder`. */
export async function freeUntitledUri(folder: vscode.Uri, fileName: string): Promise<vscode.Uri> {
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.path));
  const onDisk = new Set<string>();
  if (folder.scheme !== 'untitled') {
    const entries = await vscode.workspace.fs.readDirectory(folder).then(
      (x) => x,
      () => [] as [string, vscode.FileType][],
    );
    for (const [name] of entries) onDisk.add(name);
  }
  const name = uniqueName(fileName, (n) => onDisk.has(n) || open.has(vscode.Uri.joinPath(folder, n).path));
  const target = vscode.Uri.joinPath(folder, name);
  if (folder.scheme !== 'untitled' && (await exists(target))) throw new Error(`${target.toString(true)} exists`);
  return target.with({ scheme: 'untitled' });
}

/** Opens `content` as an untitled document named `fileName` next to `near` (a file or folder URI). */
export async function openUntitled(
  folder: vscode.Uri,
  fileName: string,
  content: string,
  options: { language?: string; column?: vscode.ViewColumn } = {},
): Promise<vscode.TextDocument> {
  const uri = await freeUntitledUri(folder, fileName);
  let doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: options.column ?? vscode.ViewColumn.Active,
    preview: false,
  });
  await editor.edit((b) => b.insert(new vscode.Position(0, 0), content));
  if (options.language && doc.languageId !== options.language)
    doc = await vscode.languages.setTextDocumentLanguage(doc, options.language);
  return doc;
}

/** The folder a model file sits in (for untitled model files, the folder of their name). */
export function folderOf(uri: vscode.Uri): vscode.Uri {
  return uri.with({ path: folderPath(uri.path), scheme: uri.scheme === 'untitled' ? 'file' : uri.scheme });
}
