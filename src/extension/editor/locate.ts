/**
 * What is under an offset of a model file: a weight, a bias, a `W:`/`b:` key, a layer, the
 * activation, the loss or a hand-derived `expect` value. Pure (no `vscode`), so hovers, inlay
 * hints and tests share one answer.
 */
import { MatrixRanges, Model, SourceRange } from '../../model/types';

export type Target =
  /** One weight literal; i, j in the engine's layout (i = unit of layer l, j = unit of layer l − 1). */
  | { readonly kind: 'weight'; readonly layer: number; readonly i: number; readonly j: number; readonly range: SourceRange }
  | { readonly kind: 'bias'; readonly layer: number; readonly i: number; readonly range: SourceRange }
  /** The `W:` / `b:` key, or the brackets of its value between the numbers. */
  | { readonly kind: 'matrix'; readonly layer: number; readonly param: 'W' | 'b'; readonly range: SourceRange }
  | { readonly kind: 'layer'; readonly layer: number; readonly range: SourceRange }
  | { readonly kind: 'activation'; readonly layer: number; readonly range: SourceRange }
  | { readonly kind: 'loss'; readonly range: SourceRange }
  /** One number of an `expect` value: model.expectations[index], row and column as written. */
  | { readonly kind: 'expect'; readonly index: number; readonly row: number; readonly col: number; readonly range: SourceRange };

export function contains(r: SourceRange | undefined, offset: number): r is SourceRange {
  return !!r && r.start.offset <= offset && offset <= r.end.offset;
}

/**
 * The cell of a matrix literal holding `offset`, by binary search over rows (the literals are in
 * file order), so a hover over a 784×512 matrix costs a few dozen comparisons.
 */
export function findCell(m: MatrixRanges, offset: number): { row: number; col: number; range: SourceRange } | undefined {
  const rows = m.cells;
  let lo = 0, hi = rows.length - 1, row = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const first = rows[mid][0];
    if (!first || first.start.offset <= offset) { row = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (row < 0) return undefined;
  const cells = rows[row];
  lo = 0; hi = cells.length - 1;
  let col = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cells[mid].start.offset <= offset) { col = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return col >= 0 && contains(cells[col], offset) ? { row, col, range: cells[col] } : undefined;
}

/** The most specific thing at `offset`, or undefined. */
export function locate(model: Model, offset: number): Target | undefined {
  const r = model.ranges;
  for (let k = 0; k < model.expectations.length; k++) {
    const e = model.expectations[k];
    if (!contains(e.ranges.value, offset)) continue;
    const cell = findCell(e.ranges, offset);
    if (cell) return { kind: 'expect', index: k, row: cell.row, col: cell.col, range: cell.range };
  }
  for (let k = 0; k < r.layers.length; k++) {
    const lr = r.layers[k];
    if (!contains(lr.layer, offset) && !contains(lr.head, offset)) continue;
    const layer = k + 1;
    if (lr.W && contains(lr.W.value, offset)) {
      const cell = findCell(lr.W, offset);
      if (cell) {
        const [i, j] = model.convention === 'out_in' ? [cell.row, cell.col] : [cell.col, cell.row];
        return { kind: 'weight', layer, i, j, range: cell.range };
      }
      return { kind: 'matrix', layer, param: 'W', range: lr.W.value };
    }
    if (lr.b && contains(lr.b.value, offset)) {
      const cell = findCell(lr.b, offset);
      // A bias is one number per unit, however it is written ([1, 2] or [[1], [2]]).
      if (cell) return { kind: 'bias', layer, i: cell.row === 0 ? cell.col : cell.row, range: cell.range };
      return { kind: 'matrix', layer, param: 'b', range: lr.b.value };
    }
    if (contains(lr.W?.key, offset)) return { kind: 'matrix', layer, param: 'W', range: lr.W!.key! };
    if (contains(lr.b?.key, offset)) return { kind: 'matrix', layer, param: 'b', range: lr.b!.key! };
    if (contains(lr.activation, offset)) return { kind: 'activation', layer, range: lr.activation };
    if (contains(lr.activationKey, offset)) return { kind: 'activation', layer, range: lr.activationKey };
    if (contains(lr.head, offset)) return { kind: 'layer', layer, range: lr.head };
    // Elsewhere inside the layer (its expect block's keys, blank space): nothing specific.
    return undefined;
  }
  if (contains(r.loss, offset)) return { kind: 'loss', range: r.loss };
  if (contains(r.lossKey, offset)) return { kind: 'loss', range: r.lossKey };
  return undefined;
}
