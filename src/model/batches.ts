/** Input and target as batches: the written grid turned into N × n (examples as rows), and what to say when it does not fit. */
import { Matrix } from '../engine/tensor';
import { BatchLayout } from './types';
import { Grid } from './grid';
import { plural } from './wording';

export type BatchResult = { m: Matrix } | { error: 'width' };

/**
 * A written batch as N × n (examples as rows). A vector is one example — or, when the width is
 * 1, one number per example; a matrix follows the batch layout.
 */
export function toBatch(g: Grid, width: number | undefined, layout: BatchLayout): BatchResult {
  // Images are always one example per outer entry (batch_layout: columns is refused for them).
  if (g.written === 'tensor')
    return width === undefined || width === g.cols
      ? { m: { rows: g.rows, cols: g.cols, data: Float64Array.from(g.data) } }
      : { error: 'width' };
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

export function batchMessage(
  what: string,
  g: Grid,
  need: number | undefined,
  because: string,
  layout: BatchLayout,
): string {
  const tail = because ? ` but ${because}` : '';
  if (g.written === 'tensor') return `${what} is ${g.dims.join('×')}, ${plural(g.cols, 'number')} per example${tail}`;
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
