/**
 * The conv2d layer kind (`type: conv2d`) beyond what the schema says of its keys: reading it,
 * and its part of shape inference — the channels W takes against the image that arrives, b
 * against the output channels, the kernel against the padded input, the output C×H×W.
 */
import { ActivationName, Pair } from '../engine/network';
import { InitName } from '../engine/init';
import { outputSize } from '../engine/layers/conv2d';
import { MapEntry, MapNode } from './nodes';
import { Grid, readGrid } from './grid';
import { Report } from './report';
import { SchemaCheck } from './schemaCheck';
import { Limits } from './types';
import { plural } from './wording';
import { addBiasFix } from './biasFix';
import {
  DraftBase,
  KindContext,
  KindShape,
  layerEntries,
  layerSpan,
  paramName,
  readPair,
  shapeWords,
} from './layerDraft';

export interface Conv2dDraft extends DraftBase {
  readonly kind: 'conv2d';
  /** out × in × kh × kw, as written (rows are the output channels). */
  readonly W?: Grid;
  readonly b?: Grid;
  readonly filters?: number;
  readonly kernel?: Pair;
  readonly init?: InitName;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly activation?: ActivationName;
  /** [out, in, kh, kw], once shapes are resolved. */
  kernels?: readonly [number, number, number, number];
}

export function readConv2d(m: MapNode, index: number, check: SchemaCheck, report: Report, limits: Limits): Conv2dDraft {
  const { path, entries } = layerEntries(m, index);
  let ok = true;
  const grid = (key: 'W' | 'b'): Grid | undefined => {
    const e = entries.get(key);
    if (!e) return undefined;
    const g = check.ok([...path, key])
      ? readGrid(e.value, report, { what: paramName(key, index), key: e.keySpan })
      : undefined;
    if (!g) ok = false;
    return g;
  };
  let W = grid('W');
  const b = grid('b');
  if (W && (W.written !== 'tensor' || W.dims.length !== 4)) {
    report.error(
      W.node,
      'shape',
      `${paramName('W', index)} of a conv2d layer is out_channels × in_channels × kh × kw (four nested lists, e.g. [[[[1, 0], [0, -1]]]] for one 2×2 filter on one channel); you wrote ${W.written === 'scalar' ? 'a single number' : W.dims.join('×')}`,
    );
    W = undefined;
    ok = false;
  }
  const WE = entries.get('W');
  for (const key of ['filters', 'kernel', 'init'])
    if (WE && entries.has(key))
      report.warn((entries.get(key) as MapEntry).keySpan, 'ignored', `${key} is ignored: layer ${index} gives W`);
  let filters = entries.has('filters') ? check.get([...path, 'filters']) : undefined;
  if (typeof filters === 'number' && filters > limits.maxUnits) {
    report.error(
      (entries.get('filters') as MapEntry).keySpan,
      'limit',
      `filters of layer ${index} is ${filters}, above the limit of ${limits.maxUnits} (limits.maxUnits)`,
    );
    filters = undefined;
    ok = false;
  }
  const kernel = readPair(check, path, 'kernel');
  const stride = readPair(check, path, 'stride') ?? [1, 1];
  const padding = readPair(check, path, 'padding') ?? [0, 0];
  if (!check.ok([...path, 'stride']) || !check.ok([...path, 'padding'])) ok = false;
  if (!WE && (typeof filters !== 'number' || !kernel)) ok = false;
  const activation = check.get([...path, 'activation']) as ActivationName | undefined;
  const actE = entries.get('activation');
  if (activation === 'softmax' && actE) {
    report.error(
      actE.value,
      'activation',
      `softmax applies to dense layers (over a layer's units); a conv2d layer takes an element-wise activation such as relu`,
    );
    ok = false;
  }
  const init = check.get([...path, 'init']) as InitName | undefined;
  return {
    kind: 'conv2d',
    index,
    path,
    node: m,
    entries,
    ok,
    stride,
    padding,
    ...(W ? { W } : {}),
    ...(b ? { b } : {}),
    ...(typeof filters === 'number' ? { filters } : {}),
    ...(kernel ? { kernel } : {}),
    ...(init ? { init } : {}),
    ...(activation ? { activation } : {}),
  };
}

