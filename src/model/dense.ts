/**
 * The dense layer kind (`type: dense`, the default), beyond what the schema says of its keys:
 * reading it into a draft, and its part of shape inference — its width n_l, and whether W and b
 * fit it and the layer before. A new layer kind brings its own schema entry and a file like this.
 */
import { ActivationName } from '../engine/network';
import { InitName } from '../engine/init';
import { Convention, Limits } from './types';
import { MapEntry, MapNode } from './nodes';
import { Grid, readGrid, transposedText } from './grid';
import { Report } from './report';
import { SchemaCheck } from './schemaCheck';
import { Path } from './valueNames';
import { plural, sup } from './wording';
import { addBiasFix } from './biasFix';

export interface DenseDraft {
  readonly kind: 'dense';
  /** 1-based. */
  readonly index: number;
  readonly path: Path;
  readonly node: MapNode;
  readonly entries: ReadonlyMap<string, MapEntry>;
  readonly W?: Grid;
  readonly b?: Grid;
  readonly units?: number;
  /** How W is drawn when only units are given (the schema's default when not written). */
  readonly init?: InitName;
  readonly activation?: ActivationName;
  /** Width n_l, once shapes are resolved. */
  n?: number;
  /** Whether everything it was written with was read. */
  ok: boolean;
}

export function readDense(m: MapNode, index: number, check: SchemaCheck, report: Report, limits: Limits): DenseDraft {
  const path: Path = ['layers', index - 1];
  const entries = new Map(m.entries.map((e) => [e.key, e]));
  const WE = entries.get('W');
  const bE = entries.get('b');
  const unitsE = entries.get('units');
  const initE = entries.get('init');
  let ok = true;
  const grid = (e: MapEntry | undefined, key: 'W' | 'b'): Grid | undefined => {
    if (!e) return undefined;
    const g = check.ok([...path, key])
      ? readGrid(e.value, report, { what: `${key}${sup(index)}`, key: e.keySpan })
      : undefined;
    if (!g) ok = false;
    return g;
  };
  const W = grid(WE, 'W');
  const b = grid(bE, 'b');
  let units = unitsE ? check.get([...path, 'units']) : undefined;
  if (unitsE && typeof units !== 'number') ok = false;
  else if (unitsE && typeof units === 'number' && units > limits.maxUnits) {
    report.error(
      unitsE.keySpan,
      'limit',
      `units of layer ${index} is ${units}, above the limit of ${limits.maxUnits} (limits.maxUnits)`,
    );
    units = undefined;
    ok = false;
  }
  if (initE && WE) report.warn(initE.keySpan, 'ignored', `init is ignored: layer ${index} gives W`);
  // Neither W nor units: the schema has said so.
  if (!WE && !unitsE) ok = false;
  const activation = check.get([...path, 'activation']) as ActivationName | undefined;
  const init = check.get([...path, 'init']) as InitName | undefined;
  return {
    kind: 'dense',
    index,
    path,
    node: m,
    entries,
    ok,
    ...(init ? { init } : {}),
    ...(W ? { W } : {}),
    ...(b ? { b } : {}),
    ...(typeof units === 'number' ? { units } : {}),
    ...(activation ? { activation } : {}),
  };
}

/** (rows, cols) of W as the engine needs it: n_out × n_in. */
export function canonicalDims(W: Grid, convention: Convention): [number, number] {
  return convention === 'out_in' ? [W.rows, W.cols] : [W.cols, W.rows];
}

/** What the layers before tell a dense layer. */
export interface ShapeContext {
  readonly report: Report;
  readonly check: SchemaCheck;
  readonly convention: Convention;
  readonly limits: Limits;
  /** n_(l-1), when known; for layer 1, what the input says (a guess: a vector may be a batch). */
  readonly before: number | undefined;
  /** Appended to W shape errors when every W fits the other convention. */
  readonly conventionHint: string;
}

/**
 * Settles n_l and checks W and b against it and the layer before. Returns n_l and the width W
 * takes (for layer 1 that is n_0, which W¹ may say better than a vector input can).
 */
