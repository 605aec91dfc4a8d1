/** How the model layer writes numbers and symbols in messages and quick-fix texts. */

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

export function sup(n: number): string {
  return String(n).replace(/[0-9]/g, (d) => SUPERSCRIPT[Number(d)]);
}

/**
 * The shortest decimal (up to 17 significant digits) that reads back within `within` of x:
 * -0.43999999999999995 prints as -0.44. `within` defaults to a few ulps' worth (1e-12 relative).
 */
export function formatNumber(x: number, within?: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const tol = within ?? 1e-12 * Math.max(1, Math.abs(x));
  for (let p = 1; p <= 17; p++) {
    const s = x.toPrecision(p);
    const v = Number(s);
    if (Math.abs(v - x) <= tol) return String(v);
  }
  return String(x);
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
