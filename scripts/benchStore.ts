/**
 * The trace store's figures for `npm run bench` (issue 10), each long run in a child process of
 * its own (`--expose-gc`), so that its peak RSS is its own:
 *   - 784-128-10, batch 32, 100,000 SGD steps: peak RSS, and the time per step against the same
 *     steps with nothing kept (tracedStep and the health check, the run's own work);
 *   - any step's full events (3L + 1) after the run, recomputed from the nearest checkpoint;
 *   - 2-3-2, 1,000,000 steps: time and peak RSS;
 *   - after a forced GC, the heap against the store's own accounting and its budget.
 * Figures are printed, not asserted: the goals are beside them, with how far each is.
 */
import { spawn } from 'node:child_process';
import { checkStepHealth } from '../src/engine/health';
import { createRng } from '../src/engine/init';
import { NetworkSpec } from '../src/engine/network';
import { Params, tracedStep, Trainer } from '../src/engine/run';
import { DEFAULT_MEMORY_BUDGET_MB, MB } from '../src/engine/store/plan';
import { OptimizerState, paramsAfter } from '../src/engine/store/records';
import { TraceStore } from '../src/engine/store/traceStore';
import { eventsOfStep } from '../src/engine/trace';
import { equationsFor } from '../src/report/equations';

interface ChildFigures {
  name: string;
  steps: number;
  seconds: number;
  perStepMs: number;
  untracedPerStepMs: number;
  peakRssMB: number;
  afterGcMB: { heapUsed: number; arrayBuffers: number; rss: number };
  store: { totalMB: number; checkpointsMB: number; recordsMB: number; lossesMB: number; replayCacheMB: number };
  budgetMB: number;
  interval: number;
  checkpoints: number;
  anyStepMs: { median: number; p95: number; max: number; withEquationsMedian: number; samples: number };
}

interface ChildSpec {
  readonly name: string;
  readonly title: string;
  readonly widths: readonly number[];
  readonly batch: number;
  readonly steps: number;
  readonly quickSteps: number;
  readonly activations: readonly ('sigmoid' | 'softmax')[];
  readonly loss: 'cross_entropy' | 'half_sse';
  /** The run goes in blocks of this many steps; every `pairEvery`-th is followed by as many that keep nothing (the comparison). */
  readonly block: number;
  readonly pairEvery: number;
  readonly lookups: number;
  readonly goals: { readonly rssMB: number; readonly anyStepMs: number; readonly seconds?: number };
}

const CHILDREN: readonly ChildSpec[] = [
  {
    name: 'mnist',
    title: '784-128-10, batch 32, sigmoid/softmax, cross-entropy, SGD',
    widths: [784, 128, 10],
    batch: 32,
    steps: 100_000,
    quickSteps: 10_000,
    activations: ['sigmoid', 'softmax'],
    loss: 'cross_entropy',
    block: 500,
    pairEvery: 4,
    lookups: 15,
    goals: { rssMB: 512, anyStepMs: 50 },
  },
  {
    name: 'tiny',
    title: '2-3-2, batch 1, sigmoid/sigmoid, half_sse, SGD',
    widths: [2, 3, 2],
    batch: 1,
    steps: 1_000_000,
    quickSteps: 100_000,
    activations: ['sigmoid', 'sigmoid'],
    loss: 'half_sse',
    block: 20_000,
    pairEvery: 2,
    lookups: 200,
    goals: { rssMB: 100, anyStepMs: 1, seconds: 10 },
  },
];

