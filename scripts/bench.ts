/**
 * `npm run bench`: one traced training step of the engine against TensorFlow.js (pure-JS CPU backend, float32) and PyTorch (CPU, float64, one thread) on the
 * same weights and data — dense nets and a LeNet-like conv net — plus the GFLOP/s of the three
 * matmul layouts at the shapes the dense steps use. Every figure is a median of repeated runs
 * after warm-up, each timing bounded in time.
 */
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Matrix } from '../src/engine/tensor';
import { ActivationName, LayerSpec, LossName, NetworkSpec } from '../src/engine/network';
import { shaped } from '../src/engine/tensor';
import { StepRecord } from '../src/engine/trace';
import { tracedStep } from '../src/engine/run';
import { runStoreBench } from './benchStore';
import { matmulAB, matmulABt, matmulAtB } from '../src/engine/matmul';
import { KernelBackend, kernelBackend, setKernelBackend } from '../src/engine/kernels/gemm';
import { createRng } from '../src/engine/init';

const USAGE = `npm run bench [-- --quick] [-- --engine-only] [-- --store] [-- --json[=FILE]]
  --quick         fewer runs (rougher figures, a few times faster)
  --engine-only   measure only this engine: no TensorFlow.js, no PyTorch
  --store         only the trace store's long runs (784-128-10 × 100,000 steps, 2-3-2 × 1,000,000)
  --json[=FILE]   also write every figure to FILE (default out/bench-results.json)`;
const DEFAULT_JSON = 'out/bench-results.json';

