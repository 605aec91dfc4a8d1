/**
 * The schema, written once over the shared Node tree: keys, types, shapes, limits, and the
 * conversion to the engine's canonical NetworkSpec (W out×in, examples as rows).
 */
import { ACTIVATIONS, ActivationName, LOSSES, LayerSpec, LossName, NetworkSpec, OPTIMIZERS, OptimizerSpec } from '../engine/network';
import { INITS, InitName, initWeights } from '../engine/init';
import { Matrix } from '../engine/tensor';
import {
  BatchLayout,
  Convention,
  DEFAULT_TOLERANCE,
  ExpectKey,
  Expectation,
  FixData,
  LayerRanges,
  Limits,
  MODEL_FILE_PATTERN,
  Model,
  ModelDiagnostic,
  ModelRanges,
  Severity,
  SourceRange,
} from './types';
import { MapEntry, MapNode, Node, Span, describeNode } from './nodes';
import { LineTable } from './positions';
import { suggest } from './suggest';
import { Grid, Reporter, gridRows, readGrid, transposedText } from './grid';
import { formatNumber, plural, sup } from './wording';

export const TOP_KEYS = [
  'name',
  'convention',
  'batch_layout',
  'input',
  'target',
  'layers',
  'loss',
  'optimizer',
  'regularization',
  'steps',
  'seed',
  'gradcheck',
  'expect',
] as const;
export const LAYER_KEYS = ['W', 'b', 'activation', 'units', 'init', 'expect'] as const;
export const OPTIMIZER_KEYS = ['type', 'lr', 'momentum', 'beta1', 'beta2', 'eps'] as const;
export const LAYER_EXPECT_KEYS = ['z', 'a', 'delta', 'dW', 'db', 'W_next', 'b_next', 'sigma_prime', 'dL_da'] as const;
export const FILE_EXPECT_KEYS = ['loss', 'dL_da'] as const;
export const BLOCK_KEYS = ['step', 'tolerance'] as const;

/** Hints for keys that are close in meaning rather than in spelling. */
const KEY_HINTS: Record<string, string> = {
  lr: 'the learning rate goes inside optimizer, e.g. optimizer: {type: sgd, lr: 0.01}',
  learning_rate: 'the learning rate goes inside optimizer, e.g. optimizer: {type: sgd, lr: 0.01}',
  activation: 'activation belongs to each layer',
  weights: 'write each layer’s weights as W',
  bias: 'write each layer’s biases as b',
  biases: 'write each layer’s biases as b',
  x: 'the inputs are called input',
  y: 'the targets are called target',
  l2: 'write regularization: {l2: …}',
  epochs: 'steps counts training steps on the whole batch',
  iterations: 'steps counts training steps on the whole batch',
  limits: 'limits are set by the editor or the command line, not by the model file',
  init: 'init belongs to a layer that gives units',
};
const OPTIMIZER_HINTS: Record<string, string> = {
  learning_rate: 'lr',
  mu: 'momentum',
  beta_1: 'beta1',
  beta_2: 'beta2',
  epsilon: 'eps',
  name: 'type',
};

export interface SchemaContext {
  readonly text: string;
  readonly lines: LineTable;
  readonly format: 'yaml' | 'json';
  readonly limits: Limits;
  readonly fileName?: string;
}

interface LayerDraft {
  readonly index: number; // 1-based
  readonly node: MapNode;
  readonly entries: Map<string, MapEntry>;
  W?: Grid;
  b?: Grid;
  units?: number;
  init?: InitName;
  activation?: ActivationName;
  /** Width n_l as resolved. */
  n?: number;
  /** Whether W (as written) fits; the spec is built only when every layer does. */
  ok: boolean;
}

export class SchemaBuilder implements Reporter {
  readonly diagnostics: ModelDiagnostic[] = [];
  readonly text: string;
  readonly lines: LineTable;
  private errors = 0;

  constructor(private readonly ctx: SchemaContext) {
    this.text = ctx.text;
    this.lines = ctx.lines;
  }

  range(s: Span): SourceRange {
    return this.lines.range(s.start, s.end);
  }

  add(span: Span, severity: Severity, code: string, message: string, fix?: FixData): void {
    if (severity === 'error') this.errors++;
    this.diagnostics.push({ range: this.range(span), severity, code, message, ...(fix ? { fix } : {}) });
  }

  error(span: Span, code: string, message: string, fix?: FixData): void {
    this.add(span, 'error', code, message, fix);
  }

  warn(span: Span, code: string, message: string): void {
    this.add(span, 'warning', code, message);
  }