function specOf(c: ChildSpec): NetworkSpec {
  const rng = createRng(4242 + c.widths[0]);
  const w = c.widths,
    L = w.length - 1;
  const layers = w.slice(1).map((n, l) => {
    const limit = Math.sqrt(6 / (w[l] + n));
    return {
      W: { rows: n, cols: w[l], data: Float64Array.from({ length: n * w[l] }, () => (2 * rng.uniform() - 1) * limit) },
      b: new Float64Array(n),
      activation: c.activations[l],
    };
  });
  const input = { rows: c.batch, cols: w[0], data: Float64Array.from({ length: c.batch * w[0] }, () => rng.uniform()) };
  const target = { rows: c.batch, cols: w[L], data: new Float64Array(c.batch * w[L]) };
  for (let i = 0; i < c.batch; i++)
    if (c.loss === 'cross_entropy') target.data[i * w[L] + (rng.nextUint32() % w[L])] = 1;
    else for (let j = 0; j < w[L]; j++) target.data[i * w[L] + j] = rng.uniform();
  return { input, target, layers, loss: c.loss, optimizer: { type: 'sgd', lr: 0.01 }, l2: 0, steps: 1 };
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The run's own work with nothing kept — a traced step and its health check — on a run of its own. */
class Untraced {
  private params: readonly Params[];
  private state: OptimizerState = [];
  private step = 1;
  private readonly seen = new Set<string>();
  constructor(private readonly spec: NetworkSpec) {
    this.params = spec.layers.map((l) => ({ W: l.W, b: l.b }));
  }
  /** Milliseconds per step over the next `n` steps. */
  run(n: number): number {
    const t0 = now();
    for (let i = 0; i < n; i++, this.step++) {
      const r = tracedStep(this.spec, this.params, this.step, this.state);
      checkStepHealth(this.spec, r.record, undefined, this.seen);
      this.params = paramsAfter(r.record);
      this.state = r.state;
    }
    return (now() - t0) / n;
  }
}

/**
 * Runs one workload (in the child). The run goes in blocks; some are followed by a block as long
 * of a run that keeps nothing, so that a busy spell of a shared machine slows both alike; the
 * figure is the ratio of the medians per step of those pairs.
 */
async function child(c: ChildSpec, quick: boolean): Promise<ChildFigures> {
  const spec = specOf(c);
  const steps = quick ? c.quickSteps : c.steps;
  const untraced = new Untraced(spec);
  untraced.run(c.block); // warm-up
  const trainer = new Trainer(spec, { steps });
  const perStep: number[] = [],
    bare: number[] = [];
  let seconds = 0;
  for (let k = 1; !trainer.finished; k++) {
    const t0 = now(),
      from = trainer.done;
    while (trainer.done - from < c.block && trainer.next());
    const ms = now() - t0;
    seconds += ms / 1000;
    if (k % c.pairEvery === 0 && trainer.done - from === c.block) {
      perStep.push(ms / c.block);
      bare.push(untraced.run(c.block));
    }
  }
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  const store: TraceStore = trainer.store;

  // Any step after the run: scattered steps, each cold (far from the last one asked for).
  const rng = createRng(73412);
  const times: number[] = [],
    withEq: number[] = [];
  const L = spec.layers.length;
  const trace = trainer.trace();
  store.focus(1 + (rng.nextUint32() % steps)); // warm-up: the replay's code compiled once
  for (let i = 0; i < c.lookups; i++) {
    const n = 1 + (rng.nextUint32() % steps);
    const a = now();
    store.focus(n);
    const b = now();
    for (const e of eventsOfStep(n, L)) equationsFor(trace, e, { convention: 'out_in', maxEntries: 6 });
    times.push(b - a);
    withEq.push(now() - a);
  }
  // Array buffers are released a moment after the collection that finds them dead.
  for (let i = 0; i < 2; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 200));
  }
  const mem = process.memoryUsage();
  const acc = store.retainedBytes();
  const mb = (x: number) => x / MB;
  const sorted = [...times].sort((x, y) => x - y);
  return {
    name: c.name,
    steps,
    seconds,
    perStepMs: median(perStep),
    untracedPerStepMs: median(bare),
    peakRssMB,
    afterGcMB: { heapUsed: mb(mem.heapUsed), arrayBuffers: mb(mem.arrayBuffers), rss: mb(mem.rss) },
    store: {
      totalMB: mb(acc.total),
      checkpointsMB: mb(acc.checkpoints),
      recordsMB: mb(acc.records),
      lossesMB: mb(acc.losses),
      replayCacheMB: mb(acc.replayCache),
    },
    budgetMB: DEFAULT_MEMORY_BUDGET_MB,
    interval: store.plan.interval,
    checkpoints: store.plan.checkpointCapacity,
    anyStepMs: {
      median: median(times),
      p95: sorted[Math.floor(0.95 * (sorted.length - 1))],
      max: sorted[sorted.length - 1],
      withEquationsMedian: median(withEq),
      samples: times.length,
    },
  };
}

