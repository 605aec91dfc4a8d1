/**
 * The browser's worker transport: a Web Worker started from a Blob URL of the bundled worker
 * code. The web extension host has no worker_threads and cannot start a worker from one of the
 * extension's files ("Creating workers from remote extensions is currently not supported"), but
 * a Blob URL it made itself is its own. No `vscode` and no DOM types here: the part of the Web
 * Worker API used is typed by hand, as the engine does for WebAssembly.
 */
import type { WorkerPort } from '../workerPort';

interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((e: { readonly data: unknown }) => void) | null;
  onerror: ((e: { readonly message?: string; preventDefault(): void }) => void) | null;
  onmessageerror: (() => void) | null;
}

interface WebGlobals {
  readonly Worker?: new (url: string, options?: { readonly name?: string }) => WebWorker;
  readonly Blob?: new (parts: readonly string[], options: { readonly type: string }) => object;
  readonly URL: { createObjectURL(blob: object): string; revokeObjectURL(url: string): void };
}

const web = globalThis as unknown as WebGlobals;

/** A Blob URL of the worker's code, shared by every run of one activation; dispose() revokes it. */
export function workerBlobUrl(source: string): { readonly url: string; dispose(): void } {
  if (!web.Blob || !web.Worker) throw new Error('this extension host has no Web Workers');
  const url = web.URL.createObjectURL(new web.Blob([source], { type: 'text/javascript' }));
  return { url, dispose: () => web.URL.revokeObjectURL(url) };
}

export function startWebWorker<In, Out>(url: string): WorkerPort<In, Out> {
  if (!web.Worker) throw new Error('this extension host has no Web Workers');
  const worker = new web.Worker(url, { name: 'Backprop Stepper analysis' });
  return {
    description: `a Web Worker (${url})`,
    post: (m) => worker.postMessage(m),
    onMessage: (listener) => {
      worker.onmessage = (e) => listener(e.data as Out);
    },
    onError: (listener) => {
      worker.onerror = (e) => {
        // Handled here: it must not also surface as an uncaught error of the extension host.
        e.preventDefault();
        listener(new Error(`the analysis worker failed: ${e.message ?? 'unknown error'}`));
      };
      worker.onmessageerror = () => listener(new Error('a message from the analysis worker could not be read'));
    },
    terminate: () => worker.terminate(),
  };
}
