/**
 * From the parsed tree to the Model: the schema checks keys, types, ranges and fills in defaults
 * (schemaCheck.ts); what it accepted is read here, then what no schema can say is checked: the
 * shapes across layers and the limits (shapes.ts), losses that do not suit the last layer, and
 * the hand-derived values (expectBlocks.ts); last, the engine's NetworkSpec (spec.ts).
 */
import { LossName, OptimizerSpec } from '../engine/network';
import {
  BatchLayout,
  Convention,
  Expectation,
  LayerRanges,
  Limits,
  MODEL_FILE_PATTERN,
  Model,
  ModelRanges,
} from './types';
import { MapEntry, MapNode, Node } from './nodes';
import { readGrid } from './grid';
import { Report } from './report';
import { SchemaCheck, checkSchema } from './schemaCheck';
import { readDense } from './dense';
import { readConv2d } from './conv2d';
import { readPool2d } from './pool2d';
import { readFlatten } from './flatten';
import { LayerDraft, resolveShapes } from './shapes';
import { readExpectations } from './expectBlocks';
import { readArithmetic } from './expectArithmetic';
import { networkSpec } from './spec';
import { sup } from './wording';

export interface BuildOptions {
  readonly limits: Limits;
  readonly fileName?: string;
}

export function buildModel(given: Node | undefined, report: Report, options: BuildOptions): Model | undefined {
  if (!given || (given.kind === 'scalar' && given.value === null)) {
    report.error(
      { start: 0, end: 0 },
      'empty',
      'The model file is empty: it needs at least input, target, layers, loss and optimizer',
    );
    return undefined;
  }
  // Arithmetic in expect blocks ("(2/3)*38") becomes numbers first: the schema and every check see numbers.
  const arithmetic = readArithmetic(given, report);
  const root = arithmetic.root;
  const check = checkSchema(root, report);
  if (root.kind !== 'map') return undefined;
  const { limits } = options;
  const top = new Map(root.entries.map((e) => [e.key, e]));
  const num = (path: readonly (string | number)[]): number | undefined => {
    const v = check.get(path);
    return typeof v === 'number' ? v : undefined;
  };

  const nameV = check.get(['name']);
  const name =
    top.has('name') && (typeof nameV === 'string' || typeof nameV === 'number')
      ? String(nameV)
      : fileStem(options.fileName);
  const convention = check.get(['convention']) as Convention | undefined;
  const batchLayout = check.get(['batch_layout']) as BatchLayout | undefined;
  const stepsE = top.get('steps');
  let steps = num(['steps']);
  if (stepsE && steps !== undefined && steps > limits.maxSteps) {
    report.error(stepsE.keySpan, 'limit', `steps is ${steps}, above the limit of ${limits.maxSteps} (limits.maxSteps)`);
    steps = undefined;
  }
  const seedE = top.get('seed');
  const seed = seedE ? num(['seed']) : undefined;
  const lossE = top.get('loss');
  const { loss, margin } = readLoss(lossE, check, report);
  const optE = top.get('optimizer');
  const optimizer = optE?.value.kind === 'map' ? readOptimizer(optE.value, check, report) : undefined;
  const l2 = num(['regularization', 'l2']);
  const gradcheckEpsilon = num(['gradcheck', 'epsilon']);

  // Layers, each read by its kind.
  const layersE = top.get('layers');
  const items = layersE?.value.kind === 'seq' ? layersE.value.items : [];
  const layers: LayerDraft[] = [];
  if (layersE && items.length > limits.maxLayers)
    report.error(
      layersE.keySpan,
      'limit',
      `The model has ${items.length} layers, above the limit of ${limits.maxLayers} (limits.maxLayers)`,
    );
  else
    items.forEach((it, i) => {
      if (it.kind !== 'map') return;
      const type = check.get(['layers', i, 'type']);
      if (type === 'dense') layers.push(readDense(it, i + 1, check, report, limits));
      else if (type === 'conv2d') layers.push(readConv2d(it, i + 1, check, report, limits));
      else if (type === 'maxpool2d' || type === 'avgpool2d') layers.push(readPool2d(it, i + 1, type, check));
      else if (type === 'flatten') layers.push(readFlatten(it, i + 1));
    });
  // Shapes follow the layers in order: past a layer that could not be read, they would only guess.
  const readInOrder = layers.filter((d, i) => d.index === i + 1);
  const allLayersRead = items.length > 0 && readInOrder.length === items.length;

  // Input and target, read as written; their shapes are settled with the layers.
  const inputE = top.get('input');
  const targetE = top.get('target');
  const grid = (e: MapEntry | undefined, what: string) => {
    const g = e && check.ok([what]) ? readGrid(e.value, report, { what, key: e.keySpan }) : undefined;
    return g && e ? { grid: g, entry: e } : undefined;
  };
  const input = grid(inputE, 'input');
  const target = grid(targetE, 'target');
  const shapes =
    convention && batchLayout
      ? resolveShapes({
          report,
          check,
          limits,
          convention,
          layout: batchLayout,
          layers: readInOrder,
          allLayersRead,
          ...(loss ? { loss } : {}),
          ...(lossE ? { lossAt: lossE } : {}),
          ...(top.has('batch_layout') ? { layoutAt: top.get('batch_layout') } : {}),
          ...(input ? { input } : {}),
          ...(target ? { target } : {}),
        })
      : undefined;

  // Losses that do not suit the last layer or the targets.
  const last = layers[layers.length - 1];
  if (loss && lossE && last && 'activation' in last && last.activation) {
    const act = last.activation;
    const L = last.index;
    if (loss === 'cross_entropy' && act !== 'softmax')
      report.warn(
        lossE.value,
        'loss-activation',
        act === 'sigmoid'
          ? `cross_entropy expects a softmax last layer; layer ${L} is sigmoid (did you mean binary_cross_entropy?)`
          : `cross_entropy expects a softmax last layer; layer ${L} is ${act}, so a${sup(L)} may leave (0, 1) and log a${sup(L)} be undefined`,
      );
    if (loss === 'binary_cross_entropy' && act !== 'sigmoid' && act !== 'softmax')
      report.warn(
        lossE.value,
        'loss-activation',
        `binary_cross_entropy expects a sigmoid (or softmax) last layer; layer ${L} is ${act}, so a${sup(L)} may leave (0, 1) and the loss be undefined`,
      );
  }
  if (
    target &&
    (loss === 'cross_entropy' || loss === 'binary_cross_entropy') &&
    Array.from(target.grid.data).some((t) => t < 0 || t > 1)
  )
    report.warn(target.entry.value, 'target-range', `${loss} expects targets between 0 and 1`);

  const expectations: Expectation[] = [];
  const expE = top.get('expect');
  if (expE) readExpectations(expE, ['expect'], 0, check, report, limits, expectations, arithmetic.written);
  for (const d of layers) {
    const e = d.entries.get('expect');
    if (e) readExpectations(e, [...d.path, 'expect'], d.index, check, report, limits, expectations, arithmetic.written);
  }

  const range = (e: MapEntry | undefined) => (e ? report.range(e.value) : undefined);
  const ranges: ModelRanges = {
    ...defined({
      name: range(top.get('name')),
      input: input?.grid.ranges,
      target: target?.grid.ranges,
      loss: range(lossE),
      lossKey: lossE ? report.range(lossE.keySpan) : undefined,
      optimizer: range(optE),
      layersKey: layersE ? report.range(layersE.keySpan) : undefined,
      expect: range(expE),
      steps: range(stepsE),
      seed: range(seedE),
      convention: range(top.get('convention')),
      batchLayout: range(top.get('batch_layout')),
      gradcheckEpsilon: gradcheckEpsilonRange(top.get('gradcheck'), report),
    }),
    layers: layers.map((d) => layerRanges(d, report)),
  };

  if (
    report.errors > 0 ||
    !shapes ||
    !allLayersRead ||
    layers.some(unbuilt) ||
    !convention ||
    !batchLayout ||
    !loss ||
    !optimizer ||
    steps === undefined ||
    l2 === undefined ||
    gradcheckEpsilon === undefined
  )
    return undefined;
  const usesInit = layers.some((d) => (d.kind === 'dense' || d.kind === 'conv2d') && !d.W);
  const effectiveSeed = seed ?? 0;
  return {
    name,
    format: report.format,
    convention,
    batchLayout,
    spec: networkSpec({
      layers,
      shapes,
      convention,
      seed: effectiveSeed,
      loss,
      ...(margin !== undefined ? { margin } : {}),
      optimizer,
      l2,
      steps,
    }),
    ...(seed !== undefined || usesInit ? { seed: effectiveSeed } : {}),
    gradcheckEpsilon,
    expectations,
    ranges,
    initializers: layers.map((d) => ((d.kind !== 'dense' && d.kind !== 'conv2d') || d.W ? null : (d.init ?? null))),
  };
}

