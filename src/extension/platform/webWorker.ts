/**
 * The Web Worker's entry: the analysis worker over the worker's own postMessage. Bundled as text
 * into the web extension (scripts/build.mjs) and started from a Blob URL (webWorkerPort.ts).
 */
import { serveAnalysis } from '../worker';
import type { WorkerMessage, WorkerRequest } from '../workerProtocol';

interface WorkerScope {
  postMessage(message: WorkerMessage): void;
  onmessage: ((e: { readonly data: WorkerRequest }) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;
serveAnalysis({
  post: (m) => scope.postMessage(m),
  onMessage: (listener) => {
    scope.onmessage = (e) => listener(e.data);
  },
});
