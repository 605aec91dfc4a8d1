/**
 * Shape inference across the layers, which no schema can say: every width n_l settled from what
 * the file writes (W, b, units, the input), each layer checked against the one before, input and
 * target turned into batches (N × n, examples as rows), and the limits on widths, parameters and
 * batch size.
 */
import { Matrix } from '../engine/tensor';
import { BatchLayout, Convention, Limits } from './types';
import { MapEntry } from './nodes';
import { Grid } from './grid';
import { Report } from './report';
import { SchemaCheck } from './schemaCheck';
import { DenseDraft, denseShape, fitsConvention } from './dense';
import { plural, sup } from './wording';

/** A layer as read, of any kind (only dense so far). */
export type LayerDraft = DenseDraft;

export interface Shapes {
  readonly n0: number;
  readonly input: Matrix;
  readonly target: Matrix;
}

export interface ShapeInputs {
  readonly report: Report;
  readonly check: SchemaCheck;
  readonly limits: Limits;
  readonly convention: Convention;
  readonly layout: BatchLayout;
  readonly layers: readonly LayerDraft[];
  readonly input?: { readonly grid: Grid; readonly entry: MapEntry };
  readonly target?: { readonly grid: Grid; readonly entry: MapEntry };
}

/** Settles every width, checks the layers against each other and the data, builds the batches. */
export function resolveShapes(s: ShapeInputs): Shapes | undefined {
  const { report, limits, convention, layout, layers } = s;
  const input = s.input?.grid;
  const target = s.target?.grid;
  // What the input alone says about n_0 (a vector is one example unless n_0 turns out to be 1).
  const inputWidthGuess = input
    ? input.written === 'matrix'
      ? layout === 'rows'
        ? input.cols
        : input.rows
      : input.cols
    : undefined;
  // When every W fits the other convention, the file most likely names the wrong one.
  const other: Convention = convention === 'out_in' ? 'in_out' : 'out_in';
  let fitsOther = layers.length > 0;
  let before = inputWidthGuess;
  for (const d of layers) {
    const n = fitsOther ? fitsConvention(d, other, before) : undefined;
    fitsOther = n !== undefined;
    before = n;
  }
  const conventionHint = fitsOther ? ` (every W fits convention ${other}: did you mean convention: ${other}?)` : '';

  let n0: number | undefined;
  let prev: number | undefined;
  let params = 0;
  let paramsReported = false;
  let ok = layers.length > 0;
  for (const d of layers) {
    const l = d.index;
    const shape = denseShape(d, {
      report,
      check: s.check,
      convention,
      limits,
      before: l === 1 ? inputWidthGuess : prev,
      conventionHint,
    });
    if (!shape.ok) ok = false;
    if (shape.n === undefined) {
      prev = undefined;
      continue;
    }
    if (l === 1) n0 = shape.nIn;
    if (shape.nIn !== undefined) {
      params += (shape.nIn + 1) * shape.n;
      if (params > limits.maxParameters && !paramsReported) {
        paramsReported = true;
        ok = false;
        const at = d.entries.get('units')?.keySpan ?? d.entries.get('W')?.keySpan ?? report.head(d.node);
        report.error(
          at,
          'limit',
          `The network has more than ${limits.maxParameters} parameters by layer ${l} (limits.maxParameters)`,
        );
      }
    }
    prev = shape.n;
  }

  // The batch.
  let inputM: Matrix | undefined;
  let N: number | undefined;
  if (input && s.input) {
    const res = toBatch(input, n0, layout);
    if ('error' in res) {
      ok = false;
      report.error(
        input.node,
        'shape',
        batchMessage('input', input, n0, n0 !== undefined ? `W${sup(1)} takes ${plural(n0, 'input')}` : '', layout),
      );
    } else {
      inputM = res.m;
      N = res.m.rows;
      n0 ??= res.m.cols;
      if (N > limits.maxBatch) {
        ok = false;
        report.error(
          s.input.entry.keySpan,
          'limit',
          `The batch has ${N} examples, above the limit of ${limits.maxBatch} (limits.maxBatch)`,
        );
      }
      if (n0 > limits.maxUnits) {
        ok = false;
        report.error(
          s.input.entry.keySpan,
          'limit',
          `The input has ${n0} units, above the limit of ${limits.maxUnits} (limits.maxUnits)`,
        );
      }
    }
  } else ok = false;
  let targetM: Matrix | undefined;
  const last = layers[layers.length - 1];
  if (target && last?.n !== undefined) {
    const nL = last.n;
    const res = toBatch(target, nL, layout);
    if ('error' in res) {
      ok = false;
      report.error(
        target.node,
        'shape',
        batchMessage('target', target, nL, `the last layer (layer ${last.index}) has ${plural(nL, 'unit')}`, layout),
      );
    } else if (N !== undefined && res.m.rows !== N) {
      ok = false;
      report.error(target.node, 'shape', `target has ${plural(res.m.rows, 'example')} but input has ${N}`);
    } else targetM = res.m;
  } else ok = false;
  if (!ok || !inputM || !targetM || n0 === undefined) return undefined;
  return { n0, input: inputM, target: targetM };
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
  const hint =
    need !== undefined && other === need
      ? ` — did you mean batch_layout: ${layout === 'rows' ? 'columns' : 'rows'}?`
      : '';
  return `${per}${tail}${hint}`;
}
