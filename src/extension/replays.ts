/**
 * A far step of a long run is recomputed before a view reads it, and off the extension host's
 * thread when that is long: the trace store says where the replay would start; a replay that
 * costs more than `backprop.worker.threshold` runs in a worker (the same step function, so the
 * same numbers, bit for bit) and its records join the store's recent ones. A short one is left to
 * the reader (the store replays it in place in a moment). One replay at a time per run: a step
 * asked for meanwhile waits, and is often held by then (the replay keeps its step and the one
 * before). If a worker fails, the reader replays in place: slower, never wrong.
 */
import * as vscode from 'vscode';
import { parameterTotal } from '../engine/store/plan';
import { TraceStore } from '../engine/store/traceStore';
import type { Trace } from '../engine/trace';
import type { WorkerPort } from './workerPort';
import type { ToWorker, WorkerMessage } from './workerProtocol';

export interface ReplayOptions {
  readonly startWorker: () => WorkerPort<ToWorker, WorkerMessage>;
  /** backprop.worker.threshold, in the cost units of a run: parameters × batch × 3 per step. */
  readonly threshold: () => number;
  readonly log: vscode.LogOutputChannel;
}

export class StepReplays {
  private readonly queues = new WeakMap<TraceStore, Promise<void>>();

  constructor(private readonly o: ReplayOptions) {}

  /** Resolves once step n of the trace can be read without a long replay here (never rejects). */
  ensure(trace: Trace, n: number): Promise<void> {
    const store = trace.steps;
    if (!(store instanceof TraceStore) || !this.needsWorker(store, n)) return Promise.resolve();
    const next = (this.queues.get(store) ?? Promise.resolve()).then(() =>
      this.needsWorker(store, n) ? this.replay(store, n) : undefined,
    );
    this.queues.set(store, next);
    return next;
  }

  private needsWorker(store: TraceStore, n: number): boolean {
    if (!Number.isInteger(n) || n < 1 || n > store.length) return false;
    const start = store.replayStart(n);
    if (!start) return false;
    const perStep = 3 * parameterTotal(store.spec) * Math.max(1, store.spec.input.rows);
    return (n - start.step + 1) * perStep > this.o.threshold();
  }

  private replay(store: TraceStore, n: number): Promise<void> {
    const start = store.replayStart(n);
    if (!start) return Promise.resolve();
    const t0 = Date.now();
    return new Promise<void>((resolve) => {
      let port: WorkerPort<ToWorker, WorkerMessage>;
      const done = (why?: string) => {
        port.terminate();
        if (why) this.o.log.warn(`replay of step ${n} in a worker failed (${why}); it is recomputed here instead`);
        resolve();
      };
      try {
        port = this.o.startWorker();
      } catch (e) {
        this.o.log.warn(`no worker for the replay of step ${n}: ${e instanceof Error ? e.message : String(e)}`);
        resolve();
        return;
      }
      port.onMessage((m) => {
        if (m.type === 'replayed') {
          store.adopt(m.records);
          this.o.log.info(
            `step ${n}: replayed ${n - start.step + 1} steps from step ${start.step} in ${port.description}, ${Date.now() - t0} ms`,
          );
          done();
        } else if (m.type === 'error') done(m.message);
      });
      port.onError((e) => done(e.message));
      port.post({ type: 'replay', spec: store.spec, start, to: n });
    });
  }
}
