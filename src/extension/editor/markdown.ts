/**
 * Small Markdown builders for hovers and reports: tables with elision for big matrices, and
 * numbers written per the user's settings. Pure (no `vscode`).
 */
import { formatValue, NumberFormat } from '../../engine/numberFormat';
import { Matrix } from '../../engine/tensor';

export { DEFAULT_NUMBER_FORMAT } from '../../engine/numberFormat';
export type { NumberFormat } from '../../engine/numberFormat';

/** A value by the user's settings (the one rule: formatValue). */
export const fmt: (x: number, f: NumberFormat) => string = formatValue;

/** Escapes what Markdown would read as markup (tables: `|`; emphasis: `*`, `_`). */
export function esc(s: string): string {
  return s.replace(/([\\`*_{}[\]<>|#])/g, '\\$1');
}

/** Rows and columns shown before eliding the middle with an ellipsis. */
export const MAX_TABLE_ROWS = 12;
export const MAX_TABLE_COLS = 8;

/** Indices 0..n-1, or a head and a tail around -1 (the ellipsis) when n exceeds max. */
export function pick(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil((max - 1) / 2),
    tail = max - 1 - head;
  return [...Array.from({ length: head }, (_, i) => i), -1, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/** A Markdown table; cells are taken as Markdown (escape them first where needed). */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('l' | 'r' | 'c')[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const sep = header.map((_, k) => ({ l: ':--', r: '--:', c: ':-:' })[align?.[k] ?? 'r']);
  return [line(header), line(sep), ...rows.map(line)].join('\n');
}

/**
 * A matrix as a table with 1-based row and column numbers; `rowLabel` names the rows
 * (e.g. "unit", "example"). Large matrices show their corners with ⋯ between.
 */
export function matrixTable(m: Matrix, f: NumberFormat, rowLabel = '', colLabel = ''): string {
  const rows = pick(m.rows, MAX_TABLE_ROWS),
    cols = pick(m.cols, MAX_TABLE_COLS);
  const header = [rowLabel, ...cols.map((j) => (j < 0 ? '⋯' : `${colLabel}${j + 1}`))];
  const body = rows.map((i) =>
    i < 0
      ? ['⋮', ...cols.map(() => '⋮')]
      : [`**${i + 1}**`, ...cols.map((j) => (j < 0 ? '⋯' : esc(fmt(m.data[i * m.cols + j], f))))],
  );
  return table(header, body, ['l', ...cols.map(() => 'r' as const)]);
}

/** A vector as a one-column-per-entry matrix table. */
export function vectorAsRow(v: Float64Array): Matrix {
  return { rows: 1, cols: v.length, data: v };
}