  /** The first line of a node: where "missing key" errors go. */
  private head(n: Node): Span {
    const line = this.lines.position(n.start).line;
    let start = n.start;
    // For a YAML block sequence item, start at its `- `.
    let i = start - 1;
    while (i >= 0 && this.text[i] === ' ') i--;
    if (i >= 0 && this.text[i] === '-' && this.lines.position(i).line === line) start = i;
    return { start, end: Math.max(start, Math.min(n.end, this.lines.lineEnd(line))) };
  }

  private checkKeys(map: MapNode, known: readonly string[], where: string, hints: Record<string, string> = {}): Map<string, MapEntry> {
    const out = new Map<string, MapEntry>();
    for (const e of map.entries) {
      if (known.includes(e.key)) {
        out.set(e.key, e);
        continue;
      }
      const hint = hints[e.key] ?? hints[e.key.toLowerCase()];
      const s = suggest(e.key, known);
      const tail = s ? `; did you mean "${s}"?` : hint ? `; ${hint}` : `; known keys: ${known.join(', ')}`;
      this.warn(e.keySpan, 'unknown-key', `Unknown key "${e.key}" in ${where}${tail}`);
    }
    return out;
  }

  private asMap(n: Node, what: string, example: string): MapNode | undefined {
    if (n.kind === 'map') return n;
    this.error(n, 'type', `${what} must be a mapping, e.g. ${example}; got ${describeNode(n)}`);
    return undefined;
  }

  private enumValue<T extends string>(e: MapEntry, allowed: readonly T[], what: string): T | undefined {
    const v = e.value;
    if (v.kind === 'scalar' && typeof v.value === 'string') {
      if ((allowed as readonly string[]).includes(v.value)) return v.value as T;
      const s = suggest(v.value, allowed);
      this.error(v, 'enum', `Unknown ${what} "${v.value}"${s ? `; did you mean "${s}"?` : ''} (one of ${allowed.join(', ')})`);
      return undefined;
    }
    this.error(v, 'type', `${what} must be one of ${allowed.join(', ')}; got ${describeNode(v)}`);
    return undefined;
  }

  private numberValue(e: MapEntry, what: string): number | undefined {
    const v = e.value;
    if (v.kind === 'scalar' && typeof v.value === 'number' && !v.quoted) {
      if (Number.isFinite(v.value)) return v.value;
      this.error(v, 'non-finite', `${what}: not a finite number: ${this.text.slice(v.start, v.end)}`);
      return undefined;
    }
    this.error(v, 'type', `${what} must be a number; got ${describeNode(v)}`);
    return undefined;
  }

  private intValue(e: MapEntry, what: string, min: number, max: number, limitName?: string): number | undefined {
    const x = this.numberValue(e, what);
    if (x === undefined) return undefined;
    if (!Number.isInteger(x)) {
      this.error(e.value, 'type', `${what} must be a whole number; got ${formatNumber(x)}`);
      return undefined;
    }
    if (x < min) {
      this.error(e.value, 'range', `${what} must be at least ${min}; got ${x}`);
      return undefined;
    }
    if (x > max) {
      if (limitName) this.error(e.keySpan, 'limit', `${what} is ${x}, above the limit of ${max} (${limitName})`);
      else this.error(e.value, 'range', `${what} must be at most ${max}; got ${x}`);
      return undefined;
    }
    return x;
  }

  private boundedNumber(e: MapEntry, what: string, ok: (x: number) => boolean, rule: string): number | undefined {
    const x = this.numberValue(e, what);
    if (x === undefined) return undefined;
    if (!ok(x)) {
      this.error(e.value, 'range', `${what} must be ${rule}; got ${formatNumber(x)}`);
      return undefined;
    }
    return x;
  }