export function denseShape(d: DenseDraft, ctx: ShapeContext): { n?: number; nIn?: number; ok: boolean } {
  const { report, convention, limits } = ctx;
  const l = d.index;
  const W = d.W;
  const [r, c] = W ? canonicalDims(W, convention) : [undefined, undefined];
  let ok = true;
  let bReported = false;
  // n_l: units, else b's length, else W's output side — unless W and b disagree in a way that
  // shows b is the odd one out.
  let n: number | undefined;
  if (d.units !== undefined) n = d.units;
  else if (
    d.b &&
    r !== undefined &&
    c !== undefined &&
    r !== d.b.cols &&
    (ctx.before === undefined || c === ctx.before)
  ) {
    n = r;
    report.error(
      d.b.node,
      'shape',
      `b${sup(l)} has ${plural(d.b.cols, 'entry', 'entries')} but layer ${l} has ${plural(r, 'unit')} (W${sup(l)} has ${r} ${convention === 'out_in' ? 'rows' : 'columns'})`,
    );
    bReported = true;
    ok = false;
  } else if (d.b) n = d.b.cols;
  else if (r !== undefined) n = r;
  d.n = n;
  if (n === undefined) return { ok: false };
  if (n > limits.maxUnits) {
    const at =
      d.entries.get('units')?.keySpan ??
      (d.b ? d.entries.get('b')?.keySpan : d.entries.get('W')?.keySpan) ??
      report.head(d.node);
    report.error(at, 'limit', `Layer ${l} has ${n} units, above the limit of ${limits.maxUnits} (limits.maxUnits)`);
    ok = false;
  }
  // The width W must take: the layer before's units; for layer 1, W¹'s own input side when its
  // output side is right, else what the input says.
  const needIn = l === 1 && W && r === n ? c : ctx.before;
  if (W && r !== undefined && c !== undefined && (r !== n || (needIn !== undefined && c !== needIn))) {
    ok = false;
    d.ok = false;
    const transposeFits = needIn !== undefined && c === n && r === needIn;
    report.error(
      W.node,
      'shape',
      shapeMessage(l, W, n, needIn, convention) + ctx.conventionHint,
      transposeFits ? { kind: 'transpose_matrix', text: transposedText(W) } : undefined,
    );
  }
  if (d.b && !bReported && d.b.cols !== n) {
    ok = false;
    report.error(
      d.b.node,
      'shape',
      `b${sup(l)} has ${plural(d.b.cols, 'entry', 'entries')} but layer ${l} has ${plural(n, 'unit')}`,
    );
  }
  // The schema reports a W without b; here is how many biases it needs, and the fix.
  const noBias = ctx.check.missing(d.path, 'b');
  const WE = d.entries.get('W');
  if (noBias && WE) {
    ok = false;
    noBias.message = `Layer ${l} has W but no b: add b with ${plural(n, 'bias', 'biases')}, e.g. b: [${new Array<string>(Math.min(n, 64)).fill('0').join(', ')}${n > 64 ? ', …' : ''}]`;
    if (n <= 4096) noBias.fix = addBiasFix(report, d.node, WE, n);
  }
  return { n, ...(needIn !== undefined ? { nIn: needIn } : {}), ok };
}

/** Whether W (as written) fits the layer if the file's convention were the other one. */
export function fitsConvention(d: DenseDraft, convention: Convention, before: number | undefined): number | undefined {
  if (!d.W) return undefined;
  const [r, c] = canonicalDims(d.W, convention);
  const n = d.units ?? d.b?.cols ?? r;
  return r === n && (before === undefined || c === before) ? n : undefined;
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
  const [R, C, dims] =
    convention === 'out_in' ? [n, needIn, `n_${l} × n_${l - 1}`] : [needIn, n, `n_${l - 1} × n_${l}`];
  const transposed = W.rows === C && W.cols === R && R !== C ? ' — it looks transposed' : '';
  return `${name} is ${shapeOf(W)} but layer ${l} needs ${R}×${C} (${dims}, convention ${convention}): ${plural(R, 'row')} of ${plural(C, 'number')}${transposed}`;
}
