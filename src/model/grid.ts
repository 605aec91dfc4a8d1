/**
 * Reading numbers, vectors, matrices and tensors from nodes, as written: a scalar is 1×1, a flat
 * list one row, a list of lists its rows; a list nested three deep is one item (an image C×H×W:
 * one row of C·H·W numbers), four deep one row per outer entry (N×C×H×W, out×in×kh×kw), so the
 * rows are the engine's (examples, output channels) and each row's numbers are in written order.
 * Their types are the schema's to check; shapes are judged by the caller, which knows what is needed.
 */
import { MatrixRanges, SourceRange } from './types';
import { Node, NumbersNode, SeqNode, Span } from './nodes';
import { LineTable } from './positions';
import { Report } from './report';
import { plural } from './wording';

export type Written = 'scalar' | 'vector' | 'matrix' | 'tensor';

/** Lists nested deeper than this (N×C×H×W) are refused. */
export const MAX_DEPTH = 4;

export interface Grid {
  readonly rows: number;
  readonly cols: number;
  /** The written shape: [] for a scalar, [n] for a list, [r, c] for rows, [C, H, W] or [N, C, H, W] for a tensor. */
  readonly dims: readonly number[];
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
      dims: [],
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
  } else if (node.kind === 'seq' && node.items.length > 0 && node.items.every((it) => it.kind === 'seq'))
    return readTensor(node, report, opts);
  else return undefined;

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
    dims: written === 'vector' ? [cols] : [rows, cols],
    data,
    written,
    node,
    ranges: makeMatrixRanges(report.lines, node, opts.key, () => rn.map(spansOf)),
    source: (i, j) => report.text.slice(rn[i].starts[j], rn[i].ends[j]),
    rowSpan: (i) => (written === 'vector' ? node : rn[i]),
  };
}

/** Each entry's written index, 1-based: [2][1][3][1]. */
export function indexText(dims: readonly number[], flat: number): string {
  const out: string[] = [];
  for (let a = dims.length - 1; a >= 0; a--) {
    out.unshift(`[${(flat % dims[a]) + 1}]`);
    flat = Math.floor(flat / dims[a]);
  }
  return out.join('');
}

/**
 * A list nested three or four deep: its shape settled from the first entry at every level, every
 * other entry checked against it (one message, at the first that differs), its lists of numbers
 * gathered in written order.
 */
function readTensor(node: SeqNode, report: Report, opts: GridOptions): Grid | undefined {
  const dims: number[] = [];
  for (let n: Node = node; ; n = n.items[0]) {
    if (n.kind === 'numbers') {
      dims.push(n.values.length);
      break;
    }
    if (n.kind !== 'seq' || n.items.length === 0) return undefined;
    dims.push(n.items.length);
  }
  if (dims.length > MAX_DEPTH) {
    report.error(
      node,
      'shape',
      `${opts.what} is nested ${dims.length} lists deep; at most ${MAX_DEPTH} (examples × channels × rows × columns)`,
    );
    return undefined;
  }
  const leaves: NumbersNode[] = [];
  let ok = true;
  const walk = (n: Node, depth: number, at: string): void => {
    if (!ok) return;
    const want = dims[depth];
    const last = depth === dims.length - 1;
    const got = n.kind === 'numbers' ? n.values.length : n.kind === 'seq' ? n.items.length : -1;
    if ((last ? n.kind !== 'numbers' : n.kind !== 'seq') || got !== want) {
      ok = false;
      const first = `${opts.what}${'[1]'.repeat(depth)}`;
      const what = last ? 'number' : 'list';
      report.error(
        n,
        'ragged',
        got < 0 || (last ? n.kind !== 'numbers' : n.kind !== 'seq')
          ? `${opts.what}${at} must be a list of ${what === 'number' ? 'numbers' : 'lists'} like ${first}`
          : `${opts.what}${at} has ${plural(got, what)} but ${first} has ${want}: every part of ${opts.what} needs the same shape (${dims.join('×')})`,
      );
      return;
    }
    if (n.kind === 'numbers') leaves.push(n);
    else if (n.kind === 'seq') n.items.forEach((it, i) => walk(it, depth + 1, `${at}[${i + 1}]`));
  };
  walk(node, 0, '');
  if (!ok) return undefined;
  const w = dims[dims.length - 1];
  const data = new Float64Array(leaves.length * w);
  leaves.forEach((leaf, i) => data.set(leaf.values, i * w));
  // Three deep is one item (an image); four deep one row per outer entry.
  const rows = dims.length === 4 ? dims[0] : 1;
  const cols = data.length / rows;
  const perRow = leaves.length / rows;
  const leafOf = (i: number, j: number): [NumbersNode, number] => [leaves[i * perRow + Math.floor(j / w)], j % w];
  return {
    rows,
    cols,
    dims,
    data,
    written: 'tensor',
    node,
    ranges: makeMatrixRanges(report.lines, node, opts.key, () =>
      Array.from({ length: rows }, (_, i) => leaves.slice(i * perRow, (i + 1) * perRow).flatMap(spansOf)),
    ),
    source: (i, j) => {
      const [leaf, k] = leafOf(i, j);
      return report.text.slice(leaf.starts[k], leaf.ends[k]);
    },
    rowSpan: (i) => (dims.length === 4 ? node.items[i] : node),
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