  build(root: Node | undefined): Model | undefined {
    const ctx = this.ctx;
    if (!root || (root.kind === 'scalar' && root.value === null)) {
      this.error({ start: 0, end: 0 }, 'empty', 'The model file is empty: it needs at least input, target, layers, loss and optimizer');
      return undefined;
    }
    const top = this.asMap(root, 'A model file', 'name, input, target, layers, loss, optimizer');
    if (!top) return undefined;
    const keys = this.checkKeys(top, TOP_KEYS, 'the model', KEY_HINTS);
    const topHead = this.head(top);
    const missing = (k: string, example: string): void => this.error(topHead, 'missing', `The model has no ${k}: add e.g. ${example}`);

    // Simple settings first: later checks (shapes, messages) depend on them.
    const nameE = keys.get('name');
    let name = fileStem(ctx.fileName);
    if (nameE) {
      const v = nameE.value;
      if (v.kind === 'scalar' && v.value !== null) name = String(v.value);
      else this.error(v, 'type', `name must be text; got ${describeNode(v)}`);
    }
    const convE = keys.get('convention');
    const convention: Convention = (convE && this.enumValue<Convention>(convE, ['out_in', 'in_out'], 'convention')) || 'out_in';
    const layoutE = keys.get('batch_layout');
    const batchLayout: BatchLayout = (layoutE && this.enumValue<BatchLayout>(layoutE, ['rows', 'columns'], 'batch_layout')) || 'rows';

    const stepsE = keys.get('steps');
    const steps = stepsE ? this.intValue(stepsE, 'steps', 1, ctx.limits.maxSteps, 'limits.maxSteps') : 1;
    const seedE = keys.get('seed');
    const seed = seedE ? this.intValue(seedE, 'seed', 0, 0xffffffff) : undefined;

    const lossE = keys.get('loss');
    const loss = lossE ? this.enumValue<LossName>(lossE, LOSSES, 'loss') : undefined;
    if (!lossE) missing('loss', 'loss: half_sse');

    const optE = keys.get('optimizer');
    const optimizer = optE ? this.optimizer(optE) : undefined;
    if (!optE) missing('optimizer', 'optimizer: {type: sgd, lr: 0.01}');

    let l2 = 0;
    const regE = keys.get('regularization');
    if (regE) {
      const m = this.asMap(regE.value, 'regularization', '{l2: 0.001}');
      if (m) {
        const rk = this.checkKeys(m, ['l2'], 'regularization');
        const l2E = rk.get('l2');
        if (l2E) l2 = this.boundedNumber(l2E, 'l2', (x) => x >= 0, 'at least 0') ?? 0;
      }
    }

    let gradcheckEpsilon = 1e-4;
    const gcE = keys.get('gradcheck');
    if (gcE) {
      const m = this.asMap(gcE.value, 'gradcheck', '{epsilon: 1e-4}');
      if (m) {
        const gk = this.checkKeys(m, ['epsilon'], 'gradcheck');
        const epsE = gk.get('epsilon');
        if (epsE) gradcheckEpsilon = this.boundedNumber(epsE, 'epsilon', (x) => x > 0 && x < 1, 'between 0 and 1') ?? gradcheckEpsilon;
      }
    }

    // Layers.
    const layersE = keys.get('layers');
    const drafts: LayerDraft[] = [];
    if (!layersE) missing('layers', 'layers: [{W: [[1, 2]], b: [0], activation: identity}]');
    else if (layersE.value.kind !== 'seq' || layersE.value.items.length === 0) {
      if (layersE.value.kind === 'seq' || (layersE.value.kind === 'scalar' && layersE.value.value === null))
        this.error(layersE.value.kind === 'seq' ? layersE.value : layersE.keySpan, 'empty', 'layers is empty: add at least one layer');
      else this.error(layersE.value, 'type', `layers must be a list of layers, each like {W: [[1, 2]], b: [0], activation: identity}; got ${describeNode(layersE.value)}`);
    } else if (layersE.value.items.length > ctx.limits.maxLayers) {
      this.error(layersE.keySpan, 'limit', `The model has ${layersE.value.items.length} layers, above the limit of ${ctx.limits.maxLayers} (limits.maxLayers)`);
    } else {
      layersE.value.items.forEach((it, i) => {
        const m = this.asMap(it, `Layer ${i + 1}`, '{W: [[1, 2]], b: [0], activation: identity}');
        if (m) drafts.push(this.layer(m, i + 1));
      });
    }

    // Input and target, read as written; their shapes are settled with the layers below.
    const inputE = keys.get('input');
    const targetE = keys.get('target');
    if (!inputE) missing('input', 'input: [1, 1]');
    if (!targetE) missing('target', 'target: [2, 3]');
    const gridOpts = (what: string, e: MapEntry) => ({ what, key: e.keySpan, example: 'a list of numbers (one example) or a list of examples, e.g. [[1, 2], [3, 4]]' });
    const input = inputE ? readGrid(inputE.value, this, gridOpts('input', inputE)) : undefined;
    const target = targetE ? readGrid(targetE.value, this, gridOpts('target', targetE)) : undefined;

    const allLayersParsed = layersE !== undefined && drafts.length === (layersE.value.kind === 'seq' ? layersE.value.items.length : -1);
    const shapes = this.resolveShapes(drafts, input, target, convention, batchLayout, inputE, targetE);

    // Loss vs. last activation.
    const last = drafts[drafts.length - 1];
    if (loss && lossE && last?.activation) {
      const act = last.activation;
      const L = last.index;
      if (loss === 'cross_entropy' && act !== 'softmax')
        this.warn(
          lossE.value,
          'loss-activation',
          act === 'sigmoid'
            ? `cross_entropy expects a softmax last layer; layer ${L} is sigmoid (did you mean binary_cross_entropy?)`
            : `cross_entropy expects a softmax last layer; layer ${L} is ${act}, so a${sup(L)} may leave (0, 1) and log a${sup(L)} be undefined`,
        );
      if (loss === 'binary_cross_entropy' && act !== 'sigmoid' && act !== 'softmax')
        this.warn(lossE.value, 'loss-activation', `binary_cross_entropy expects a sigmoid (or softmax) last layer; layer ${L} is ${act}, so a${sup(L)} may leave (0, 1) and the loss be undefined`);
    }
    if (loss && target && targetE && (loss === 'cross_entropy' || loss === 'binary_cross_entropy')) {
      const bad = Array.from(target.data).some((t) => t < 0 || t > 1);
      if (bad) this.warn(targetE.value, 'target-range', `${loss} expects targets between 0 and 1`);
    }

    // Expectations.
    const expectations: Expectation[] = [];
    const expE = keys.get('expect');
    if (expE) this.expectBlocks(expE, 0, FILE_EXPECT_KEYS, expectations);
    drafts.forEach((d) => {
      const e = d.entries.get('expect');
      if (e) this.expectBlocks(e, d.index, LAYER_EXPECT_KEYS, expectations);
    });

    const ranges: ModelRanges = {
      ...(nameE ? { name: this.range(nameE.value) } : {}),
      ...(input ? { input: input.ranges } : {}),
      ...(target ? { target: target.ranges } : {}),
      ...(lossE ? { loss: this.range(lossE.value), lossKey: this.range(lossE.keySpan) } : {}),
      ...(optE ? { optimizer: this.range(optE.value) } : {}),
      ...(layersE ? { layersKey: this.range(layersE.keySpan) } : {}),
      ...(expE ? { expect: this.range(expE.value) } : {}),
      ...(stepsE ? { steps: this.range(stepsE.value) } : {}),
      ...(seedE ? { seed: this.range(seedE.value) } : {}),
      ...(convE ? { convention: this.range(convE.value) } : {}),
      ...(layoutE ? { batchLayout: this.range(layoutE.value) } : {}),
      layers: drafts.map((d) => this.layerRanges(d)),
    };

    if (this.errors > 0 || !shapes || !allLayersParsed || !loss || !optimizer || steps === undefined) return undefined;

    const usesInit = drafts.some((d) => !d.W);
    const effectiveSeed = seed ?? 0;
    const layers: LayerSpec[] = drafts.map((d, i) => {
      const nIn = i === 0 ? shapes.n0 : (drafts[i - 1].n as number);
      const nOut = d.n as number;
      const W = d.W ? canonicalW(d.W, convention) : initWeights(d.init ?? 'xavier_normal', nOut, nIn, effectiveSeed, d.index);
      const b = d.b ? Float64Array.from(d.b.data) : new Float64Array(nOut);
      return { W, b, activation: d.activation as ActivationName };
    });
    const spec: NetworkSpec = { input: shapes.input, target: shapes.target, layers, loss, optimizer, l2, steps };
    return {
      name,
      format: ctx.format,
      convention,
      batchLayout,
      spec,
      ...(seed !== undefined || usesInit ? { seed: effectiveSeed } : {}),
      gradcheckEpsilon,
      expectations,
      ranges,
      initializers: drafts.map((d) => (d.W ? null : (d.init ?? 'xavier_normal'))),
    };
  }