function parseBenchArgs(argv: string[]): {
  quick: boolean;
  engineOnly: boolean;
  storeOnly: boolean;
  jsonPath: string | null;
} {
  try {
    // A bare --json means the default file (util.parseArgs has no optional values).
    const { values } = parseArgs({
      args: argv.map((a) => (a === '--json' ? `--json=${DEFAULT_JSON}` : a)),
      options: {
        quick: { type: 'boolean' },
        'engine-only': { type: 'boolean' },
        store: { type: 'boolean' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      console.log(`Usage: ${USAGE}`);
      process.exit(0);
    }
    return {
      quick: values.quick === true,
      engineOnly: values['engine-only'] === true,
      storeOnly: values.store === true,
      jsonPath: values.json ?? null,
    };
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\nUsage: ${USAGE}`);
    process.exit(2);
  }
}

const { quick, engineOnly, storeOnly, jsonPath } = parseBenchArgs(process.argv.slice(2));

// ── timing ────────────────────────────────────────────────────────────────────────────────────

interface Timing {
  medianMs: number;
  runs: number;
  samples: number[];
}
interface Budget {
  warmup: number;
  minRuns: number;
  maxRuns: number;
  budgetMs: number;
  /** calls per sample, for µs-scale work */ inner: number;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function measure(fn: () => unknown, b: Budget): Timing {
  for (let i = 0; i < b.warmup; i++) fn();
  const samples: number[] = [];
  const end = now() + b.budgetMs;
  while (samples.length < b.minRuns || (samples.length < b.maxRuns && now() < end)) {
    const t0 = now();
    for (let i = 0; i < b.inner; i++) fn();
    samples.push((now() - t0) / b.inner);
  }
  return { medianMs: median(samples), runs: samples.length * b.inner, samples };
}

// ── workloads ─────────────────────────────────────────────────────────────────────────────────

/** Deterministic uniform [0, 1) — the engine's own seeded generator — so every implementation and every run sees the same data. */
function rng(seed: number): () => number {
  const r = createRng(seed);
  return () => r.uniform();
}

/** A layer of a workload, before its weights are drawn. */
type Plan =
  | { kind: 'dense'; units: number; activation: ActivationName }
  | { kind: 'conv2d'; filters: number; kernel: number; activation: ActivationName }
  | { kind: 'maxpool2d'; kernel: number }
  | { kind: 'flatten' };

interface Workload {
  name: string;
  title: string;
  /** One example's shape: [n] for units, [C, H, W] for images. */
  input: number[];
  layers: Plan[];
  batch: number;
  loss: LossName;
  budget: Budget;
  /** The issue's goals for this workload: at least `tfjs`× faster than tfjs, within `torch`× of PyTorch. */
  goal?: { tfjs: number; torch: number };
}

const dense = (units: number, activation: ActivationName): Plan => ({ kind: 'dense', units, activation });

const fullBudget = (ms: number, inner = 1): Budget => ({
  warmup: quick ? 2 : 5,
  minRuns: quick ? 3 : 7,
  maxRuns: 200,
  budgetMs: quick ? ms / 5 : ms,
  inner,
});

const WORKLOADS: Workload[] = [
  {
    name: 'S',
    title: '2-3-2, batch 1, sigmoid/sigmoid, half_sse',
    input: [2],
    layers: [dense(3, 'sigmoid'), dense(2, 'sigmoid')],
    batch: 1,
    loss: 'half_sse',
    budget: { ...fullBudget(1500, 2000), maxRuns: 31 },
  },
  {
    name: 'W',
    title: '784-128-64-10, batch 32, sigmoid hidden, softmax + cross_entropy',
    input: [784],
    layers: [dense(128, 'sigmoid'), dense(64, 'sigmoid'), dense(10, 'softmax')],
    batch: 32,
    loss: 'cross_entropy',
    budget: fullBudget(3000),
  },
  {
    name: 'L',
    title: '784-512-512-10, batch 128, relu hidden, softmax + cross_entropy',
    input: [784],
    layers: [dense(512, 'relu'), dense(512, 'relu'), dense(10, 'softmax')],
    batch: 128,
    loss: 'cross_entropy',
    budget: { ...fullBudget(6000), maxRuns: 25 },
  },
  {
    name: 'C',
    title:
      'LeNet-like 1×28×28 → conv 6@5×5 → maxpool 2 → conv 16@5×5 → maxpool 2 → flatten → 120 → 84 → 10, batch 32, relu, softmax + cross_entropy',
    input: [1, 28, 28],
    layers: [
      { kind: 'conv2d', filters: 6, kernel: 5, activation: 'relu' },
      { kind: 'maxpool2d', kernel: 2 },
      { kind: 'conv2d', filters: 16, kernel: 5, activation: 'relu' },
      { kind: 'maxpool2d', kernel: 2 },
      { kind: 'flatten' },
      dense(120, 'relu'),
      dense(84, 'relu'),
      dense(10, 'softmax'),
    ],
    batch: 32,
    loss: 'cross_entropy',
    budget: fullBudget(4000),
    goal: { tfjs: 5, torch: 3 },
  },
];

const LR = 0.01;

const NONE = { W: { rows: 0, cols: 0, data: new Float64Array(0) }, b: new Float64Array(0) } as const;

/**
 * Glorot-uniform weights (a convolution's fans are in·k² and out·k², as PyTorch counts them),
 * zero-ish biases, inputs in [0, 1) like pixels, one-hot (or [0,1) for S) targets.
 */
function makeSpec(w: Workload): NetworkSpec {
  const next = rng(20240 + (w.layers.length + 1) * 7 + w.batch);
  const uniform = (n: number, limit: number) => new Float64Array(n).map(() => (2 * next() - 1) * limit);
  const layers: LayerSpec[] = [];
  let shape = w.input;
  for (const p of w.layers) {
    if (p.kind === 'dense') {
      const nIn = shape[0];
      const W = uniform(p.units * nIn, Math.sqrt(6 / (nIn + p.units)));
      const b = uniform(p.units, 0.1);
      layers.push({ W: { rows: p.units, cols: nIn, data: W }, b, activation: p.activation });
      shape = [p.units];
    } else if (p.kind === 'conv2d') {
      const [C, H, Wd] = shape,
        k = p.kernel;
      const W = uniform(p.filters * C * k * k, Math.sqrt(6 / ((C + p.filters) * k * k)));
      const b = uniform(p.filters, 0.1);
      layers.push({
        type: 'conv2d',
        W: shaped([p.filters, C, k, k], W),
        b,
        stride: [1, 1],
        padding: [0, 0],
        activation: p.activation,
      });
      shape = [p.filters, H - k + 1, Wd - k + 1];
    } else if (p.kind === 'maxpool2d') {
      const k = p.kernel;
      layers.push({ type: 'maxpool2d', kernel: [k, k], stride: [k, k], activation: 'identity', ...NONE });
      shape = [shape[0], Math.floor(shape[1] / k), Math.floor(shape[2] / k)];
    } else {
      layers.push({ type: 'flatten', activation: 'identity', ...NONE });
      shape = [shape.reduce((a, b) => a * b, 1)];
    }
  }
  const n0 = w.input.reduce((a, b) => a * b, 1),
    nL = shape[0];
  const x = new Float64Array(w.batch * n0).map(() => next());
  const input = w.input.length > 1 ? shaped([w.batch, ...w.input], x) : { rows: w.batch, cols: n0, data: x };
  const target: Matrix = { rows: w.batch, cols: nL, data: new Float64Array(w.batch * nL) };
  for (let i = 0; i < w.batch; i++) {
    if (w.loss === 'cross_entropy') target.data[i * nL + Math.floor(next() * nL)] = 1;
    else for (let j = 0; j < nL; j++) target.data[i * nL + j] = next();
  }
  return { input, target, layers, loss: w.loss, optimizer: { type: 'sgd', lr: LR }, l2: 0, steps: 1 };
}

// ── trace memory ──────────────────────────────────────────────────────────────────────────────

/** Bytes of every Float64Array reachable from `root`, each underlying buffer counted once. */
export function float64Bytes(root: unknown, exclude: ReadonlySet<ArrayBufferLike> = new Set()): number {
  const buffers = new Set<ArrayBufferLike>();
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Float64Array) {
      if (!exclude.has(v.buffer)) buffers.add(v.buffer);
    } else if (!ArrayBuffer.isView(v)) {
      for (const child of Object.values(v)) stack.push(child);
    }
  }
  let bytes = 0;
  for (const b of buffers) bytes += b.byteLength;
  return bytes;
}

function specBuffers(spec: NetworkSpec): Set<ArrayBufferLike> {
  return new Set([
    spec.input.data.buffer,
    spec.target.data.buffer,
    ...spec.layers.flatMap((l) => [l.W.data.buffer, l.b.buffer]),
  ]);
}

// ── tfjs ──────────────────────────────────────────────────────────────────────────────────────

/**
 * TensorFlow.js is the comparison's, not the project's: it weighs 272 MB, so it is not among the
 * devDependencies. The first `npm run bench` installs this exact version into .cache/bench/ (ignored
 * by git and by the .vsix); later runs reuse it. --engine-only never needs it.
 */
const TFJS_VERSION = '4.22.0';
const TFJS_CACHE = path.resolve(__dirname, '..', '..', '.cache', 'bench');

/** The part of @tensorflow/tfjs the comparison uses (its own types arrive only with the on-demand install). */
interface TfTensor {
  dataSync(): ArrayLike<number>;
  dispose(): void;
}
interface TfVariable extends TfTensor {
  readonly name: string;
  assign(t: TfTensor): void;
}
type Unary = (t: TfTensor) => TfTensor;
type Binary = (a: TfTensor | number, b: TfTensor | number) => TfTensor;
interface Tf {
  readonly version: { readonly tfjs: string };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tensor1d(values: Float32Array | number[]): TfTensor;
  tensor2d(values: Float32Array, shape: [number, number]): TfTensor;
  variable(t: TfTensor): TfVariable;
  matMul(a: TfTensor, b: TfTensor, transposeA: boolean, transposeB: boolean): TfTensor;
  tensor4d(values: Float32Array, shape: [number, number, number, number]): TfTensor;
  transpose(t: TfTensor, perm: number[]): TfTensor;
  reshape(t: TfTensor, shape: number[]): TfTensor;
  conv2d(x: TfTensor, filter: TfTensor, stride: number, pad: 'valid'): TfTensor;
  maxPool(x: TfTensor, size: number, stride: number, pad: 'valid'): TfTensor;
  sigmoid: Unary;
  relu: Unary;
  tanh: Unary;
  neg: Unary;
  sum: Unary;
  square: Unary;
  logSoftmax: Unary;
  add: Binary;
  sub: Binary;
  mul: Binary;
  div: Binary;
  tidy<T>(f: () => T): T;
  variableGrads(f: () => TfTensor, vars: TfVariable[]): { value: TfTensor; grads: Record<string, TfTensor> };
  dispose(tensors: TfTensor[]): void;
}

/** The cached install's entry point, installing it first when it is missing or another version. */
function tfjsEntry(): string | null {
  const dir = path.join(TFJS_CACHE, 'node_modules', '@tensorflow', 'tfjs');
  const installed = (): string | undefined => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return undefined;
    }
  };
  if (installed() !== TFJS_VERSION) {
    console.error(
      `Installing @tensorflow/tfjs ${TFJS_VERSION} for the comparison into ${path.relative(process.cwd(), TFJS_CACHE) || '.'} (once; ~270 MB; --engine-only skips it)…`,
    );
    fs.mkdirSync(TFJS_CACHE, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(
      npm,
      [
        'install',
        '--prefix',
        TFJS_CACHE,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        `@tensorflow/tfjs@${TFJS_VERSION}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (r.status !== 0 || installed() !== TFJS_VERSION) return null;
  }
  return dir;
}

async function loadTf(): Promise<Tf | null> {
  const entry = tfjsEntry();
  if (!entry) return null;
  // tfjs prints an advert for tfjs-node when it starts under Node: keep the table clean.
  const warn = console.warn,
    log = console.log;
  console.warn = () => undefined;
  console.log = () => undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require(entry) as Tf;
    await tf.setBackend('cpu');
    await tf.ready();
    tf.tensor1d([0]).dispose(); // the advert comes with the backend's first write
    return tf.getBackend() === 'cpu' ? tf : null;
  } catch {
    return null;
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

/**
 * The same step in tfjs: variableGrads of the same loss, then p ← p − lr·g. tfjs's CPU backend
 * convolves NHWC with HWIO filters, so images and kernels are transposed once here, and the
 * flatten goes back to channels first so the dense weights see PyTorch's (and the engine's) order.
 */
function tfjsStep(tf: Tf, w: Workload, spec: NetworkSpec): { step: () => number; dispose: () => void } {
  const vars: TfVariable[] = [];
  const params = spec.layers.map((l) => {
    if (l.W.data.length === 0) return null;
    const W =
      l.type === 'conv2d'
        ? tf.variable(
            tf.tidy(() =>
              tf.transpose(
                tf.tensor4d(Float32Array.from(l.W.data), [...(l.W.shape as [number, number, number, number])]),
                [2, 3, 1, 0],
              ),
            ),
          )
        : tf.variable(tf.tensor2d(Float32Array.from(l.W.data), [l.W.rows, l.W.cols]));
    const b = tf.variable(tf.tensor1d(Float32Array.from(l.b)));
    vars.push(W, b);
    return { W, b };
  });
  const N = spec.input.rows;
  const x: TfTensor =
    w.input.length > 1
      ? tf.tidy(() =>
          tf.transpose(
            tf.tensor4d(Float32Array.from(spec.input.data), [N, ...(w.input as [number, number, number])]),
            [0, 2, 3, 1],
          ),
        )
      : tf.tensor2d(Float32Array.from(spec.input.data), [N, spec.input.cols]);
  const t = tf.tensor2d(Float32Array.from(spec.target.data), [spec.target.rows, spec.target.cols]);
  const act = (name: ActivationName, z: TfTensor): TfTensor =>
    name === 'sigmoid' ? tf.sigmoid(z) : name === 'relu' ? tf.relu(z) : name === 'tanh' ? tf.tanh(z) : z;
  const L = spec.layers.length;
  const lossFn = (): TfTensor => {
    let a = x;
    for (let l = 0; l < L; l++) {
      const layer = spec.layers[l],
        p = params[l];
      if (layer.type === 'conv2d' && p) a = act(layer.activation, tf.add(tf.conv2d(a, p.W, 1, 'valid'), p.b));
      else if (layer.type === 'maxpool2d') a = tf.maxPool(a, layer.kernel[0], layer.stride[0], 'valid');
      else if (layer.type === 'flatten') a = tf.reshape(tf.transpose(a, [0, 3, 1, 2]), [N, -1]);
      else if (p) {
        const z = tf.add(tf.matMul(a, p.W, false, true), p.b);
        if (l === L - 1) {
          if (w.loss === 'cross_entropy') return tf.div(tf.neg(tf.sum(tf.mul(t, tf.logSoftmax(z)))), N);
          return tf.mul(0.5, tf.sum(tf.square(tf.sub(act(layer.activation, z), t))));
        }
        a = act(layer.activation, z);
      }
    }
    throw new Error('the last layer is dense');
  };
  const step = (): number =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(lossFn, vars);
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], LR)));
      return value.dataSync()[0];
    });
  return { step, dispose: () => tf.dispose([...vars, x, t]) };
}

