/**
 * The desktop's worker transport: a Node worker thread running dist/worker.js. No `vscode` here,
 * so the unit tests start the shipped bundle through the same code.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerPort } from '../workerPort';

export function startNodeWorker<In, Out>(workerFile: string): WorkerPort<In, Out> {
  const worker = new Worker(workerFile);
  let terminated = false;
  return {
    description: 'a worker thread',
    post: (m) => worker.postMessage(m),
    onMessage: (listener) => worker.on('message', (m: Out) => listener(m)),
    onError: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => {
        if (!terminated) listener(new Error(`the analysis worker exited (code ${code}) without a result`));
      });
    },
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
  };
}
