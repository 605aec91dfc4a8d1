/**
 * The worker for long runs: runs the one pipeline on the text it is sent — parse, train into the
 * trace store, then the checks — and posts the result back (the store's buffers are transferred,
 * not copied). It trains in slices, posting progress with the losses of the new steps (the
 * panel's loss chart fills in live) and reading messages between slices: "stop" ends the run
 * where it is, and the steps done so far are the result. A worker may also be asked to replay a
 * stretch of a finished run (a far step, off the host's thread). No `vscode` and no Node here: the same
 * code runs in a worker thread (platform/nodeWorker.ts, dist/worker.js) and in a Web Worker
 * (platform/webWorker.ts).
 */
import { analyzeParsed, analyzeTrained, runnableModel, trainOptions } from '../analysis/analyze';
import { parseModel } from '../model/parse';
import { replayRun, Trainer } from '../engine/run';
import type { ReplayRequest, ToWorker, WorkerMessage, WorkerRequest } from './workerProtocol';
import type { WorkerEndpoint } from './workerPort';
import { toTransferable, transferList } from './transfer';

const PROGRESS_INTERVAL_MS = 100;
/** Training runs this long between looks at the message queue. */
const SLICE_MS = 50;

type Post = (m: WorkerMessage, transfer?: ArrayBuffer[]) => void;

/** Lets the worker's queue deliver what arrived (a stop) before the next slice. */
const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function main(post: Post, req: WorkerRequest, stopRequested: () => boolean): Promise<void> {
  let last = 0;
  const due = () => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return false;
    last = now;
    return true;
  };
  try {
    const options = req.options;
    const parsed = parseModel(req.text, { fileName: options.fileName, limits: options.limits });
    const model = runnableModel(parsed);
    if (!model) {
      post({ type: 'result', analysis: toTransferable(analyzeParsed(parsed, options)), stopped: false });
      return;
    }
    const training = trainOptions(model, options);
    const trainer = new Trainer(model.spec, training);
    let sent = 0;
    const progress = () => {
      const losses = trainer.store.losses().slice(sent);
      const done = trainer.done;
      post(
        {
          type: 'progress',
          phase: 'train',
          done,
          total: trainer.total,
          loss: losses[losses.length - 1],
          from: sent + 1,
          losses,
        },
        [losses.buffer],
      );
      sent = done;
    };
    while (!trainer.finished) {
      const end = Date.now() + SLICE_MS;
      while (Date.now() < end && trainer.next());
      if (due() || trainer.finished) progress();
      await yieldToMessages();
      if (stopRequested()) trainer.stop();
    }
    const gc = options.gradcheck;
    let checked = 0;
    const analysis = analyzeTrained(parsed, model, trainer.trace(), {
      ...options,
      training,
      // The gradient check polls shouldStop once per parameter: count the polls as progress. A
      // stop arriving now cannot be read (this is one synchronous call): the host waits for it.
      gradcheck:
        gc && !stopRequested()
          ? {
              ...(typeof gc === 'object' ? gc : {}),
              shouldStop: () => {
                if (due()) post({ type: 'progress', phase: 'gradcheck', done: checked });
                checked++;
                return false;
              },
            }
          : false,
    });
    const t = toTransferable(analysis);
    post({ type: 'result', analysis: t, stopped: stopRequested() }, transferList(t));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: 'error', message: err.message, stack: err.stack });
  }
}

/** A replay: the same step function as the run, so its records are the run's, bit for bit. */
function replay(endpoint: WorkerEndpoint<ToWorker, WorkerMessage>, m: ReplayRequest): void {
  try {
    const records = replayRun(m.spec, m.start, m.to);
    endpoint.post({ type: 'replayed', records });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    endpoint.post({ type: 'error', message: err.message, stack: err.stack });
  }
}

/**
 * Serves the worker's end of the transport: the first message is the run's request (the host
 * starts a worker per run); a later "stop" ends its training where it is.
 */
export function serveAnalysis(endpoint: WorkerEndpoint<ToWorker, WorkerMessage>): void {
  let started = false,
    stop = false;
  endpoint.onMessage((m) => {
    if ('type' in m) {
      if (m.type === 'stop') stop = true;
      else if (m.type === 'replay') replay(endpoint, m);
      return;
    }
    if (started) return;
    started = true;
    void main(
      (msg, transfer) => endpoint.post(msg, transfer),
      m,
      () => stop,
    );
  });
}
