/**
 * Which model file a command acts on: the URI it was given (editor title, CodeLens, tests), else
 * the active editor's, else the model file that was active last (the panel may have focus).
 */
import * as vscode from 'vscode';
import { isModelDocument } from '../modelFiles';

export class ModelDocuments implements vscode.Disposable {
  private last: vscode.Uri | undefined;
  private readonly sub: vscode.Disposable;

  constructor() {
    const track = (e: vscode.TextEditor | undefined) => { if (isModelDocument(e?.document)) this.last = e.document.uri; };
    track(vscode.window.activeTextEditor);
    this.sub = vscode.window.onDidChangeActiveTextEditor(track);
  }

  async resolve(arg: unknown): Promise<vscode.TextDocument | undefined> {
    let uri: vscode.Uri | undefined;
    if (arg instanceof vscode.Uri) uri = arg;
    else if (typeof arg === 'string' && arg) uri = vscode.Uri.parse(arg);
    else {
      const active = vscode.window.activeTextEditor?.document;
      if (isModelDocument(active)) return active;
      uri = this.last;
    }
    if (!uri) return undefined;
    const key = uri.toString();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    const doc = open ?? (await vscode.workspace.openTextDocument(uri));
    return isModelDocument(doc) ? doc : undefined;
  }

  dispose(): void { this.sub.dispose(); }
}
