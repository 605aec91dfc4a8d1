/** The worker thread's entry (dist/worker.js): the analysis worker over Node's parentPort. */
import { parentPort } from 'node:worker_threads';
import { serveAnalysis } from '../worker';
import type { ToWorker, WorkerMessage } from '../workerProtocol';

const port = parentPort;
if (port)
  serveAnalysis({
    post: (m: WorkerMessage, transfer) => port.postMessage(m, transfer),
    onMessage: (listener) => port.on('message', (m: ToWorker) => listener(m)),
  });
