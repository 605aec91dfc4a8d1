/**
 * Which model file a command acts on: the URI it was given (editor title, CodeLens, tests), else
 * the active editor's, else the model file that was active last (the panel may have focus).
 */
import * as vscode from 'vscode';
import { isModelDocument, resolveModelDocument } from '../modelFiles';

export class ModelDocuments implements vscode.Disposable {
  private last: vscode.Uri | undefined;
  private readonly sub: vscode.Disposable;

  constructor() {
    const track = (e: vscode.TextEditor | undefined) => {
      if (isModelDocument(e?.document)) this.last = e.document.uri;
    };
    track(vscode.window.activeTextEditor);
    this.sub = vscode.window.onDidChangeActiveTextEditor(track);
  }

  resolve(arg: unknown): Promise<vscode.TextDocument | undefined> {
    return resolveModelDocument(arg, this.last);
  }

  dispose(): void {
    this.sub.dispose();
  }
}