  private optimizer(e: MapEntry): OptimizerSpec | undefined {
    const m = this.asMap(e.value, 'optimizer', '{type: sgd, lr: 0.01}');
    if (!m) return undefined;
    const k = this.checkKeys(m, OPTIMIZER_KEYS, 'optimizer', Object.fromEntries(Object.entries(OPTIMIZER_HINTS).map(([a, b]) => [a, `did you mean "${b}"?`])));
    const typeE = k.get('type');
    const type = typeE ? this.enumValue(typeE, OPTIMIZERS, 'optimizer type') : 'sgd';
    if (!type) return undefined;
    const lrE = k.get('lr');
    if (!lrE) {
      this.error(this.head(m), 'missing', `optimizer has no lr (learning rate): add e.g. lr: 0.01`);
      return undefined;
    }
    const lr = this.boundedNumber(lrE, 'lr', (x) => x > 0, 'greater than 0');
    const only: Record<string, readonly string[]> = { momentum: ['momentum'], adam: ['beta1', 'beta2', 'eps'], sgd: [] };
    for (const key of ['momentum', 'beta1', 'beta2', 'eps']) {
      const ke = k.get(key);
      if (ke && !only[type].includes(key)) this.warn(ke.keySpan, 'ignored', `${key} does not apply to ${type}; it is ignored`);
    }
    const frac = (key: string, dflt: number): number | undefined => {
      const ke = k.get(key);
      return ke ? this.boundedNumber(ke, key, (x) => x >= 0 && x < 1, 'at least 0 and below 1') : dflt;
    };
    if (lr === undefined) return undefined;
    if (type === 'sgd') return { type, lr };
    if (type === 'momentum') {
      const momentum = frac('momentum', 0.9);
      return momentum === undefined ? undefined : { type, lr, momentum };
    }
    const beta1 = frac('beta1', 0.9);
    const beta2 = frac('beta2', 0.999);
    const epsE = k.get('eps');
    const eps = epsE ? this.boundedNumber(epsE, 'eps', (x) => x > 0, 'greater than 0') : 1e-8;
    if (beta1 === undefined || beta2 === undefined || eps === undefined) return undefined;
    return { type, lr, beta1, beta2, eps };
  }

