import * as vscode from 'vscode';

/** Model files are recognised by name: *.bp.yaml, *.bp.yml, *.bp.json. */
export const MODEL_FILE_PATTERN = /\.bp\.(ya?ml|json)$/i;

export const MODEL_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/*.bp.{yaml,yml,json}' },
];

export function isModelDocument(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && MODEL_FILE_PATTERN.test(doc.uri.path);
}