/** "1" or "[1, 2]". */
function pairText(p: Pair): string {
  return p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`;
}

/** Settles the output channels and image size, and checks W and b against the image that arrives. */
export function conv2dShape(d: Conv2dDraft, ctx: KindContext): KindShape {
  const { report, before } = ctx;
  const l = d.index;
  const Wn = paramName('W', l),
    bn = paramName('b', l);
  const O = d.W ? d.W.dims[0] : d.filters;
  const [kh, kw] = d.W ? [d.W.dims[2], d.W.dims[3]] : (d.kernel ?? [undefined, undefined]);
  let ok = d.ok;
  if (O === undefined || kh === undefined || kw === undefined) return { parameters: 0, ok: false };
  if (d.b && d.b.cols * d.b.rows !== O) {
    report.error(
      d.b.node,
      'shape',
      `${bn} has ${plural(d.b.cols * d.b.rows, 'entry', 'entries')} but layer ${l} has ${plural(O, 'output channel')}${d.W ? ` (${Wn} is ${d.W.dims.join('×')}, out×in×kh×kw)` : ''}: one bias per output channel`,
    );
    ok = false;
  }
  const noBias = ctx.check.missing(d.path, 'b');
  const WE = d.entries.get('W');
  if (noBias && WE) {
    ok = false;
    noBias.message = `Layer ${l} has W but no b: add b with ${plural(O, 'bias', 'biases')}, one per output channel, e.g. b: [${new Array<string>(Math.min(O, 64)).fill('0').join(', ')}]`;
    if (O <= 4096) noBias.fix = addBiasFix(report, d.node, WE, O);
  }
  if (!before) return { parameters: 0, ok: false };
  if (before.length !== 3) {
    report.error(
      layerSpan(d, report),
      'shape',
      `Layer ${l} (conv2d) takes images C×H×W, but ${shapeWords(before)} ${before.length === 1 ? 'arrives' : 'arrive'} from ${ctx.from}${ctx.from === 'the input' ? ': write each example as channels of rows, e.g. [[[0.1, 0.2], [0.3, 0.4]]] for one 1×2×2 image' : ''}`,
    );
    return { parameters: 0, ok: false };
  }
  const [C, H, Wd] = before;
  if (d.W && d.W.dims[1] !== C) {
    report.error(
      d.W.node,
      'shape',
      `${Wn} is ${d.W.dims.join('×')} (out×in×kh×kw) but ${plural(C, 'channel')} arrive${C === 1 ? 's' : ''} from ${ctx.from} (${before.join('×')}): it needs ${[O, C, kh, kw].join('×')}`,
    );
    return { parameters: 0, ok: false };
  }
  const [ph, pw] = d.padding,
    [sh, sw] = d.stride;
  if (H + 2 * ph < kh || Wd + 2 * pw < kw) {
    const at = d.W?.node ?? d.entries.get('kernel')?.value ?? layerSpan(d, report);
    report.error(
      at,
      'shape',
      `The ${kh}×${kw} kernel of layer ${l} is larger than the ${H}×${Wd} image arriving from ${ctx.from}${ph || pw ? ` padded by ${pairText(d.padding)}` : ''}: the kernel may be at most ${H + 2 * ph}×${Wd + 2 * pw}`,
    );
    return { parameters: 0, ok: false };
  }
  d.kernels = [O, C, kh, kw];
  return {
    out: [O, outputSize(H, kh, sh, ph), outputSize(Wd, kw, sw, pw)],
    parameters: O * C * kh * kw + O,
    ok,
  };
}