  private layer(m: MapNode, index: number): LayerDraft {
    const entries = this.checkKeys(m, LAYER_KEYS, `layer ${index}`, { weights: 'write the weights as W', w: 'did you mean "W"?', bias: 'write the biases as b', B: 'did you mean "b"?' });
    const d: LayerDraft = { index, node: m, entries, ok: true };
    const l = sup(index);
    const WE = entries.get('W');
    const bE = entries.get('b');
    const actE = entries.get('activation');
    const unitsE = entries.get('units');
    const initE = entries.get('init');
    if (WE) d.W = readGrid(WE.value, this, { what: `W${l}`, key: WE.keySpan, example: 'a list of rows of numbers, e.g. [[1, 2], [3, 4]]' });
    if (bE) d.b = readGrid(bE.value, this, { what: `b${l}`, key: bE.keySpan, example: 'a list of numbers, e.g. [0, 0]', allowMatrix: false });
    if (WE && !d.W) d.ok = false;
    if (bE && !d.b) d.ok = false;
    if (unitsE) d.units = this.intValue(unitsE, `units of layer ${index}`, 1, this.ctx.limits.maxUnits, 'limits.maxUnits');
    if (unitsE && d.units === undefined) d.ok = false;
    if (initE) {
      d.init = this.enumValue(initE, INITS, 'init');
      if (WE) this.warn(initE.keySpan, 'ignored', `init is ignored: layer ${index} gives W`);
      else if (!unitsE) this.error(initE.keySpan, 'missing', `init needs units: add e.g. units: 3 to layer ${index}`);
    }
    if (actE) d.activation = this.enumValue(actE, ACTIVATIONS, 'activation');
    else this.error(this.head(m), 'missing', `Layer ${index} has no activation: add e.g. activation: identity (one of ${ACTIVATIONS.join(', ')})`);
    if (!WE && !unitsE) {
      this.error(this.head(m), 'missing', `Layer ${index} needs W (and b), or units with an init such as xavier_normal`);
      d.ok = false;
    }
    return d;
  }

