/**
 * The browser entry point (package.json "browser", dist/web/extension.js), for VS Code's web
 * worker extension host (vscode.dev, github.dev). The worker's code comes inlined as text
 * (scripts/build.mjs bundles platform/webWorker.ts into it).
 */
import type * as vscode from 'vscode';
import workerSource from 'bundled-worker:src/extension/platform/webWorker.ts';
import { activateWith } from '../extension';
import type { ExtensionDeps } from '../deps';
import { webPlatform } from './web';

export function activate(context: vscode.ExtensionContext): ExtensionDeps {
  return activateWith(context, webPlatform(workerSource));
}

export { deactivate } from '../extension';
