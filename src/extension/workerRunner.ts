/**
 * The analysis runner the extension uses: small runs in process (they take milliseconds), runs
 * whose cost exceeds `backprop.worker.threshold` in a worker (a worker thread on the desktop, a
 * Web Worker in the browser: the platform starts it) behind a progress notification with Cancel,
 * so the editor never blocks. Cancelling — by the user, or because a newer version of the
 * document arrived — terminates the worker.
 */
import * as vscode from 'vscode';
import { analyzeParsed, Analysis, AnalyzeOptions } from '../analysis/analyze';
import { DEFAULT_NUMBER_FORMAT, formatValue, NumberFormat } from '../engine/numberFormat';
import { AnalysisRunner, RunCancelledError } from './store';
import { fromTransferable } from './transfer';
import { planRun, RunEstimate, toWorkerOptions, WorkerMessage, WorkerRequest } from './workerProtocol';
import type { WorkerPort } from './workerPort';
import { fileName } from './names';

export interface WorkerRunnerOptions {
  /** Starts a worker for one run (platform/: a worker thread, or a Web Worker). */
  readonly startWorker: () => WorkerPort<WorkerRequest, WorkerMessage>;
  /** backprop.worker.threshold, read at each run. */
  readonly threshold: () => number;
  readonly log: vscode.LogOutputChannel;
  /** Runs that finish sooner never show a notification (typing must not flash one). */
  readonly progressDelayMs?: number;
}

export function createRunner(o: WorkerRunnerOptions): AnalysisRunner {
  return async (text, options, token) => {
    const plan = planRun(text, options, o.threshold());
    if (plan.where === 'here') return analyzeParsed(plan.parsed, options);
    return runInWorker(o, text, options, plan.estimate, token);
  };
}

function progressText(
  m: Extract<WorkerMessage, { type: 'progress' }>,
  e: RunEstimate | undefined,
  format: NumberFormat,
): string {
  if (m.phase === 'train')
    return `step ${m.done}${e ? ` of ${e.steps}` : ''}${m.loss !== undefined ? ` · loss ${formatValue(m.loss, format)}` : ''}`;
  return `gradient check: ${m.done}${e ? ` of ${e.gradcheckParameters}` : ''} parameters`;
}

/** Percent done of the whole run (training first, then the gradient check), by their estimated costs. */
function percentDone(m: Extract<WorkerMessage, { type: 'progress' }>, e: RunEstimate | undefined): number | undefined {
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
    let report: ((m: Extract<WorkerMessage, { type: 'progress' }>) => void) | undefined;
    let closeProgress: (() => void) | undefined;
    const subscriptions: vscode.Disposable[] = [];
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
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
    subscriptions.push(token.onCancellationRequested(() => cancel('superseded by a newer version')));
    worker.onMessage((m) => {
      if (m.type === 'progress') report?.(m);
      else if (m.type === 'result')
        finish(() => {
          o.log.info(`${name}: worker run finished in ${Date.now() - started} ms`);
          resolve(fromTransferable(m.analysis));
        });
      else finish(() => reject(Object.assign(new Error(`analysis worker: ${m.message}`), { stack: m.stack })));
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
            subscriptions.push(progressToken.onCancellationRequested(() => cancel('cancelled by the user')));
            let shown = 0;
            report = (m) => {
              const pct = percentDone(m, estimate);
              const increment = pct === undefined ? undefined : Math.max(0, pct - shown);
              if (pct !== undefined) shown = Math.max(shown, pct);
              progress.report({
                message: progressText(m, estimate, options.format ?? DEFAULT_NUMBER_FORMAT),
                increment,
              });
            };
            progress.report({ message: 'starting…' });
          }),
      );
    }, o.progressDelayMs ?? 300);
  });
}