  /** Settles every width, checks W, b, input and target against each other, builds the batch. */
  private resolveShapes(
    drafts: LayerDraft[],
    input: Grid | undefined,
    target: Grid | undefined,
    convention: Convention,
    layout: BatchLayout,
    inputE: MapEntry | undefined,
    targetE: MapEntry | undefined,
  ): { n0: number; input: Matrix; target: Matrix } | undefined {
    const limits = this.ctx.limits;
    // What the input alone says about n_0 (a vector is one example unless n_0 turns out to be 1).
    const inputWidthGuess = input ? (input.written === 'matrix' ? (layout === 'rows' ? input.cols : input.rows) : input.cols) : undefined;
    // When every W fits the other convention, the file most likely names the wrong one.
    const other: Convention = convention === 'out_in' ? 'in_out' : 'out_in';
    const fitsOther =
      drafts.length > 0 &&
      drafts.every((d) => d.W) &&
      drafts.reduce<number | undefined | false>((prevW, d) => {
        if (prevW === false || !d.W) return false;
        const [r, c] = canonicalDims(d.W, other);
        const n = d.units ?? d.b?.cols ?? r;
        if (r !== n) return false;
        if (d.index === 1 ? inputWidthGuess !== undefined && c !== inputWidthGuess : c !== prevW) return false;
        return n;
      }, undefined) !== false;
    const conventionHint = fitsOther ? ` (every W fits convention ${other}: did you mean convention: ${other}?)` : '';
    let n0: number | undefined;
    let prev: number | undefined;
    let params = 0;
    let paramsReported = false;
    let ok = true;
    for (const d of drafts) {
      const l = d.index;
      const W = d.W;
      const WE = d.entries.get('W');
      const bE = d.entries.get('b');
      const unitsE = d.entries.get('units');
      const [r, c] = W ? canonicalDims(W, convention) : [undefined, undefined];
      let bReported = false;
      // n_l: units, else b's length, else W's output side — unless W and b disagree in a way
      // that shows b is the odd one out.
      let n: number | undefined;
      if (d.units !== undefined) n = d.units;
      else if (d.b && W && r !== undefined && c !== undefined && r !== d.b.cols && (l === 1 ? inputWidthGuess === undefined || c === inputWidthGuess : prev === undefined || c === prev)) {
        n = r;
        this.error(d.b.node, 'shape', `b${sup(l)} has ${plural(d.b.cols, 'entry', 'entries')} but layer ${l} has ${plural(r, 'unit')} (W${sup(l)} has ${r} ${convention === 'out_in' ? 'rows' : 'columns'})`);
        bReported = true;
        ok = false;
      } else if (d.b) n = d.b.cols;
      else if (r !== undefined) n = r;
      d.n = n;
      if (n === undefined) {
        ok = false;
        prev = undefined;
        continue;
      }
      if (n > limits.maxUnits) {
        const at = unitsE?.keySpan ?? (d.b ? bE?.keySpan : WE?.keySpan) ?? this.head(d.node);
        this.error(at, 'limit', `Layer ${l} has ${n} units, above the limit of ${limits.maxUnits} (limits.maxUnits)`);
        ok = false;
      }
      // The width W must take: the previous layer's units; for layer 1, W¹'s own input side
      // when its output side is right, else what the input says.
      let needIn: number | undefined = prev;
      if (l === 1) needIn = W && r === n ? c : inputWidthGuess;
      if (W && r !== undefined && c !== undefined) {
        if (r !== n || (needIn !== undefined && c !== needIn)) {
          ok = false;
          d.ok = false;
          const transposeFits = needIn !== undefined && c === n && r === needIn;
          this.error(W.node, 'shape', shapeMessage(l, W, n, needIn, convention) + conventionHint, transposeFits ? { kind: 'transpose_matrix', text: transposedText(W) } : undefined);
        }
      }
      if (d.b && !bReported && d.b.cols !== n) {
        ok = false;
        this.error(d.b.node, 'shape', `b${sup(l)} has ${plural(d.b.cols, 'entry', 'entries')} but layer ${l} has ${plural(n, 'unit')}`);
      }
      if (W && !bE && WE) {
        ok = false;
        this.error(WE.keySpan, 'missing-bias', `Layer ${l} has W but no b: add b with ${plural(n, 'bias', 'biases')}, e.g. b: [${new Array<string>(Math.min(n, 64)).fill('0').join(', ')}${n > 64 ? ', …' : ''}]`, n <= 4096 ? this.addBiasFix(d, WE, n) : undefined);
      }
      const nIn = l === 1 ? (needIn ?? inputWidthGuess) : prev;
      if (l === 1) n0 = nIn;
      if (nIn !== undefined) {
        params += (nIn + 1) * n;
        if (params > limits.maxParameters && !paramsReported) {
          paramsReported = true;
          ok = false;
          const at = unitsE?.keySpan ?? WE?.keySpan ?? this.head(d.node);
          this.error(at, 'limit', `The network has more than ${limits.maxParameters} parameters by layer ${l} (limits.maxParameters)`);
        }
      }
      prev = n;
    }
    if (drafts.length === 0) ok = false;

    // The batch.
    let inputM: Matrix | undefined;
    let N: number | undefined;
    if (input && inputE) {
      const res = toBatch(input, n0, layout);
      if ('error' in res) {
        ok = false;
        this.error(input.node, 'shape', batchMessage('input', input, n0, n0 !== undefined ? `W${sup(1)} takes ${plural(n0, 'input')}` : '', layout));
      } else {
        inputM = res.m;
        N = res.m.rows;
        if (n0 === undefined) n0 = res.m.cols;
        if (N > limits.maxBatch) {
          ok = false;
          this.error(inputE.keySpan, 'limit', `The batch has ${N} examples, above the limit of ${limits.maxBatch} (limits.maxBatch)`);
        }
        if (n0 > limits.maxUnits) {
          ok = false;
          this.error(inputE.keySpan, 'limit', `The input has ${n0} units, above the limit of ${limits.maxUnits} (limits.maxUnits)`);
        }
      }
    } else ok = false;
    let targetM: Matrix | undefined;
    const last = drafts[drafts.length - 1];
    if (target && targetE && last?.n !== undefined) {
      const nL = last.n;
      const res = toBatch(target, nL, layout);
      if ('error' in res) {
        ok = false;
        this.error(target.node, 'shape', batchMessage('target', target, nL, `the last layer (layer ${last.index}) has ${plural(nL, 'unit')}`, layout));
      } else if (N !== undefined && res.m.rows !== N) {
        ok = false;
        this.error(target.node, 'shape', `target has ${plural(res.m.rows, 'example')} but input has ${N}`);
      } else targetM = res.m;
    } else ok = false;
    if (!ok || !inputM || !targetM || n0 === undefined) return undefined;
    return { n0, input: inputM, target: targetM };
  }

