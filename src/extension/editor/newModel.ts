/**
 * New Model File: pick a template (the model files in the extension's examples/ folder) and get
 * an untitled copy named like a model file (`untitled:<folder>/xor.bp.yaml`), so it is analysed —
 * diagnostics, hovers, CodeLens — from the first keystroke, and Save offers that name.
 */
import * as vscode from 'vscode';
import { orderTemplates, TemplateInfo, templateInfo } from './templateInfo';
import { MODEL_FILE_PATTERN } from '../../model/types';
import { openUntitled } from './untitled';

export async function listTemplates(extensionUri: vscode.Uri): Promise<(TemplateInfo & { uri: vscode.Uri })[]> {
  const dir = vscode.Uri.joinPath(extensionUri, 'examples');
  const entries = await vscode.workspace.fs.readDirectory(dir);
  const files = entries
    .filter(([name, type]) => type === vscode.FileType.File && MODEL_FILE_PATTERN.test(name))
    .map(([name]) => name);
  const infos = await Promise.all(
    files.map(async (name) => {
      const uri = vscode.Uri.joinPath(dir, name);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      return { ...templateInfo(name, text), uri };
    }),
  );
  return orderTemplates(infos);
}

/**
 * `template`: a file name in examples/ (for the walkthrough and tests); `folder`: where Save will
 * offer to put it (else the first workspace folder, else `home`, else nowhere: an untitled name).
 */
export async function newModelFile(
  extensionUri: vscode.Uri,
  home: vscode.Uri | undefined,
  template?: unknown,
  folder?: unknown,
): Promise<vscode.TextDocument | undefined> {
  const templates = await listTemplates(extensionUri);
  let chosen = typeof template === 'string' ? templates.find((t) => t.fileName === template) : undefined;
  if (typeof template === 'string' && !chosen)
    throw new Error(`no template ${template} (have ${templates.map((t) => t.fileName).join(', ')})`);
  if (!chosen) {
    const pick = await vscode.window.showQuickPick(
      templates.map((t) => ({ label: t.label, description: t.fileName, detail: t.detail, t })),
      { title: 'New model file from a template', matchOnDescription: true, matchOnDetail: true },
    );
    if (!pick) return undefined;
    chosen = pick.t;
  }
  const base =
    folder instanceof vscode.Uri
      ? folder
      : (vscode.workspace.workspaceFolders?.[0]?.uri ?? home ?? vscode.Uri.from({ scheme: 'untitled', path: '/' }));
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(chosen.uri));
  const doc = await openUntitled(base, chosen.fileName, text);
  return doc;
}
