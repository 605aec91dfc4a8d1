/**
 * The closed-form least-squares optimum written out for every text view (CLI table, Markdown,
 * LaTeX, JSON): W* in the file's convention, b* per unit, the file's loss there, and each
 * step's distance ‖θ_t − θ*‖ to it.
 */
import { Matrix } from '../engine/tensor';
import { toFileLayoutW } from '../model/layout';
import { Convention } from '../model/types';
import type { LeastSquaresSolution } from '../analysis/leastSquares';
import { distanceTo } from '../analysis/leastSquares';
import { EquationOptions, Renderer, Rendered } from './render';

/** `"least_squares"` of the JSON formats. */
export function leastSquaresJson(ls: LeastSquaresSolution, ctx: { readonly convention: Convention }): object {
  return {
    W: toFileLayoutW(ctx, ls.W),
    b: Array.from(ls.b),
    loss: ls.loss,
    rank: ls.rank,
    columns: ls.columns,
    warning: ls.warning ?? null,
  };
}

/** ‖θ_t − θ*‖ at the parameters step t starts from. */
export function stepDistance(
  ls: Pick<LeastSquaresSolution, 'W' | 'b'>,
  update: { W: Matrix; b: Float64Array },
): number {
  return distanceTo(ls, update.W, update.b);
}

/** The section's lines: the formula, then W*, b*, L* with their numbers. */
export function leastSquaresLines(ls: LeastSquaresSolution, options: EquationOptions): Rendered[] {
  const r = new Renderer(options);
  const L = r.num(ls.loss);
  const W = r.weights(ls.W),
    b = r.vector(ls.b);
  return [
    {
      text: 'β̂ = (XᵀX)⁻¹ Xᵀ y, X = [1 | a⁰] (solved by Householder QR, column by column)',
      latex: '\\hat\\beta = (X^\\top X)^{-1} X^\\top y, \\quad X = [\\,1 \\mid a^{0}\\,]',
    },
    { text: `W* = ${W.text}`, latex: `W^{*} = ${W.latex}` },
    { text: `b* = ${b.text}`, latex: `b^{*} = ${b.latex}` },
    { text: `L(W*, b*) = ${L.text}`, latex: `L(W^{*}, b^{*}) = ${L.latex}` },
  ];
}