  private addBiasFix(d: LayerDraft, WE: MapEntry, n: number): FixData {
    const zeros = '[' + new Array<string>(n).fill('0').join(', ') + ']';
    const valueEnd = WE.value.end;
    if (this.ctx.format === 'json') {
      const multiLine = this.lines.position(d.node.start).line !== this.lines.position(WE.keySpan.start).line;
      const keyCol = this.lines.position(WE.keySpan.start - 1).character;
      const text = multiLine ? `,\n${' '.repeat(keyCol)}"b": ${zeros}` : `, "b": ${zeros}`;
      return { kind: 'add_bias', text, insertAt: this.lines.position(valueEnd) };
    }
    if (d.node.flow) return { kind: 'add_bias', text: `, b: ${zeros}`, insertAt: this.lines.position(valueEnd) };
    const keyCol = this.lines.position(WE.keySpan.start).character;
    const line = `${' '.repeat(keyCol)}b: ${zeros}\n`;
    if (this.lines.hasLineBreakAfter(valueEnd)) return { kind: 'add_bias', text: line, insertAt: this.lines.position(this.lines.nextLineStart(valueEnd)) };
    return { kind: 'add_bias', text: '\n' + line.slice(0, -1), insertAt: this.lines.position(this.text.length) };
  }

  private expectBlocks(e: MapEntry, layer: number, allowed: readonly string[], out: Expectation[]): void {
    const v = e.value;
    const blocks: Node[] = v.kind === 'seq' ? [...v.items] : [v];
    if (v.kind === 'seq' && v.items.length === 0) this.warn(v, 'empty', 'expect is empty');
    const where = layer === 0 ? 'the file-level expect block' : `the expect block of layer ${layer}`;
    for (const b of blocks) {
      const m = this.asMap(b, 'An expect block', layer === 0 ? '{loss: 109}' : '{z: [0, 8, 1]}');
      if (!m) continue;
      const keys = this.checkKeys(m, [...allowed, ...BLOCK_KEYS], where, layer === 0 ? Object.fromEntries(LAYER_EXPECT_KEYS.filter((k) => k !== 'dL_da').map((k) => [k, `${k} belongs in a layer's expect block`])) : { loss: 'loss belongs in the file-level expect block' });
      const stepE = keys.get('step');
      const step = stepE ? this.intValue(stepE, 'step', 1, this.ctx.limits.maxSteps) : 1;
      const tolE = keys.get('tolerance');
      const tol = tolE ? this.boundedNumber(tolE, 'tolerance', (x) => x >= 0, 'at least 0') : DEFAULT_TOLERANCE;
      for (const [key, ke] of keys) {
        if (key === 'step' || key === 'tolerance') continue;
        const what = expectSymbol(key as ExpectKey, layer);
        const g = readGrid(ke.value, this, { what, key: ke.keySpan, example: key === 'loss' ? 'a number' : 'a number, a list of numbers or a list of rows' });
        if (!g || step === undefined || tol === undefined) continue;
        out.push({
          layer,
          key: key as ExpectKey,
          step,
          tolerance: tol,
          toleranceMode: tolE ? 'absolute' : 'scaled',
          values: gridRows(g),
          written: g.written,
          ranges: g.ranges,
          ...(stepE ? { stepRange: this.range(stepE.value) } : {}),
          blockRange: this.range(m),
        });
      }
    }
  }

  private layerRanges(d: LayerDraft): LayerRanges {
    const e = d.entries;
    const act = e.get('activation');
    const units = e.get('units');
    const init = e.get('init');
    const exp = e.get('expect');
    return {
      layer: this.range(d.node),
      head: this.range(this.head(d.node)),
      ...(d.W ? { W: d.W.ranges } : {}),
      ...(d.b ? { b: d.b.ranges } : {}),
      ...(act ? { activation: this.range(act.value), activationKey: this.range(act.keySpan) } : {}),
      ...(exp ? { expect: this.range(exp.value) } : {}),
      ...(units ? { units: this.range(units.value) } : {}),
      ...(init ? { init: this.range(init.value) } : {}),
    };
  }
}

