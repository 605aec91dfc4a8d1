/**
 * Shape inference across the layers, which no schema can say: one example's shape settled layer
 * by layer from what the file writes (W, b, units, filters, kernels, the input), each layer
 * checked against the shape that arrives from the one before, input and target turned into
 * batches (N × n, examples as rows; N×C×H×W for images), and the limits on widths, parameters and
 * batch size.
 */
import { LossName } from '../engine/network';
import { Matrix, product, shaped } from '../engine/tensor';
import { BatchLayout, Convention, Limits } from './types';
import { MapEntry } from './nodes';
import { Grid } from './grid';
import { Report } from './report';
import { SchemaCheck } from './schemaCheck';
import { DenseDraft, denseShape, fitsConvention } from './dense';
import { Conv2dDraft, conv2dShape } from './conv2d';
import { Pool2dDraft, pool2dShape } from './pool2d';
import { FlattenDraft, flattenShape } from './flatten';
import { KindShape, layerSpan, shapeWords } from './layerDraft';
import { resolveTarget } from './targets';
import { BatchResult, batchMessage, toBatch } from './batches';
import { plural, sup } from './wording';

/** A layer as read, of any kind. */
export type LayerDraft = DenseDraft | Conv2dDraft | Pool2dDraft | FlattenDraft;

export interface Shapes {
  /** Units of one input example (C·H·W for an image). */
  readonly n0: number;
  readonly input: Matrix;
  readonly target: Matrix;
  /** Per layer, one example's shape arriving at it ([n] or [C, H, W]). */
  readonly inShapes: readonly (readonly number[])[];
}

export interface ShapeInputs {
  readonly report: Report;
  readonly check: SchemaCheck;
  readonly limits: Limits;
  readonly convention: Convention;
  readonly layout: BatchLayout;
  readonly layers: readonly LayerDraft[];
  readonly loss?: LossName;
  /** Where the loss is written, for findings about the loss and the last layer. */
  readonly lossAt?: MapEntry;
  readonly layoutAt?: MapEntry;
  readonly input?: { readonly grid: Grid; readonly entry: MapEntry };
  readonly target?: { readonly grid: Grid; readonly entry: MapEntry };
  /** False while a layer could not be read: then the target is not judged against a guess. */
  readonly allLayersRead: boolean;
}

/** One example's shape in an image batch written N×C×H×W or C×H×W; undefined for vectors and matrices. */
function imageShape(g: Grid | undefined): readonly number[] | undefined {
  if (!g || g.written !== 'tensor') return undefined;
  return g.dims.length === 4 ? g.dims.slice(1) : g.dims;
}

/** Settles every shape, checks the layers against each other and the data, builds the batches. */
export function resolveShapes(s: ShapeInputs): Shapes | undefined {
  const { report, limits, convention, layout, layers } = s;
  const input = s.input?.grid;
  const image = imageShape(input);
  let ok = layers.length > 0;
  if (image && layout === 'columns') {
    ok = false;
    report.error(
      s.layoutAt?.keySpan ?? input!.node,
      'shape',
      `batch_layout: columns does not apply to images: an image input is C×H×W, or N×C×H×W with one example per outer entry; leave batch_layout out (rows)`,
    );
  }
  // What the input alone says about n_0 (a vector is one example unless n_0 turns out to be 1).
  const inputWidthGuess =
    input && !image
      ? input.written === 'matrix'
        ? layout === 'rows'
          ? input.cols
          : input.rows
        : input.cols
      : undefined;
  // When every W fits the other convention, the file most likely names the wrong one.
  const other: Convention = convention === 'out_in' ? 'in_out' : 'out_in';
  let fitsOther = layers.length > 0 && layers.every((d) => d.kind === 'dense');
  let guess = inputWidthGuess;
  for (const d of layers) {
    if (d.kind !== 'dense') break;
    const n = fitsOther ? fitsConvention(d, other, guess) : undefined;
    fitsOther = n !== undefined;
    guess = n;
  }
  const conventionHint = fitsOther ? ` (every W fits convention ${other}: did you mean convention: ${other}?)` : '';

  let n0: number | undefined = image ? product(image) : undefined;
  let before: readonly number[] | undefined = image ?? (inputWidthGuess !== undefined ? [inputWidthGuess] : undefined);
  let from = 'the input';
  let params = 0;
  let paramsReported = false;
  const inShapes: (readonly number[])[] = [];
  for (const d of layers) {
    const l = d.index;
    let r: KindShape;
    if (d.kind === 'dense') {
      if (before && before.length !== 1) {
        report.error(
          layerSpan(d, report),
          'shape',
          `Layer ${l} (dense) takes a vector of units, but ${shapeWords(before)} arrive from ${from}: put a flatten layer before it (- type: flatten)`,
        );
        before = undefined;
      }
      const shape = denseShape(d, {
        report,
        check: s.check,
        convention,
        limits,
        before: before?.[0],
        conventionHint,
      });
      if (l === 1 && !image && shape.nIn !== undefined) n0 = shape.nIn;
      inShapes.push(shape.nIn !== undefined ? [shape.nIn] : []);
      r = {
        ...(shape.n !== undefined ? { out: [shape.n] } : {}),
        parameters: shape.n !== undefined && shape.nIn !== undefined ? (shape.nIn + 1) * shape.n : 0,
        ok: shape.ok,
      };
    } else {
      inShapes.push(before ?? []);
      const ctx = { report, check: s.check, limits, before, from };
      r =
        d.kind === 'conv2d'
          ? conv2dShape(d, ctx)
          : d.kind === 'flatten'
            ? flattenShape(d, ctx)
            : pool2dShape(d, ctx, report);
      if (r.out && r.out.length === 3 && product(r.out) > limits.maxUnits) {
        report.error(
          layerSpan(d, report),
          'limit',
          `Layer ${l} makes ${r.out.join('×')} = ${product(r.out)} units per example, above the limit of ${limits.maxUnits} (limits.maxUnits)`,
        );
        r = { ...r, ok: false };
      }
    }
    if (!r.ok) ok = false;
    params += r.parameters;
    if (params > limits.maxParameters && !paramsReported) {
      paramsReported = true;
      ok = false;
      const at =
        d.entries.get('units')?.keySpan ??
        d.entries.get('filters')?.keySpan ??
        d.entries.get('W')?.keySpan ??
        report.head(d.node);
      report.error(
        at,
        'limit',
        `The network has more than ${limits.maxParameters} parameters by layer ${l} (limits.maxParameters)`,
      );
    }
    before = r.out;
    from = `layer ${l}`;
  }

  // The batch.
  let inputM: Matrix | undefined;
  let N: number | undefined;
  if (input && s.input) {
    const res: BatchResult = image ? { m: shaped([input.rows, ...image], input.data) } : toBatch(input, n0, layout);
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
          `The input has ${n0} units${image ? ` (${image.join('×')})` : ''}, above the limit of ${limits.maxUnits} (limits.maxUnits)`,
        );
      }
    }
  } else ok = false;
  const last = layers[layers.length - 1];
  const targetM =
    last && before && s.allLayersRead && N !== undefined
      ? resolveTarget({
          report,
          layout,
          loss: s.loss,
          lossAt: s.lossAt,
          target: s.target,
          inputAt: s.input?.entry,
          K: product(before),
          N,
          lastLayer: last.index,
        })
      : undefined;
  if (!ok || !inputM || !targetM || n0 === undefined) return undefined;
  return { n0, input: inputM, target: targetM, inShapes };
}