/** The optimizer as the engine takes it (defaults filled in by the schema), and a word on keys its type ignores. */
function readOptimizer(m: MapNode, check: SchemaCheck, report: Report): OptimizerSpec | undefined {
  const get = (key: string): unknown => check.get(['optimizer', key]);
  const type = get('type');
  if (type !== 'sgd' && type !== 'momentum' && type !== 'adam') return undefined;
  const applies: Record<typeof type, readonly string[]> = {
    sgd: [],
    momentum: ['momentum'],
    adam: ['beta1', 'beta2', 'eps'],
  };
  for (const e of m.entries)
    if (['momentum', 'beta1', 'beta2', 'eps'].includes(e.key) && !applies[type].includes(e.key))
      report.warn(e.keySpan, 'ignored', `${e.key} does not apply to ${type}; it is ignored`);
  const lr = get('lr');
  if (typeof lr !== 'number') return undefined;
  if (type === 'sgd') return { type, lr };
  if (type === 'momentum') {
    const momentum = get('momentum');
    return typeof momentum === 'number' ? { type, lr, momentum } : undefined;
  }
  const [beta1, beta2, eps] = [get('beta1'), get('beta2'), get('eps')];
  return typeof beta1 === 'number' && typeof beta2 === 'number' && typeof eps === 'number'
    ? { type, lr, beta1, beta2, eps }
    : undefined;
}

