/** The desktop entry point (package.json "main", dist/extension.js). */
import type * as vscode from 'vscode';
import { activateWith } from '../extension';
import type { ExtensionDeps } from '../deps';
import { nodePlatform } from './node';

export function activate(context: vscode.ExtensionContext): ExtensionDeps {
  return activateWith(context, nodePlatform(context));
}

export { deactivate } from '../extension';
