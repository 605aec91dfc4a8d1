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

/** A value as the file would write it, in flow style: {type: sgd, lr: 0.01} in YAML, {"type": "sgd", "lr": 0.01} in JSON. */
export function exampleText(value: unknown, format: 'yaml' | 'json'): string {
  if (Array.isArray(value)) return '[' + value.map((v) => exampleText(v, format)).join(', ') + ']';
  if (typeof value === 'object' && value !== null)
    return (
      '{' +
      Object.entries(value)
        .map(([k, v]) => `${exampleText(k, format)}: ${exampleText(v, format)}`)
        .join(', ') +
      '}'
    );
  if (typeof value === 'number') return formatNumber(value);
  if (
    typeof value === 'string' &&
    format === 'yaml' &&
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) &&
    !/^(true|false|null|yes|no|on|off)$/i.test(value)
  )
    return value;
  return JSON.stringify(value) ?? String(value);
}

/** a, b or c */
export function joinOr(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
