/**
 * The Web Worker's entry: the analysis worker over the worker's own postMessage. Bundled as text
 * into the web extension (scripts/build.mjs) and started from a Blob URL (webWorkerPort.ts).
 */
import { serveAnalysis } from '../worker';
import type { ToWorker, WorkerMessage } from '../workerProtocol';

interface WorkerScope {
  postMessage(message: WorkerMessage, transfer?: ArrayBuffer[]): void;
  onmessage: ((e: { readonly data: ToWorker }) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;
serveAnalysis({
  post: (m, transfer) => scope.postMessage(m, transfer),
  onMessage: (listener) => {
    scope.onmessage = (e) => listener(e.data);
  },
});