/** A layer that cannot be built: neither its parameters nor how to draw them were read. */
function unbuilt(d: LayerDraft): boolean {
  switch (d.kind) {
    case 'dense':
      return !d.W && !d.init;
    case 'conv2d':
      return !d.W && (!d.init || d.filters === undefined || !d.kernel);
    case 'maxpool2d':
    case 'avgpool2d':
      return !d.kernel || !d.stride;
    case 'flatten':
      return false;
  }
}

/** The loss by name, and the margin of a margin loss (a word when a margin is given to a loss without one). */
function readLoss(e: MapEntry | undefined, check: SchemaCheck, report: Report): { loss?: LossName; margin?: number } {
  const v = check.get(['loss']);
  if (typeof v === 'string') return { loss: v as LossName };
  if (typeof v !== 'object' || v === null) return {};
  const { type, margin } = v as { type?: unknown; margin?: unknown };
  if (typeof type !== 'string') return {};
  const written = e?.value.kind === 'map' ? e.value.entries.find((x) => x.key === 'margin') : undefined;
  if (written && type !== 'hinge' && type !== 'max_margin')
    report.warn(written.keySpan, 'ignored', `margin applies to hinge and max_margin; ${type} ignores it`);
  return { loss: type as LossName, ...(typeof margin === 'number' ? { margin } : {}) };
}

function layerRanges(d: LayerDraft, report: Report): LayerRanges {
  const e = d.entries;
  const act = e.get('activation');
  const params = d.kind === 'dense' || d.kind === 'conv2d' ? d : undefined;
  return {
    layer: report.range(d.node),
    head: report.range(report.head(d.node)),
    ...defined({
      W: params?.W?.ranges,
      b: params?.b?.ranges,
      activation: act ? report.range(act.value) : undefined,
      activationKey: act ? report.range(act.keySpan) : undefined,
      expect: e.has('expect') ? report.range((e.get('expect') as MapEntry).value) : undefined,
      units: e.has('units') ? report.range((e.get('units') as MapEntry).value) : undefined,
      init: e.has('init') ? report.range((e.get('init') as MapEntry).value) : undefined,
    }),
  };
}

/** Where the file writes gradcheck.epsilon (a refused ε is reported there). */
function gradcheckEpsilonRange(e: MapEntry | undefined, report: Report) {
  const eps = e?.value.kind === 'map' ? e.value.entries.find((x) => x.key === 'epsilon') : undefined;
  return eps ? report.range(eps.value) : undefined;
}

/** The object without its undefined members (the types are exactOptional). */
function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function fileStem(fileName: string | undefined): string {
  if (!fileName) return 'model';
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(MODEL_FILE_PATTERN, '').replace(/\.(ya?ml|json)$/i, '') || 'model';
}
