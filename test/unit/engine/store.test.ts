/**
 * The trace store against the uninterrupted run that keeps every record (fullTrace.ts: a plain
 * loop of tracedStep): every step it gives back — kept, or recomputed from a checkpoint, a kept
 * record or a replay's cached state — must be that run's step bit for bit, whatever the order
 * of access; and what it keeps must stay within its budget by its own accounting.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NetworkSpec } from '../../../src/engine/network';
import { restoreTrace, traceData, train, Trainer } from '../../../src/engine/run';
import { estimateRecordBytes, MB, planStore } from '../../../src/engine/store/plan';
import { retainedArrayBytes } from '../../../src/engine/store/records';
import { TraceStore } from '../../../src/engine/store/traceStore';
import { StepRecord, Trace } from '../../../src/engine/trace';
import { createRng, initWeights } from '../../../src/engine/init';
import { network } from './arbitraries';
import { fullRun } from './fullTrace';

/** First difference between two records, compared bit for bit (Object.is: -0 ≠ 0, NaN = NaN), or null. */
function difference(a: unknown, b: unknown, path = 'record'): string | null {
  if (a instanceof Float64Array || b instanceof Float64Array) {
    if (!(a instanceof Float64Array && b instanceof Float64Array)) return `${path}: one is not a Float64Array`;
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `${path}[${i}]: ${a[i]} vs ${b[i]}`;
    return null;
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null)
    return Object.is(a, b) ? null : `${path}: ${String(a)} vs ${String(b)}`;
  const ka = Object.keys(a).sort(),
    kb = Object.keys(b).sort();
  if (ka.join() !== kb.join()) return `${path}: keys ${ka.join()} vs ${kb.join()}`;
  for (const k of ka) {
    const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

function assertSameStep(got: StepRecord, want: StepRecord): void {
  const d = difference(got, want, `step ${want.step}`);
  assert.equal(d, null, d ?? '');
}

/** Orders in which a viewer might read the steps: forward, backward (step back), scattered. */
function orders(n: number, K: number, seed: number): number[][] {
  const all = Array.from({ length: n }, (_, i) => i + 1);
  const rng = createRng(seed);
  const shuffled = [...all];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.nextUint32() % (i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  // Checkpoints sit before steps 1, 1 + K, …: each one, the step before it and the one after.
  const boundaries = all.filter((s) => (s - 1) % K === 0 || (s - 1) % K === K - 1 || (s - 1) % K === 1);
  return [[...all].reverse(), shuffled, boundaries, all];
}

const budgets = [1, 64 * 1024, 4 * MB];

describe('trace store: every step equals the uninterrupted run, bit for bit', () => {
  it('for random networks and optimizers (sgd, momentum, adam), any K, budget and order of access', () => {
    fc.assert(
      fc.property(
        network,
        fc.integer({ min: 12, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(...budgets),
        fc.nat(),
        (spec, steps, K, budget, seed) => {
          const full = fullRun(spec, steps);
          fc.pre(full.every((r) => Number.isFinite(r.loss.value)));
          const trace = train(spec, { steps, memoryBudgetBytes: budget, checkpointInterval: K });
          assert.equal(trace.steps.length, steps);
          for (const order of orders(steps, K, seed))
            for (const n of order) assertSameStep(trace.steps.get(n), full[n - 1]);
          // The losses need no replay at all.
          assert.deepEqual(
            Array.from(trace.steps.losses()),
            full.map((r) => r.loss.value),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('covers each optimizer and recomputes (the test is not passing on kept records alone)', () => {
    for (const optimizer of [
      { type: 'sgd', lr: 0.05 },
      { type: 'momentum', lr: 0.05, momentum: 0.9 },
      { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    ] as const) {
      const spec = mlp([3, 5, 4, 2], 3, optimizer, 0.01);
      const steps = 50;
      const full = fullRun(spec, steps);
      const trace = train(spec, { steps, memoryBudgetBytes: 1, checkpointInterval: 7 });
      const store = trace.steps as TraceStore;
      for (const n of [50, 1, 8, 7, 15, 14, 22, 49, 2, 36]) assertSameStep(store.get(n), full[n - 1]);
      assert.ok(store.replayedSteps > 0, `${optimizer.type}: some steps were recomputed`);
    }
  });

  it('after crossing to another thread (structured clone of the store, rebuilt there)', () => {
    const spec = mlp([4, 6, 3], 2, { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const full = fullRun(spec, 60);
    const here = train(spec, { steps: 60, memoryBudgetBytes: 64 * 1024, checkpointInterval: 8 });
    const there: Trace = restoreTrace(spec, structuredClone(traceData(here)));
    assert.equal(there.steps.length, 60);
    for (const n of [60, 33, 32, 1, 17, 59, 9]) assertSameStep(there.steps.get(n), full[n - 1]);
  });

  it('a run stopped halfway keeps the steps it finished, and they are the uninterrupted run’s', () => {
    const spec = mlp([5, 8, 3], 4, { type: 'momentum', lr: 0.1, momentum: 0.5 });
    const full = fullRun(spec, 40);
    const t = new Trainer(spec, { steps: 100, memoryBudgetBytes: 1, checkpointInterval: 6 });
    while (t.done < 40) t.next();
    t.stop();
    assert.equal(t.next(), undefined);
    const trace = t.trace();
    assert.equal(trace.steps.length, 40);
    assert.equal(trace.stoppedEarly, 'cancelled after 40 steps');
    for (const n of [40, 13, 12, 7, 1, 39]) assertSameStep(trace.steps.get(n), full[n - 1]);
  });

  it('keeps every record of a short run (no replay), and the steps expect: names of a long one', () => {
    const spec = mlp([2, 3, 2], 1, { type: 'sgd', lr: 0.1 });
    const short = train(spec, { steps: 20 }).steps as TraceStore;
    for (let n = 1; n <= 20; n++) short.get(n);
    assert.equal(short.replayedSteps, 0);
    const long = train(spec, { steps: 3000, keepSteps: [1234] }).steps as TraceStore;
    assert.equal(long.plan.head < 3000, true);
    assertSameStep(long.get(1234), fullRun(spec, 1234)[1233]);
    assert.equal(long.replayedSteps, 0);
  });
});

describe('trace store: memory', () => {
  it('stays under its budget by its own accounting, during a long run and while steps are visited', () => {
    const spec = mlp([32, 24, 10], 8, { type: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const budget = 1 * MB,
      steps = 20_000;
    const t = new Trainer(spec, { steps, memoryBudgetBytes: budget });
    const store = t.store;
    // Checkpoints alone would hold 20,000 × 6.9 kB = 138 MB: the plan spaces them out.
    assert.ok(store.plan.interval > 100, `K = ${store.plan.interval}`);
    while (t.next()) if (t.done % 1000 === 0) assert.ok(store.retainedBytes().total <= budget, `${t.done}`);
    const rng = createRng(7);
    for (let i = 0; i < 30; i++) {
      store.focus(1 + (rng.nextUint32() % steps));
      const b = store.retainedBytes();
      assert.ok(b.total <= budget, `after ${i + 1} visits: ${JSON.stringify(b)}`);
    }
  });

  it('K grows with the steps and the model, within the budget; a tiny model is not checkpointed every step', () => {
    const big = mlp([784, 128, 10], 32, { type: 'sgd', lr: 0.01 });
    const p = planStore(big, 100_000, 256 * MB);
    const checkpointBytes = 8 * (784 * 128 + 128 + 128 * 10 + 10);
    // ~256 MB / 0.81 MB ≈ 300 checkpoints at most for 100,000 steps.
    assert.ok(p.interval >= Math.ceil(100_000 / ((256 * MB) / checkpointBytes)), `K = ${p.interval}`);
    assert.ok(p.checkpointCapacity * p.checkpointBytes <= 256 * MB);
    const tiny = planStore(mlp([2, 3, 2], 1, { type: 'sgd', lr: 0.1 }), 1_000_000, 256 * MB);
    assert.ok(tiny.interval >= 10 && tiny.checkpointCapacity * tiny.checkpointBytes < 8 * MB, `K = ${tiny.interval}`);
  });

  it("the plan's bound on a record's bytes holds for random networks", () => {
    fc.assert(
      fc.property(network, (spec) => {
        // Step 2 (its W is step 1's W′, not the model's); the model's input and target are not the store's.
        const r = fullRun(spec, 2)[1];
        const modelOwn = new Set([spec.input.data.buffer, spec.target.data.buffer]);
        assert.ok(retainedArrayBytes(r, modelOwn) <= estimateRecordBytes(spec));
      }),
      { numRuns: 100 },
    );
  });
});

/** A dense network with seeded weights (the engine's own initialiser) and a fixed batch. */
function mlp(widths: number[], batch: number, optimizer: NetworkSpec['optimizer'], l2 = 0): NetworkSpec {
  const rng = createRng(widths.reduce((a, b) => a * 31 + b, batch));
  const L = widths.length - 1;
  return {
    input: {
      rows: batch,
      cols: widths[0],
      data: Float64Array.from({ length: batch * widths[0] }, () => rng.uniform()),
    },
    target: {
      rows: batch,
      cols: widths[L],
      data: Float64Array.from({ length: batch * widths[L] }, () => rng.uniform()),
    },
    layers: widths.slice(1).map((n, l) => ({
      W: initWeights('xavier_normal', n, widths[l], 3, l + 1),
      b: new Float64Array(n),
      activation: l === L - 1 ? 'sigmoid' : 'tanh',
    })),
    loss: 'mse',
    optimizer,
    l2,
    steps: 1,
  };
}
