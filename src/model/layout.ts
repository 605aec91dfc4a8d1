/**
 * How a model file orients its matrices against the engine's canonical layout (W out × in,
 * batches one row per example): `convention: in_out` writes W transposed, `batch_layout:
 * columns` writes batches transposed. Every view that maps between the two asks here.
 */
import { fromRows, Matrix, shapeOf, toRows, transpose } from '../engine/tensor';
import { layerType, NetworkSpec } from '../engine/network';
import { indexText } from './grid';
import { BatchLayout, Convention } from './types';

/**
 * How layer l's W is written: the file's convention for a dense layer; a conv2d's kernels are
 * out×in×kh×kw whatever it says, their rows (as places.ts and the views count them) the output
 * channels — which reads as out_in.
 */
export function layerConvention(
  model: { readonly convention: Convention; readonly spec: Pick<NetworkSpec, 'layers'> },
  layer: number,
): Convention {
  const l = model.spec.layers[layer - 1];
  return !l || layerType(l) === 'dense' ? model.convention : 'out_in';
}

/**
 * A weight's index as the file writes it, 1-based, from the engine's (i, j): [r][c] in the file's
 * convention for a dense W, [out][in][row][col] for a conv2d's kernels.
 */
export function weightIndex(
  model: { readonly convention: Convention; readonly spec: Pick<NetworkSpec, 'layers'> },
  layer: number,
  i: number,
  j: number,
): string {
  const W = model.spec.layers[layer - 1]?.W;
  if (W && W.shape && W.shape.length === 4) return indexText(shapeOf(W), i * W.cols + j);
  const [r, c] = weightCell(layerConvention(model, layer), i, j);
  return `[${r + 1}][${c + 1}]`;
}

/**
 * The file's (row, column) of the engine's W[i][j] (i = unit of layer l, j = unit of layer l − 1),
 * and, the swap being its own inverse, the engine's (i, j) of the file's W[row][column].
 */
export function weightCell(convention: Convention, a: number, b: number): [number, number] {
  return convention === 'out_in' ? [a, b] : [b, a];
}

/** The file's (row, column) of the engine's (example, unit), and the other way round. */
export function batchCell(batchLayout: BatchLayout, a: number, b: number): [number, number] {
  return batchLayout === 'rows' ? [a, b] : [b, a];
}

/** W (n_out × n_in) as the file writes it, as a matrix whose rows are the written rows. */
export function fileW(model: { readonly convention: Convention }, W: Matrix): Matrix {
  return model.convention === 'out_in' ? W : transpose(W);
}

/** A batch (N × n) as the file writes it: rows → N × n; columns → n × N. */
export function fileBatch(model: { readonly batchLayout: BatchLayout }, m: Matrix): Matrix {
  return model.batchLayout === 'rows' ? m : transpose(m);
}

/** W (n_out × n_in) as the file writes it: out_in → n_out rows; in_out → n_in rows. */
export function toFileLayoutW(model: { readonly convention: Convention }, W: Matrix): number[][] {
  return toRows(fileW(model, W));
}

/** Rows written in the file's convention → W (n_out × n_in). */
export function fromFileLayoutW(
  model: { readonly convention: Convention },
  rows: readonly (readonly number[])[],
): Matrix {
  return fileW(model, fromRows(rows));
}

/** A batch (N × n, examples as rows) as the file writes it. */
export function toFileLayoutBatch(model: { readonly batchLayout: BatchLayout }, m: Matrix): number[][] {
  return toRows(fileBatch(model, m));
}

/** Rows written in the file's batch layout → N × n. */
export function fromFileLayoutBatch(
  model: { readonly batchLayout: BatchLayout },
  rows: readonly (readonly number[])[],
): Matrix {
  return fileBatch(model, fromRows(rows));
}
