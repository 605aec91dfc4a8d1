/**
 * The worker thread for long runs (dist/worker.js): runs the one pipeline, analyze(), on the text
 * it is given and posts the result back (typed arrays cross by structured clone). It reports
 * progress as it goes; the host cancels by terminating it. No `vscode` here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyze } from '../analysis/analyze';
import type { WorkerMessage, WorkerRequest } from './workerProtocol';
import { toTransferable } from './transfer';

const PROGRESS_INTERVAL_MS = 100;

function main(port: NonNullable<typeof parentPort>, req: WorkerRequest): void {
  let last = 0;
  const post = (m: WorkerMessage) => port.postMessage(m);
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

if (parentPort) main(parentPort, workerData as WorkerRequest);