function runChild(name: string, quick: boolean): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', __filename, '--child', name, ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as ChildFigures) : reject(new Error(`${name}: exit ${code}`)),
    );
  });
}

const fmt = (x: number, unit: string) =>
  unit === 'ms' && x < 1 ? `${(x * 1000).toFixed(x < 0.01 ? 2 : 1)} µs` : `${x.toFixed(x < 10 ? 2 : 0)} ${unit}`;

function verdict(value: number, goal: number, unit: string): string {
  return value <= goal
    ? `met (≤ ${goal} ${unit})`
    : `MISSED: ${fmt(value, unit)} against ≤ ${goal} ${unit} (${(value / goal).toFixed(1)}×)`;
}

export interface StoreBenchResult {
  readonly figures: readonly ChildFigures[];
}

/** The store's workloads, in turn, each in its own process; prints the figures and the goals. */
export async function runStoreBench(quick: boolean): Promise<StoreBenchResult> {
  console.log(
    `\nLong runs through the trace store (budget ${DEFAULT_MEMORY_BUDGET_MB} MB, the default; each run in its own process)${quick ? ' [--quick: 10× fewer steps]' : ''}:`,
  );
  const figures: ChildFigures[] = [];
  for (const c of CHILDREN) {
    const f = await runChild(c.name, quick);
    figures.push(f);
    const ratio = f.perStepMs / f.untracedPerStepMs;
    console.log(`\n  ${c.title}, ${f.steps.toLocaleString('en-US')} steps`);
    console.log(
      `    run                 ${f.seconds.toFixed(1)} s; median ${fmt(f.perStepMs, 'ms')} a step, ${fmt(f.untracedPerStepMs, 'ms')} with nothing kept (interleaved): ${ratio.toFixed(3)}× (goal within 10%: ${ratio <= 1.1 ? 'met' : 'MISSED'})`,
    );
    if (c.goals.seconds !== undefined)
      console.log(`    time                ${verdict(f.seconds, c.goals.seconds, 's')}`);
    console.log(`    peak RSS            ${f.peakRssMB.toFixed(0)} MB: ${verdict(f.peakRssMB, c.goals.rssMB, 'MB')}`);
    console.log(
      `    store               ${f.store.totalMB.toFixed(1)} MB by its own accounting (checkpoints ${f.store.checkpointsMB.toFixed(1)}, records ${f.store.recordsMB.toFixed(1)}, losses ${f.store.lossesMB.toFixed(1)}, replay cache ${f.store.replayCacheMB.toFixed(1)}); K = ${f.interval}, ${f.checkpoints} checkpoints`,
    );
    console.log(
      `    after a forced GC   heap ${f.afterGcMB.heapUsed.toFixed(1)} MB + array buffers ${f.afterGcMB.arrayBuffers.toFixed(1)} MB, RSS ${f.afterGcMB.rss.toFixed(0)} MB (the budget: ${f.budgetMB} MB)`,
    );
    console.log(
      `    any step after it   ${fmt(f.anyStepMs.median, 'ms')} median, ${fmt(f.anyStepMs.p95, 'ms')} p95, ${fmt(f.anyStepMs.max, 'ms')} worst of ${f.anyStepMs.samples} scattered steps (with every event's equations: ${fmt(f.anyStepMs.withEquationsMedian, 'ms')} median); p95 ${verdict(f.anyStepMs.p95, c.goals.anyStepMs, 'ms')}`,
    );
  }
  return { figures };
}

if (require.main === module && process.argv.includes('--child')) {
  const name = process.argv[process.argv.indexOf('--child') + 1];
  const c = CHILDREN.find((x) => x.name === name);
  if (!c) throw new Error(`no workload ${name}`);
  void child(c, process.argv.includes('--quick')).then((f) => process.stdout.write(JSON.stringify(f)));
}
