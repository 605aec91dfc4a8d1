/**
 * A line for the hover of a weight or a bias of a linear regression: its closed-form least-squares
 * value (lecture note 000) beside the value gradient descent has reached. Pure: no `vscode`.
 */
import type { LeastSquaresSolution } from '../../analysis/leastSquares';
import { esc, fmt, NumberFormat } from './markdown';

/** The closed form's value of W[k] (engine order: out × in, row-major) or b[k], and how far w is from it. */
export function closedFormLines(
  ls: Pick<LeastSquaresSolution, 'W' | 'b'> | undefined,
  param: 'W' | 'b',
  k: number,
  w: number,
  format: NumberFormat,
): string[] {
  if (!ls) return [];
  const star = param === 'W' ? ls.W.data[k] : ls.b[k];
  const f = (x: number) => esc(fmt(x, format));
  return [
    '',
    `Least squares (closed form, β̂ = (XᵀX)⁻¹Xᵀy): **${param === 'W' ? 'w' : 'b'}\\* = ${f(star)}**; this step's value is ${f(w - star)} from it`,
  ];
}
