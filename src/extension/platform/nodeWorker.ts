/** The worker thread's entry (dist/worker.js): the analysis worker over Node's parentPort. */
import { parentPort } from 'node:worker_threads';
import { serveAnalysis } from '../worker';
import type { WorkerMessage, WorkerRequest } from '../workerProtocol';

const port = parentPort;
if (port)
  serveAnalysis({
    post: (m: WorkerMessage) => port.postMessage(m),
    onMessage: (listener) => port.on('message', (m: WorkerRequest) => listener(m)),
  });