/** z¹, δ², W²', ∂L/∂a², L — how a value is named in messages. */
export function expectSymbol(key: ExpectKey, layer: number, lastLayer?: number): string {
  const l = sup(layer === 0 ? (lastLayer ?? 0) : layer);
  const L = layer === 0 && lastLayer === undefined ? 'ᴸ' : l;
  switch (key) {
    case 'z':
      return `z${l}`;
    case 'a':
      return `a${l}`;
    case 'delta':
      return `δ${l}`;
    case 'dW':
      return `∂L/∂W${l}`;
    case 'db':
      return `∂L/∂b${l}`;
    case 'W_next':
      return `W${l}'`;
    case 'b_next':
      return `b${l}'`;
    case 'sigma_prime':
      return `σ'(z${l})`;
    case 'dL_da':
      return `∂L/∂a${L}`;
    case 'loss':
      return 'L';
  }
}

/** (rows, cols) of W as the engine needs it: n_out × n_in. */
function canonicalDims(W: Grid, convention: Convention): [number, number] {
  return convention === 'out_in' ? [W.rows, W.cols] : [W.cols, W.rows];
}

function canonicalW(W: Grid, convention: Convention): Matrix {
  const m: Matrix = { rows: W.rows, cols: W.cols, data: Float64Array.from(W.data) };
  if (convention === 'out_in') return m;
  const out = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data: out };
}

function shapeOf(g: Grid): string {
  if (g.written === 'scalar') return 'a single number';
  if (g.written === 'vector') return `a list of ${plural(g.cols, 'number')} (1×${g.cols})`;
  return `${g.rows}×${g.cols}`;
}

function shapeMessage(l: number, W: Grid, n: number, needIn: number | undefined, convention: Convention): string {
  const name = `W${sup(l)}`;
  if (needIn === undefined) {
    const side = convention === 'out_in' ? 'rows' : 'columns';
    return `${name} is ${shapeOf(W)} but layer ${l} has ${plural(n, 'unit')}: it needs ${n} ${side} (convention ${convention})`;
  }
  const [R, C, dims] = convention === 'out_in' ? [n, needIn, `n_${l} × n_${l - 1}`] : [needIn, n, `n_${l - 1} × n_${l}`];
  const transposed = W.rows === C && W.cols === R && R !== C ? ' — it looks transposed' : '';
  return `${name} is ${shapeOf(W)} but layer ${l} needs ${R}×${C} (${dims}, convention ${convention}): ${plural(R, 'row')} of ${plural(C, 'number')}${transposed}`;
}

type BatchResult = { m: Matrix } | { error: 'width' };

/**
 * A written batch as N × n (examples as rows). A vector is one example — or, when the width is
 * 1, one number per example; a matrix follows the batch layout.
 */
export function toBatch(g: Grid, width: number | undefined, layout: BatchLayout): BatchResult {
  if (g.written !== 'matrix') {
    const k = g.cols;
    if (width === undefined || width === k) return { m: { rows: 1, cols: k, data: Float64Array.from(g.data) } };
    if (width === 1) return { m: { rows: k, cols: 1, data: Float64Array.from(g.data) } };
    return { error: 'width' };
  }
  const w = layout === 'rows' ? g.cols : g.rows;
  if (width !== undefined && w !== width) return { error: 'width' };
  if (layout === 'rows') return { m: { rows: g.rows, cols: g.cols, data: Float64Array.from(g.data) } };
  const out = new Float64Array(g.data.length);
  for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) out[j * g.rows + i] = g.data[i * g.cols + j];
  return { m: { rows: g.cols, cols: g.rows, data: out } };
}

function batchMessage(what: string, g: Grid, need: number | undefined, because: string, layout: BatchLayout): string {
  const tail = because ? ` but ${because}` : '';
  if (g.written !== 'matrix') return `${what} has ${plural(g.cols, 'number')}${tail}`;
  const per =
    layout === 'rows'
      ? `${what} has ${plural(g.cols, 'number')} per example (row)`
      : `${what} has ${plural(g.rows, 'row')} (one per unit, batch_layout: columns)`;
  const other = layout === 'rows' ? g.rows : g.cols;
  const hint = need !== undefined && other === need ? ` — did you mean batch_layout: ${layout === 'rows' ? 'columns' : 'rows'}?` : '';
  return `${per}${tail}${hint}`;
}

function fileStem(fileName: string | undefined): string {
  if (!fileName) return 'model';
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(MODEL_FILE_PATTERN, '').replace(/\.(ya?ml|json)$/i, '') || 'model';
}
