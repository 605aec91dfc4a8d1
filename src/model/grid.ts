/**
 * Reading numbers, vectors and matrices from nodes, as written: a scalar is 1×1, a flat list
 * one row, a list of lists its rows. Their types are the schema's to check; shapes are judged by
 * the caller, which knows what is needed.
 */
import { MatrixRanges, SourceRange } from './types';
import { Node, NumbersNode, Span } from './nodes';
import { LineTable } from './positions';
import { Report } from './report';
import { plural } from './wording';

export type Written = 'scalar' | 'vector' | 'matrix';

export interface Grid {
  readonly rows: number;
  readonly cols: number;
  /** Row-major, in the written order. */
  readonly data: Float64Array;
  readonly written: Written;
  readonly node: Node;
  readonly ranges: MatrixRanges;
  /** The literal text of cell (i, j), for quick fixes that move numbers around. */
  source(i: number, j: number): string;
  /** The span of row i (the whole value for a scalar or a vector). */
  rowSpan(i: number): Span;
}

/** Lazily materialised per-cell ranges: a million-entry W only pays when a view asks. */
export function makeMatrixRanges(
  lines: LineTable,
  value: Span,
  key: Span | undefined,
  cellSpans: () => readonly (readonly Span[])[],
): MatrixRanges {
  const r = {
    value: lines.range(value.start, value.end),
    ...(key ? { key: lines.range(key.start, key.end) } : {}),
  } as MatrixRanges;
  let cells: (readonly SourceRange[])[] | undefined;
  Object.defineProperty(r, 'cells', {
    enumerable: true,
    get: () => (cells ??= cellSpans().map((row) => row.map((s) => lines.range(s.start, s.end)))),
  });
  return r;
}

function spansOf(n: NumbersNode): Span[] {
  const out: Span[] = new Array<Span>(n.values.length);
  for (let i = 0; i < n.values.length; i++) out[i] = { start: n.starts[i], end: n.ends[i] };
  return out;
}

export interface GridOptions {
  /** How the value is named in messages, e.g. "W²" or "input". */
  readonly what: string;
  readonly key?: Span;
}

/**
 * Reads a grid the schema accepted (a number, a list of numbers, a list of rows of numbers),
 * reporting what a schema cannot say: rows of different lengths. Undefined on error.
 */
export function readGrid(node: Node, report: Report, opts: GridOptions): Grid | undefined {
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'number') return undefined;
    const span: Span = { start: node.start, end: node.end };
    return {
      rows: 1,
      cols: 1,
      data: Float64Array.of(node.value),
      written: 'scalar',
      node,
      ranges: makeMatrixRanges(report.lines, node, opts.key, () => [[span]]),
      source: () => report.text.slice(node.start, node.end),
      rowSpan: () => span,
    };
  }
  let rowNodes: NumbersNode[];
  let written: Written;
  if (node.kind === 'numbers') {
    rowNodes = [node];
    written = 'vector';
  } else if (node.kind === 'seq' && node.items.length > 0 && node.items.every((it) => it.kind === 'numbers')) {
    rowNodes = node.items as NumbersNode[];
    written = 'matrix';
  } else return undefined;

  const cols = rowNodes[0].values.length;
  let ok = true;
  for (let i = 1; i < rowNodes.length; i++) {
    if (rowNodes[i].values.length !== cols) {
      report.error(
        rowNodes[i],
        'ragged',
        `Row ${i + 1} of ${opts.what} has ${plural(rowNodes[i].values.length, 'number')} but row 1 has ${cols}: every row needs the same length`,
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  const rows = rowNodes.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) data.set(rowNodes[i].values, i * cols);
  const rn = rowNodes;
  return {
    rows,
    cols,
    data,
    written,
    node,
    ranges: makeMatrixRanges(report.lines, node, opts.key, () => rn.map(spansOf)),
    source: (i, j) => report.text.slice(rn[i].starts[j], rn[i].ends[j]),
    rowSpan: (i) => (written === 'vector' ? node : rn[i]),
  };
}

/** The written grid's rows as arrays. */
export function gridRows(g: Grid): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < g.rows; i++) out.push(Array.from(g.data.subarray(i * g.cols, (i + 1) * g.cols)));
  return out;
}

/** Flow-style text of the transposed grid, keeping each number exactly as the user wrote it. */
export function transposedText(g: Grid): string {
  const rows: string[] = [];
  for (let j = 0; j < g.cols; j++) {
    const cells: string[] = [];
    for (let i = 0; i < g.rows; i++) cells.push(g.source(i, j));
    rows.push('[' + cells.join(', ') + ']');
  }
  return '[' + rows.join(', ') + ']';
}
