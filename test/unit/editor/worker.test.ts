import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ToWorker, WorkerMessage, WorkerRequest } from '../../../src/extension/workerProtocol';
import type { WorkerPort } from '../../../src/extension/workerPort';
import { startNodeWorker } from '../../../src/extension/platform/nodeWorkerPort';
import { fullRun } from '../engine/fullTrace';
import { fromTransferable } from '../../../src/extension/transfer';
import { analyze } from '../../../src/analysis/analyze';
import { train } from '../../../src/engine/run';
import { TraceStore } from '../../../src/engine/store/traceStore';
import { PROBLEM1 } from './fixtures';

// The bundle the extension starts (scripts/build.mjs builds it before the unit tests run).
const WORKER = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'worker.js');

/** Starts the bundle through the extension's own transport and sends it `req`. */
function start(req: WorkerRequest): {
  worker: WorkerPort<ToWorker, WorkerMessage>;
  messages: WorkerMessage[];
  done: Promise<WorkerMessage>;
} {
  const worker = startNodeWorker<ToWorker, WorkerMessage>(WORKER);
  const messages: WorkerMessage[] = [];
  const done = new Promise<WorkerMessage>((resolve, reject) => {
    worker.onMessage((m) => {
      messages.push(m);
      if (m.type !== 'progress') resolve(m);
    });
    worker.onError(reject);
  });
  worker.post(req);
  return { worker, messages, done };
}

describe('editor: the analysis worker (dist/worker.js)', () => {
  it('runs analyze() and posts the same trace the extension host would compute', async () => {
    const { worker, done } = start({ text: PROBLEM1, options: { steps: 20, gradcheck: { epsilon: 1e-6 } } });
    const m = await done;
    worker.terminate();
    assert.equal(m.type, 'result');
    if (m.type !== 'result') return;
    const a = fromTransferable(m.analysis);
    const here = analyze(PROBLEM1, { steps: 20, gradcheck: { epsilon: 1e-6 } });
    assert.equal(a.trace!.steps.length, 20);
    assert.deepEqual(
      Array.from(a.trace!.steps.get(20).update[0].WNext.data),
      Array.from(here.trace!.steps.get(20).update[0].WNext.data),
    );
    assert.equal(a.gradcheck!.epsilon, 1e-6);
    assert.equal(a.gradcheck!.checked, 17);
    assert.deepEqual(a.diagnostics, here.diagnostics);
  });

  it('reports progress on a long run and stops when terminated', async () => {
    // The bare worker thread here, for its exit code: 1 when terminate() stopped it mid-run.
    const worker = new Worker(WORKER);
    const messages: WorkerMessage[] = [];
    worker.on('message', (m: WorkerMessage) => messages.push(m));
    worker.postMessage({ text: PROBLEM1, options: { steps: 100_000 } } satisfies WorkerRequest);
    const deadline = Date.now() + 10_000;
    while (!messages.some((m) => m.type === 'progress') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const first = messages.find((m) => m.type === 'progress');
    assert.ok(first && first.type === 'progress' && first.phase === 'train' && first.done >= 1);
    assert.equal(await worker.terminate(), 1);
    assert.ok(!messages.some((m) => m.type === 'result'));
  });

  it('stops when asked, posting the steps it finished: the live losses and the store, equal to a full run', async () => {
    const { worker, messages, done } = start({ text: PROBLEM1, options: { steps: 10_000_000 } });
    const deadline = Date.now() + 10_000;
    while (!messages.some((m) => m.type === 'progress' && m.done >= 3000) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    worker.post({ type: 'stop' });
    const m = await done;
    worker.terminate();
    assert.ok(m.type === 'result' && m.stopped, JSON.stringify(m.type));
    if (m.type !== 'result') return;
    const a = fromTransferable(m.analysis);
    const n = a.trace!.steps.length;
    assert.ok(n >= 3000 && n < 10_000_000, `${n} steps kept`);
    assert.equal(a.trace!.stoppedEarly, `cancelled after ${n} steps`);
    // The progress messages carried every loss once, in order: the live curve is the run's.
    const live: number[] = [];
    for (const p of messages)
      if (p.type === 'progress' && p.losses) {
        assert.equal(p.from, live.length + 1);
        live.push(...p.losses);
      }
    assert.deepEqual(live, Array.from(a.trace!.steps.losses()).slice(0, live.length));
    // A step the store recomputes on this side is the uninterrupted run's, bit for bit.
    const spec = a.model!.spec;
    const reference = fullRun(spec, 2999)[2998];
    assert.deepEqual(
      Array.from(a.trace!.steps.get(2999).update[1].WNext.data),
      Array.from(reference.update[1].WNext.data),
    );
    assert.equal(a.trace!.steps.get(2999).loss.value, reference.loss.value);
  });

  it('replays a stretch of a finished run (a far step), and its records are the uninterrupted run’s', async () => {
    const spec = analyze(PROBLEM1).model!.spec;
    const trace = train(spec, { steps: 5000 });
    const store = trace.steps as TraceStore;
    const start = store.replayStart(3000)!;
    assert.ok(start.step < 3000, `a replay from step ${start.step}`);
    const worker = startNodeWorker<ToWorker, WorkerMessage>(WORKER);
    const reply = new Promise<WorkerMessage>((resolve, reject) => {
      worker.onMessage(resolve);
      worker.onError(reject);
    });
    worker.post({ type: 'replay', spec, start, to: 3000 });
    const m = await reply;
    worker.terminate();
    assert.ok(m.type === 'replayed', m.type);
    if (m.type !== 'replayed') return;
    const full = fullRun(spec, 3000);
    assert.deepStrictEqual(
      m.records.map((r) => r.step),
      [2999, 3000],
    );
    // Bit for bit: deepStrictEqual compares typed arrays byte by byte.
    assert.deepStrictEqual(m.records[1], full[2999]);
    store.adopt(m.records);
    const before = store.replayedSteps;
    store.get(3000);
    store.get(2999);
    assert.equal(store.replayedSteps, before, 'adopted: read without a replay here');
  });
});
