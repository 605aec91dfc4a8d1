/**
 * The worker for long runs: runs the one pipeline, analyze(), on the text it is sent and posts
 * the result back (typed arrays cross by structured clone). It reports progress as it goes; the
 * host cancels by terminating it. No `vscode` and no Node here: the same code runs in a worker
 * thread (platform/nodeWorker.ts, dist/worker.js) and in a Web Worker (platform/webWorker.ts).
 */
import { analyze } from '../analysis/analyze';
import type { WorkerMessage, WorkerRequest } from './workerProtocol';
import type { WorkerEndpoint } from './workerPort';
import { toTransferable } from './transfer';

const PROGRESS_INTERVAL_MS = 100;

function main(post: (m: WorkerMessage) => void, req: WorkerRequest): void {
  let last = 0;
  const throttled = (m: WorkerMessage) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    post(m);
  };
  try {
    const gc = req.options.gradcheck;
    let checked = 0;
    const analysis = analyze(req.text, {
      ...req.options,
      train: {
        ...req.options.train,
        onStep: (done, loss) => throttled({ type: 'progress', phase: 'train', done, loss }),
      },
      // The gradient check polls shouldStop once per parameter: count the polls as progress.
      gradcheck: gc
        ? {
            ...(typeof gc === 'object' ? gc : {}),
            shouldStop: () => {
              throttled({ type: 'progress', phase: 'gradcheck', done: checked++ });
              return false;
            },
          }
        : false,
    });
    post({ type: 'result', analysis: toTransferable(analysis) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: 'error', message: err.message, stack: err.stack });
  }
}

/** Serves the worker's end of the transport: one run per request (the host starts a worker per run). */
export function serveAnalysis(endpoint: WorkerEndpoint<WorkerRequest, WorkerMessage>): void {
  endpoint.onMessage((req) => main((m) => endpoint.post(m), req));
}