// ── torch ─────────────────────────────────────────────────────────────────────────────────────

interface TorchHello {
  torch: string;
  threads: number;
  blas: string;
  losses: Record<string, number>;
}

/** A python3 that can import torch: $BENCH_PYTHON alone when set, else python3 on PATH, then Debian's. */
function findTorchPython(): string | null {
  const candidates = process.env.BENCH_PYTHON ? [process.env.BENCH_PYTHON] : ['python3', '/usr/bin/python3'];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60000 });
    if (r.status === 0) return py;
  }
  return null;
}

/** bench_torch.py kept running, so its timings can be interleaved with the others'. */
class TorchServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly lines: string[] = [];
  private stderr = '';
  private exited = false;

  constructor(py: string, inputFile: string) {
    const script = path.join(__dirname, '..', '..', 'scripts', 'bench_torch.py');
    this.child = spawn(py, [script, inputFile], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const w = this.waiting.shift();
      if (w) w(line);
      else this.lines.push(line);
    });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.child.on('exit', () => {
      this.exited = true;
      for (const w of this.waiting.splice(0)) w('');
    });
  }

  private async next(timeoutMs: number): Promise<string> {
    if (this.lines.length) return this.lines.shift()!;
    if (this.exited) return '';
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(''), timeoutMs);
      this.waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  }

  private fail(what: string): never {
    throw new Error(`bench_torch.py ${what}: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }

  async hello(): Promise<TorchHello> {
    const line = await this.next(120000);
    if (!line) this.fail('did not start');
    return JSON.parse(line) as TorchHello;
  }

  async time(name: string, samples: number, inner: number, warmup: number): Promise<number[]> {
    this.child.stdin.write(JSON.stringify({ name, samples, inner, warmup }) + '\n');
    const line = await this.next(120000);
    if (!line) this.fail(`gave no timing for ${name}`);
    return (JSON.parse(line) as { times: number[] }).times;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

function torchInput(items: { w: Workload; spec: NetworkSpec }[]): string {
  const payload = {
    workloads: items.map(({ w, spec }) => ({
      name: w.name,
      batch: w.batch,
      loss: w.loss,
      lr: LR,
      input: Array.from(spec.input.data),
      target: Array.from(spec.target.data),
      layers: spec.layers.map((l) => ({
        kind: l.type ?? 'dense',
        activation: l.activation,
        shape: l.W.shape ?? [l.W.rows, l.W.cols],
        W: Array.from(l.W.data),
        b: Array.from(l.b),
        ...(l.type === 'maxpool2d' ? { kernel: l.kernel[0] } : {}),
      })),
      input_shape: [w.batch, ...w.input],
    })),
  };
  fs.mkdirSync('out', { recursive: true });
  const file = path.join('out', 'bench-torch-input.json');
  fs.writeFileSync(file, JSON.stringify(payload)); // JSON numbers round-trip float64 exactly
  return file;
}

// ── kernels ───────────────────────────────────────────────────────────────────────────────────

type Product = 'ABt' | 'AtB' | 'AB';
interface KernelRow {
  product: Product;
  role: string;
  m: number;
  n: number;
  k: number;
  gflops: Record<string, number>;
}

/** The three products of each layer of one step, as (m, n, k) of C = m×n. */
function stepProducts(batch: number, widths: number[], tag: string): Omit<KernelRow, 'gflops'>[] {
  const out: Omit<KernelRow, 'gflops'>[] = [];
  for (let l = 1; l < widths.length; l++) {
    const nIn = widths[l - 1],
      nOut = widths[l];
    out.push({ product: 'ABt', role: `${tag} z${l} = a·Wᵀ`, m: batch, n: nOut, k: nIn });
    out.push({ product: 'AtB', role: `${tag} dW${l} = δᵀ·a`, m: nOut, n: nIn, k: batch });
    out.push({ product: 'AB', role: `${tag} dA${l - 1} = δ·W`, m: batch, n: nIn, k: nOut });
  }
  return out;
}

/** The loops matmul.ts had before the kernels (i-k-j for AB and AᵀB, dot products for ABᵀ). */
function plainLoops(p: Product, A: Float64Array, B: Float64Array, m: number, n: number, k: number): Float64Array {
  const C = new Float64Array(m * n);
  if (p === 'ABt') {
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += A[i * k + q] * B[j * k + q];
        C[i * n + j] = s;
      }
  } else if (p === 'AtB') {
    for (let q = 0; q < k; q++)
      for (let i = 0; i < m; i++) {
        const x = A[q * m + i];
        for (let j = 0; j < n; j++) C[i * n + j] += x * B[q * n + j];
      }
  } else {
    for (let i = 0; i < m; i++)
      for (let q = 0; q < k; q++) {
        const x = A[i * k + q];
        for (let j = 0; j < n; j++) C[i * n + j] += x * B[q * n + j];
      }
  }
  return C;
}

function benchKernels(): KernelRow[] {
  const shapes = [...stepProducts(32, [784, 128, 64, 10], 'W'), ...stepProducts(128, [784, 512, 512, 10], 'L')];
  const next = rng(99);
  const rows: KernelRow[] = [];
  for (const s of shapes) {
    const { product: p, m, n, k } = s;
    const aShape = p === 'AtB' ? [k, m] : [m, k];
    const bShape = p === 'ABt' ? [n, k] : [k, n];
    const a: Matrix = { rows: aShape[0], cols: aShape[1], data: new Float64Array(m * k).map(() => next() - 0.5) };
    const b: Matrix = { rows: bShape[0], cols: bShape[1], data: new Float64Array(k * n).map(() => next() - 0.5) };
    const f = p === 'ABt' ? matmulABt : p === 'AtB' ? matmulAtB : matmulAB;
    const flop = 2 * m * n * k;
    // Samples of ≥ ~1 ms (several calls for the small shapes) and a warm-up long enough for the JIT.
    const inner = Math.max(1, Math.ceil(2e7 / flop));
    const budget: Budget = {
      warmup: 10 * inner,
      minRuns: quick ? 5 : 9,
      maxRuns: 300,
      budgetMs: quick ? 60 : 250,
      inner,
    };
    // Backends take turns (rounds) so that a busy spell of the machine hits all of them.
    const samples: Record<string, number[]> = { wasm: [], ts: [], loops: [] };
    const rounds = quick ? 1 : 3;
    const perRound: Budget = {
      ...budget,
      minRuns: Math.ceil(budget.minRuns / rounds),
      budgetMs: budget.budgetMs / rounds,
    };
    for (let r = 0; r < rounds; r++) {
      for (const backend of ['wasm', 'ts'] as KernelBackend[]) {
        setKernelBackend(backend);
        if (kernelBackend() === backend) samples[backend].push(...measure(() => f(a, b), perRound).samples);
      }
      setKernelBackend('auto');
      samples.loops.push(
        ...measure(() => plainLoops(p, a.data, b.data, m, n, k), {
          ...perRound,
          warmup: inner,
          minRuns: 2,
          budgetMs: perRound.budgetMs / 2,
        }).samples,
      );
    }
    const gflops: Record<string, number> = {};
    for (const [name, xs] of Object.entries(samples)) if (xs.length) gflops[name] = flop / median(xs) / 1e6;
    rows.push({ ...s, gflops });
  }
  return rows;
}

/** ns per product at the 2-3-2 batch-1 shapes (the small-product path). */
function benchTiny(): Record<string, number> {
  const m = (r: number, c: number): Matrix => ({ rows: r, cols: c, data: new Float64Array(r * c).fill(0.5) });
  const x = m(1, 2),
    W1 = m(3, 2),
    d1 = m(1, 3),
    W2 = m(2, 3),
    d2 = m(1, 2),
    a1 = m(1, 3);
  const b: Budget = { warmup: 10000, minRuns: 7, maxRuns: 31, budgetMs: quick ? 50 : 200, inner: 100000 };
  return {
    'z¹ = x·W¹ᵀ (1×2 · 3×2ᵀ)': measure(() => matmulABt(x, W1), b).medianMs * 1e6,
    'dW² = δ²ᵀ·a¹ (1×2ᵀ · 1×3)': measure(() => matmulAtB(d2, a1), b).medianMs * 1e6,
    'dA¹ = δ²·W² (1×2 · 2×3)': measure(() => matmulAB(d2, W2), b).medianMs * 1e6,
    'dx = δ¹·W¹ (1×3 · 3×2)': measure(() => matmulAB(d1, W1), b).medianMs * 1e6,
  };
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────

interface Row {
  workload: string;
  title: string;
  engineMs: number;
  engineTsMs: number | null;
  tfjsMs: number | null;
  torchMs: number | null;
  traceBytes: number;
  traceNewBytes: number;
  loss: { engine: number; tfjs: number | null; torch: number | null };
}

const fmtMs = (w: string, ms: number | null): string =>
  ms === null ? '—' : w === 'S' ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(2)} ms`;
const fmtRatio = (x: number | null, e: number): string => (x === null ? '—' : `${(x / e).toFixed(2)}×`);
const fmtBytes = (b: number): string =>
  b < 1 << 20 ? `${(b / 1024).toFixed(1)} KiB` : `${(b / (1 << 20)).toFixed(2)} MiB`;

function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  if (storeOnly) {
    const store = await runStoreBench(quick);
    writeJson({ date: new Date().toISOString(), quick, store });
    return;
  }
  const started = now();
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    kernel: kernelBackend(),
    loadBefore: os.loadavg()[0],
    loadAfter: 0,
  };
  console.log(
    `Backprop Stepper bench — ${machine.cpu} (${machine.cores} cores), Node ${machine.node}, ${machine.platform}`,
  );
  console.log(
    `engine: float64, matmul kernel '${machine.kernel}' (engine (ts) column: the pure-TS fallback kernel)${quick ? '  [--quick: fewer runs]' : ''}\n`,
  );

  const tiny = benchTiny();
  console.log('Small products (2-3-2, batch 1: plain loops, no packing):');
  for (const [k, v] of Object.entries(tiny)) console.log(`  ${k.padEnd(28)} ${v.toFixed(0)} ns`);

  const kernels = benchKernels();
  console.log('\nmatmul GFLOP/s at the W and L step shapes (C = m×n, inner k; median):');
  console.log(
    table(
      ['product', 'm', 'n', 'k', 'wasm f64x2', 'ts 4×4', 'plain loops'],
      kernels.map((r) => [
        r.role,
        String(r.m),
        String(r.n),
        String(r.k),
        r.gflops.wasm?.toFixed(2) ?? '—',
        r.gflops.ts.toFixed(2),
        r.gflops.loops.toFixed(2),
      ]),
    ),
  );

  const params0 = (spec: NetworkSpec) => spec.layers.map((l) => ({ W: l.W, b: l.b }));
  const tf = engineOnly ? null : await loadTf();
  const py = engineOnly ? null : findTorchPython();
  const items = WORKLOADS.map((w) => ({ w, spec: makeSpec(w) }));
  let torch: TorchServer | null = null,
    hello: TorchHello | null = null,
    inputFile: string | null = null;
  let torchNote = engineOnly
    ? 'PyTorch: skipped (--engine-only)'
    : `PyTorch: skipped (${process.env.BENCH_PYTHON ?? 'python3'} cannot import torch; BENCH_PYTHON may name a python that can)`;
  if (py) {
    try {
      inputFile = torchInput(items);
      torch = new TorchServer(py, inputFile);
      hello = await torch.hello();
      torchNote = `PyTorch ${hello.torch} (${py}), CPU float64, torch.set_num_threads(${hello.threads}); BLAS mapped: ${hello.blas}`;
      // Debian's libblas3 is the Fortran reference BLAS; OpenBLAS or MKL would make torch several times faster.
      if (/\/blas\/libblas\.so/.test(hello.blas)) torchNote += ' (the reference BLAS, not an optimised one)';
    } catch (e) {
      torchNote = `PyTorch: skipped (${(e as Error).message})`;
      torch?.close();
      torch = null;
    }
  }

  // Implementations take turns, a few rounds each, so that a slow spell of a shared machine
  // hits them all alike; each figure is the median over all its samples.
  const rounds = quick ? 1 : 3;
  const rows: Row[] = [];
  for (const { w, spec } of items) {
    const start = params0(spec);
    const record: StepRecord = tracedStep(spec, start, 1, []).record;
    const b = w.budget;
    const perRound: Budget = { ...b, minRuns: Math.ceil(b.minRuns / rounds), budgetMs: b.budgetMs / rounds };
    const tfInner = w.name === 'S' ? 50 : 1,
      torchInner = w.name === 'S' ? 200 : 1;
    const s = tf ? tfjsStep(tf, w, spec) : null;
    const tfLoss = s ? s.step() : null; // from the initial weights, like the engine's first step
    const samples = { engine: [] as number[], engineTs: [] as number[], tfjs: [] as number[], torch: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      const warm = r === 0 ? b.warmup : 1;
      samples.engine.push(...measure(() => tracedStep(spec, start, 1, []), { ...perRound, warmup: warm }).samples);
      if (s) {
        // tfjs's slow workloads (hundreds of ms a step) get a few runs per round.
        const slow = w.name === 'L' || w.name === 'C';
        const tfRuns = Math.max(2, Math.min(perRound.minRuns, slow ? 5 : 1000));
        samples.tfjs.push(
          ...measure(s.step, {
            ...perRound,
            warmup: warm,
            inner: tfInner,
            minRuns: tfRuns,
            maxRuns: slow ? tfRuns : perRound.maxRuns,
          }).samples,
        );
      }
      if (torch) {
        const n = Math.max(2, perRound.minRuns * (w.name === 'S' ? 3 : 1));
        try {
          samples.torch.push(...(await torch.time(w.name, n, torchInner, warm)));
        } catch (e) {
          torchNote = `PyTorch: stopped (${(e as Error).message})`;
          torch.close();
          torch = null;
        }
      }
    }
    if (w.name !== 'S') {
      setKernelBackend('ts'); // the pure-TS fallback, once: it is context, not a contender
      samples.engineTs = measure(() => tracedStep(spec, start, 1, []), {
        ...b,
        minRuns: 3,
        budgetMs: b.budgetMs / 3,
      }).samples;
      setKernelBackend('auto');
    }
    s?.dispose();
    const med = (xs: number[]): number | null => (xs.length ? median(xs) : null);
    rows.push({
      workload: w.name,
      title: w.title,
      engineMs: median(samples.engine),
      engineTsMs: med(samples.engineTs),
      tfjsMs: med(samples.tfjs),
      torchMs: med(samples.torch),
      traceBytes: float64Bytes(record),
      traceNewBytes: float64Bytes(record, specBuffers(spec)),
      loss: { engine: record.loss.value, tfjs: tfLoss, torch: hello?.losses[w.name] ?? null },
    });
  }
  torch?.close();
  if (inputFile) fs.rmSync(inputFile, { force: true });

  console.log('\nOne training step (forward, loss, backward, SGD update; the engine records the whole trace), median:');
  console.log(
    table(
      [
        'workload',
        'engine',
        'engine (ts)',
        'tfjs cpu f32',
        'torch f64 1t',
        'tfjs/engine',
        'torch/engine',
        'trace/step (new)',
      ],
      rows.map((r) => [
        r.workload,
        fmtMs(r.workload, r.engineMs),
        fmtMs(r.workload, r.engineTsMs),
        fmtMs(r.workload, r.tfjsMs),
        fmtMs(r.workload, r.torchMs),
        fmtRatio(r.tfjsMs, r.engineMs),
        fmtRatio(r.torchMs, r.engineMs),
        `${fmtBytes(r.traceBytes)} (${fmtBytes(r.traceNewBytes)})`,
      ]),
    ),
  );
  for (const r of rows) console.log(`  ${r.workload}: ${r.title}`);
  for (const w of WORKLOADS) {
    const r = rows.find((x) => x.workload === w.name);
    if (!w.goal || !r) continue;
    const verdict = (name: string, theirs: number | null, want: string, met: (ratio: number) => boolean): string => {
      if (theirs === null) return `${name}: not measured`;
      const ratio = theirs / r.engineMs;
      return `${name}/engine ${ratio.toFixed(2)}× (goal ${want}: ${met(ratio) ? 'met' : 'MISSED'})`;
    };
    console.log(
      `  ${w.name} goals: ${verdict('tfjs', r.tfjsMs, `≥ ${w.goal.tfjs}×`, (x) => x >= w.goal!.tfjs)}; ${verdict('torch', r.torchMs, `≥ 1/${w.goal.torch}×, within ${w.goal.torch}× of PyTorch`, (x) => x >= 1 / w.goal!.torch)}`,
    );
  }
  console.log('\nFirst-step loss from the same initial weights (agreement check):');
  for (const r of rows) {
    const rel = (x: number | null) =>
      x === null
        ? '—'
        : `${x.toPrecision(12)} (rel. diff ${(Math.abs(x - r.loss.engine) / Math.abs(r.loss.engine)).toExponential(1)})`;
    console.log(
      `  ${r.workload}: engine ${r.loss.engine.toPrecision(12)}, tfjs ${rel(r.loss.tfjs)}, torch ${rel(r.loss.torch)}`,
    );
  }
  console.log(
    `\nNotes: tfjs ${tf ? tf.version.tfjs : engineOnly ? '(skipped: --engine-only)' : '(failed to load)'} runs its pure-JS 'cpu' backend in float32, the only dtype it has there;`,
  );
  console.log(
    '       its step keeps no trace. trace/step counts every Float64Array reachable from the step record, each buffer once;',
  );
  console.log('       (new) leaves out the input, target and starting W, b that the record references.');
  console.log(`       ${torchNote}.`);
  const store = await runStoreBench(quick);
  const seconds = (now() - started) / 1000;
  machine.loadAfter = os.loadavg()[0];
  console.log(
    `       bench took ${seconds.toFixed(1)} s; 1-minute load average ${machine.loadBefore.toFixed(2)} before, ${machine.loadAfter.toFixed(2)} after.`,
  );
  // Other processes on the cores make every figure slower and noisier (the turns above keep ratios fair).
  if (Math.max(machine.loadBefore, machine.loadAfter) > machine.cores / 2)
    console.log(`       warning: the machine was busy (load > ${machine.cores / 2}); absolute times are inflated.`);

  writeJson({
    date: new Date().toISOString(),
    machine,
    quick,
    tfjs: tf?.version.tfjs ?? null,
    torch: hello?.torch ?? null,
    torchNote,
    tiny,
    kernels,
    workloads: rows,
    store,
    seconds,
  });
}

function writeJson(results: object): void {
  if (!jsonPath) return;
  fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
  fs.writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');
  console.log(`       results written to ${jsonPath}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
