/** The desktop's platform: worker threads (dist/worker.js) and the user's home folder. */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Platform } from './platform';
import { startNodeWorker } from './nodeWorkerPort';

export function nodePlatform(context: vscode.ExtensionContext): Platform {
  const workerFile = path.join(context.extensionPath, 'dist', 'worker.js');
  return {
    host: 'node',
    startWorker: () => startNodeWorker(workerFile),
    homeFolder: vscode.Uri.file(os.homedir()),
    dispose: () => undefined,
  };
}
