/**
 * What differs between the desktop's extension host (Node) and the browser's (a Web Worker, as on
 * vscode.dev and github.dev), chosen once at activation by the entry point that VS Code loaded:
 * nodeMain.ts (package.json "main") or webMain.ts ("browser"). Everything else is the same code.
 */
import type * as vscode from 'vscode';
import type { WorkerPort } from '../workerPort';
import type { ToWorker, WorkerMessage } from '../workerProtocol';

export interface Platform extends vscode.Disposable {
  /** The extension host this is, for the log and the tests. */
  readonly host: 'node' | 'webworker';
  /** Starts a worker for one long run (terminated when it ends or is cancelled). */
  startWorker(): WorkerPort<ToWorker, WorkerMessage>;
  /** Where new documents are named when no folder is open: the home folder, where there is one. */
  readonly homeFolder: vscode.Uri | undefined;
}

/** How the log names each host. */
export const HOST_NAMES: Record<Platform['host'], string> = {
  node: 'the Node extension host',
  webworker: 'the web worker extension host',
};
