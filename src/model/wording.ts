/** How the model layer writes numbers and symbols in messages and quick-fix texts. */
import { shortestDecimal } from '../engine/numberFormat';

export { sup } from '../engine/numberFormat';

/** The shortest decimal that reads back within `within` of x (default: 1e-12 relative), -0.44 not -0.43999999999999995. */
export function formatNumber(x: number, within?: number): string {
  return shortestDecimal(x, within ?? 1e-12 * Math.max(1, Math.abs(x)));
}

/** (1.01, 1.67, 3.6) */
export function formatVector(xs: ArrayLike<number>): string {
  return '(' + Array.from(xs, (x) => formatNumber(x)).join(', ') + ')';
}

/** [[1, 2], [3, 4]] — flow style, valid in both YAML and JSON. */
export function formatMatrix(rows: readonly (readonly number[])[]): string {
  return '[' + rows.map((r) => '[' + r.map((x) => formatNumber(x)).join(', ') + ']').join(', ') + ']';
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}
