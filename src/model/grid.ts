/**
 * Reading numbers, vectors and matrices from nodes, as written: a scalar is 1×1, a flat list
 * one row, a list of lists its rows. Shapes are judged by the caller, which knows what is needed.
 */
import { MatrixRanges, SourceRange } from './types';
import { Node, NumbersNode, Span, describeNode } from './nodes';
import { LineTable } from './positions';
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

export interface Reporter {
  readonly text: string;
  readonly lines: LineTable;
  error(span: Span, code: string, message: string): void;
}

/** Lazily materialised per-cell ranges: a million-entry W only pays when a view asks. */
export function makeMatrixRanges(
  lines: LineTable,
  value: Span,
  key: Span | undefined,
  cellSpans: () => readonly (readonly Span[])[],
): MatrixRanges {
  const r = { value: lines.range(value.start, value.end), ...(key ? { key: lines.range(key.start, key.end) } : {}) } as MatrixRanges;
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
  /** An example of the expected form for type errors. */
  readonly example: string;
  readonly allowMatrix?: boolean;
}

const MAX_NONFINITE_REPORTS = 20;

/** Reads a grid, reporting type errors, ragged rows and non-finite numbers; undefined on error. */
export function readGrid(node: Node, rep: Reporter, opts: GridOptions): Grid | undefined {
  const allowMatrix = opts.allowMatrix ?? true;
  const typeError = (n: Node): undefined => {
    rep.error(n, 'type', `${opts.what} must be ${opts.example}; got ${describeNode(n)}`);
    return undefined;
  };
  let rowNodes: NumbersNode[];
  let written: Written;
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'number' || node.quoted) return typeError(node);
    if (!Number.isFinite(node.value)) {
      rep.error(node, 'non-finite', `${opts.what}: not a finite number: ${rep.text.slice(node.start, node.end)}`);
      return undefined;
    }
    const v = node.value;
    const span: Span = { start: node.start, end: node.end };
    return {
      rows: 1,
      cols: 1,
      data: Float64Array.of(v),
      written: 'scalar',
      node,
      ranges: makeMatrixRanges(rep.lines, node, opts.key, () => [[span]]),
      source: () => rep.text.slice(node.start, node.end),
      rowSpan: () => span,
    };
  }
  if (node.kind === 'numbers') {
    rowNodes = [node];
    written = 'vector';
  } else if (node.kind === 'seq') {
    if (node.items.length === 0) {
      rep.error(node, 'empty', `${opts.what} is empty`);
      return undefined;
    }
    if (!allowMatrix) {
      const inner = node.items.find((it) => it.kind !== 'scalar') ?? node.items.find((it) => it.kind === 'scalar' && (typeof it.value !== 'number' || it.quoted));
      return typeError(inner ?? node);
    }
    if (node.items.every((it) => it.kind === 'scalar')) {
      const i = node.items.findIndex((it) => it.kind === 'scalar' && (typeof it.value !== 'number' || it.quoted));
      const bad = node.items[i];
      rep.error(bad, 'type', `${opts.what}[${i + 1}] must be a number; got ${describeNode(bad)}`);
      return undefined;
    }
    rowNodes = [];
    for (let i = 0; i < node.items.length; i++) {
      const it = node.items[i];
      if (it.kind === 'numbers') {
        rowNodes.push(it);
        continue;
      }
      if (it.kind === 'seq' && it.items.length === 0) {
        rep.error(it, 'empty', `Row ${i + 1} of ${opts.what} is empty`);
        return undefined;
      }
      if (it.kind === 'scalar' && typeof it.value === 'number' && !it.quoted) {
        rep.error(it, 'type', `${opts.what} mixes numbers and lists: write every row as a list, e.g. ${opts.example}`);
        return undefined;
      }
      if (it.kind === 'seq') {
        const bad = it.items.find((x) => x.kind !== 'scalar' || typeof x.value !== 'number' || x.quoted) ?? it;
        if (bad.kind === 'seq' || bad.kind === 'numbers')
          rep.error(bad, 'type', `${opts.what} is nested too deeply: a matrix is a list of rows of numbers, e.g. ${opts.example}`);
        else rep.error(bad, 'type', `${opts.what}[${i + 1}][${it.items.indexOf(bad) + 1}] must be a number; got ${describeNode(bad)}`);
        return undefined;
      }
      if (it.kind === 'scalar') rep.error(it, 'type', `${opts.what}[${i + 1}] must be a number; got ${describeNode(it)}`);
      else rep.error(it, 'type', `Row ${i + 1} of ${opts.what} must be a list of numbers; got ${describeNode(it)}`);
      return undefined;
    }
    written = 'matrix';
  } else return typeError(node);

  const cols = rowNodes[0].values.length;
  let ok = true;
  for (let i = 1; i < rowNodes.length; i++) {
    if (rowNodes[i].values.length !== cols) {
      rep.error(
        rowNodes[i],
        'ragged',
        `Row ${i + 1} of ${opts.what} has ${plural(rowNodes[i].values.length, 'number')} but row 1 has ${cols}: every row needs the same length`,
      );
      ok = false;
    }
  }
  let bad = 0;
  for (const r of rowNodes) {
    for (let j = 0; j < r.values.length; j++) {
      if (!Number.isFinite(r.values[j])) {
        if (bad++ < MAX_NONFINITE_REPORTS)
          rep.error({ start: r.starts[j], end: r.ends[j] }, 'non-finite', `${opts.what}: not a finite number: ${rep.text.slice(r.starts[j], r.ends[j])}`);
        ok = false;
      }
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
    ranges: makeMatrixRanges(rep.lines, node, opts.key, () => rn.map(spansOf)),
    source: (i, j) => rep.text.slice(rn[i].starts[j], rn[i].ends[j]),
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
