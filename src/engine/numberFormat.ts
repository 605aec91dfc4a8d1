/** How numbers are written in every view: significant digits, the numberFormat styles, round-trip decimals, superscript indices. */

/**
 * How numbers are written (the `backprop.numberFormat` setting): `auto` as below; `fixed` with
 * `digits` digits after the point; `scientific` always with an exponent, `digits` significant.
 */
export type NumberStyle = 'auto' | 'fixed' | 'scientific';

/** The settings backprop.precision and backprop.numberFormat: how every view writes a number. */
export interface NumberFormat {
  /** Significant digits (auto, scientific) or digits after the point (fixed). */
  readonly digits: number;
  readonly style: NumberStyle;
}

export const DEFAULT_NUMBER_FORMAT: NumberFormat = { digits: 6, style: 'auto' };

/**
 * The one rule by which every view writes a value (Problems, hovers, notifications, the panel,
 * exports, CodeLens, inlay hints, the debugger): formatNumber with the user's settings.
 */
export function formatValue(x: number, f: NumberFormat): string {
  return formatNumber(x, f.digits, f.style);
}

/**
 * The size of an error (|expected − computed|, a tolerance, a relative error), whatever the
 * settings: at most three significant digits, and two in exponent form below 1e-3 (1e-6,
 * 3.7e-5, 0.125).
 */
export function formatErrorSize(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return formatNumber(x);
  if (Math.abs(x) >= 1e-3) return String(Number(x.toPrecision(3)));
  const [m, e] = x.toExponential(1).split('e');
  return `${m.replace(/\.0$/, '')}e${e.replace('+', '')}`;
}

/**
 * How numbers read in every view: integers as integers, others to `digits` significant digits
 * without trailing zeros (0.96, not 0.9600000000000001), exponents only when they help.
 */
export function formatNumber(x: number, digits = 6, style: NumberStyle = 'auto'): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  if (style === 'fixed') {
    const s = x.toFixed(Math.min(100, Math.max(0, digits)));
    // toFixed switches to exponents at 1e21; −0.000 is just 0.
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s.includes('e') ? formatNumber(x, digits, 'scientific') : s;
  }
  if (x === 0) return style === 'scientific' ? '0e0' : '0'; // also folds −0
  if (style === 'scientific') {
    const [m, e] = x.toExponential(Math.min(100, Math.max(0, digits - 1))).split('e');
    return `${trimZeros(m)}e${e.replace('+', '')}`;
  }
  const ax = Math.abs(x);
  if (Number.isInteger(x) && ax < 1e15) return String(x);
  if (ax < 1e-4 || ax >= 1e15) {
    const [m, e] = x.toExponential(Math.max(0, digits - 1)).split('e');
    return `${trimZeros(m)}e${e.replace('+', '')}`;
  }
  const s = trimZeros(x.toPrecision(digits));
  return s.includes('e') ? String(Number(s)) : s;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * The shortest decimal (1 to 17 significant digits) that reads back within `within` of x.
 * within = 0 is the exact round trip (String(x)); a few ulps turns -0.43999999999999995 — the
 * double that −1 − 0.01·(−56) lands on — into the -0.44 a person wrote. Non-finite: String(x).
 */
export function shortestDecimal(x: number, within = 0): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  for (let p = 1; p < 17; p++) {
    const v = Number(x.toPrecision(p));
    if (Math.abs(v - x) <= within) return String(v);
  }
  return String(x);
}

/** Superscript digits for layer indices: W², δ¹⁰. */
export function sup(n: number | string): string {
  return String(n)
    .replace(/[0-9]/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)])
    .replace('-', '⁻');
}
