/**
 * The analysis runner the extension uses: small runs in process (they take milliseconds), runs
 * whose cost exceeds `backprop.worker.threshold` in a worker (a worker thread on the desktop, a
 * Web Worker in the browser: the platform starts it) behind a progress notification with Cancel,
 * so the editor never blocks. A newer version of the document terminates the worker. The user's
 * Cancel asks a training run to stop where it is and keeps the steps it finished (when the caller
 * wants them: Train N Steps… does); otherwise, or when the worker does not answer in time, it
 * terminates the worker.
 */
import * as vscode from 'vscode';
import { analyzeParsed, Analysis, AnalyzeOptions } from '../analysis/analyze';
import { DEFAULT_NUMBER_FORMAT, formatValue, NumberFormat } from '../engine/numberFormat';
import { AnalysisRunner, RunCancelledError, RunHooks } from './store';
import { fromTransferable } from './transfer';
import { planRun, RunEstimate, toWorkerOptions, ToWorker, WorkerMessage, WorkerRequest } from './workerProtocol';
import type { WorkerPort } from './workerPort';
import { fileName } from './names';
import { durationText } from './duration';

/** How long a stopping worker may take to post the steps it finished before it is terminated. */
const STOP_GRACE_MS = 3000;

export interface WorkerRunnerOptions {
  /** Starts a worker for one run (platform/: a worker thread, or a Web Worker). */
  readonly startWorker: () => WorkerPort<ToWorker, WorkerMessage>;
  /** backprop.worker.threshold, read at each run. */
  readonly threshold: () => number;
  readonly log: vscode.LogOutputChannel;
  /** Runs that finish sooner never show a notification (typing must not flash one). */
  readonly progressDelayMs?: number;
}

export function createRunner(o: WorkerRunnerOptions): AnalysisRunner {
  return async (text, options, token, hooks) => {
    const plan = planRun(text, options, o.threshold());
    if (plan.where === 'here') return analyzeParsed(plan.parsed, options);
    return runInWorker(o, text, options, plan.estimate, token, hooks);
  };
}

type Progress = Extract<WorkerMessage, { type: 'progress' }>;

function progressText(
  m: Progress,
  e: RunEstimate | undefined,
  leftMs: number | undefined,
  format: NumberFormat,
): string {
  if (m.phase === 'train') {
    const total = m.total ?? e?.steps;
    const left = leftMs !== undefined && leftMs > 2000 ? ` · about ${durationText(leftMs)} left` : '';
    return `step ${m.done.toLocaleString('en-US')}${total ? ` of ${total.toLocaleString('en-US')}` : ''}${m.loss !== undefined ? ` · loss ${formatValue(m.loss, format)}` : ''}${left}`;
  }
  return `gradient check: ${m.done}${e ? ` of ${e.gradcheckParameters}` : ''} parameters`;
}

/** Percent done of the whole run (training first, then the gradient check), by their estimated costs. */
function percentDone(m: Progress, e: RunEstimate | undefined): number | undefined {
  if (!e) return undefined;
  const train = 3 * e.steps,
    gc = 2 * e.gradcheckParameters,
    total = train + gc;
  if (total === 0) return undefined;
  return m.phase === 'train' ? (100 * 3 * m.done) / total : (100 * (train + 2 * m.done)) / total;
}

export function runInWorker(
  o: WorkerRunnerOptions,
  text: string,
  options: AnalyzeOptions,
  estimate: RunEstimate | undefined,
  token: vscode.CancellationToken,
  hooks: RunHooks = {},
): Promise<Analysis> {
  const name = fileName(options.fileName ?? 'model');
  const started = Date.now();
  return new Promise<Analysis>((resolve, reject) => {
    const request: WorkerRequest = { text, options: toWorkerOptions(options) };
    const worker = o.startWorker();
    o.log.info(
      `${name}: running in ${worker.description}${estimate ? ` (${estimate.steps} steps, cost ${estimate.cost.toExponential(1)})` : ''}`,
    );
    let settled = false;
    let report: ((m: Progress) => void) | undefined;
    let closeProgress: (() => void) | undefined;
    let stopping: ReturnType<typeof setTimeout> | undefined;
    const subscriptions: vscode.Disposable[] = [];
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(stopping);
      for (const s of subscriptions) s.dispose();
      closeProgress?.();
      worker.terminate();
      settle();
    };
    const cancel = (why: string) =>
      finish(() => {
        o.log.info(`${name}: worker run ${why} after ${Date.now() - started} ms`);
        reject(new RunCancelledError(why));
      });
    /** The user's Cancel: a training run stops and keeps its steps (if wanted), anything else ends now. */
    const userCancel = () => {
      if (!hooks.keepPartial) return cancel('cancelled by the user');
      if (stopping) return;
      o.log.info(`${name}: stopping the worker run at the user's request; the steps it finished are kept`);
      worker.post({ type: 'stop' });
      stopping = setTimeout(() => cancel('cancelled by the user (it did not stop in time)'), STOP_GRACE_MS);
    };
    subscriptions.push(token.onCancellationRequested(() => cancel('superseded by a newer version')));
    let rate: { at: number; done: number } | undefined;
    let leftMs: number | undefined;
    worker.onMessage((m) => {
      if (m.type === 'progress') {
        if (m.phase === 'train') {
          if (m.losses && m.from !== undefined && m.total !== undefined) hooks.onLosses?.(m.from, m.losses, m.total);
          // Time left from the pace since the first report (the start-up cost is behind us then).
          const now = Date.now();
          if (!rate) rate = { at: now, done: m.done };
          else if (m.done > rate.done && m.total)
            leftMs = ((now - rate.at) / (m.done - rate.done)) * (m.total - m.done);
        }
        report?.({ ...m, losses: undefined });
      } else if (m.type === 'result')
        finish(() => {
          const steps = m.analysis.trace?.store.count;
          o.log.info(
            `${name}: worker run ${m.stopped ? `stopped by the user after ${steps} steps (kept)` : 'finished'} in ${Date.now() - started} ms`,
          );
          resolve(fromTransferable(m.analysis));
        });
      else if (m.type === 'error')
        finish(() => reject(Object.assign(new Error(`analysis worker: ${m.message}`), { stack: m.stack })));
    });
    worker.onError((e) => finish(() => reject(e)));
    worker.post(request);
    const timer = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Backprop: ${name}`, cancellable: true },
        (progress, progressToken) =>
          new Promise<void>((done) => {
            if (settled) {
              done();
              return;
            }
            closeProgress = done;
            subscriptions.push(progressToken.onCancellationRequested(userCancel));
            let shown = 0;
            report = (m) => {
              const pct = percentDone(m, estimate);
              const increment = pct === undefined ? undefined : Math.max(0, pct - shown);
              if (pct !== undefined) shown = Math.max(shown, pct);
              progress.report({
                message: stopping
                  ? 'stopping; keeping the steps done…'
                  : progressText(m, estimate, leftMs, options.format ?? DEFAULT_NUMBER_FORMAT),
                increment,
              });
            };
            progress.report({
              message: `starting…${hooks.expectedMs !== undefined && hooks.expectedMs > 2000 ? ` (about ${durationText(hooks.expectedMs)})` : ''}`,
            });
          }),
      );
    }, o.progressDelayMs ?? 300);
  });
}
