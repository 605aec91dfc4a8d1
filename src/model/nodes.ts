/**
 * The one tree both front ends (YAML and strict JSON) produce, so the schema is checked once.
 * Every node keeps the offsets of its text; lists of plain numbers are stored compactly
 * (a Float64Array plus offsets) because a weight matrix can hold millions of them.
 */

export interface Span {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

export interface MapEntry {
  readonly key: string;
  readonly keySpan: Span;
  /** The value; for `key:` with nothing after it, a null scalar at the end of the key. */
  readonly value: Node;
}

export interface MapNode extends Span {
  readonly kind: 'map';
  readonly flow: boolean;
  readonly entries: readonly MapEntry[];
}

export interface SeqNode extends Span {
  readonly kind: 'seq';
  readonly flow: boolean;
  readonly items: readonly Node[];
}

/** A non-empty list whose items are all number literals (finite or not: the schema decides). */
export interface NumbersNode extends Span {
  readonly kind: 'numbers';
  readonly flow: boolean;
  readonly values: Float64Array;
  /** starts[i], ends[i]: offsets of the i-th literal. */
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

export interface ScalarNode extends Span {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  /** True for quoted strings (and block scalars): `"1"` is a string, not a number. */
  readonly quoted: boolean;
}

export type Node = MapNode | SeqNode | NumbersNode | ScalarNode;

/** What a front end hands the schema: a tree, or syntax errors (then no tree, or a partial one). */
export interface SyntaxProblem {
  readonly span: Span;
  readonly message: string;
  readonly code: string;
  readonly severity: 'error' | 'warning';
}

export interface FrontEndResult {
  readonly root?: Node;
  readonly problems: readonly SyntaxProblem[];
}

/** Upper bound on nesting, far beyond any model file, far below what would exhaust the stack. */
export const MAX_NESTING = 64;

/** Builds a NumbersNode from parallel arrays of values and offsets. */
export function numbersNode(
  start: number,
  end: number,
  flow: boolean,
  values: readonly number[],
  starts: readonly number[],
  ends: readonly number[],
): NumbersNode {
  return {
    kind: 'numbers',
    start,
    end,
    flow,
    values: Float64Array.from(values),
    starts: Uint32Array.from(starts),
    ends: Uint32Array.from(ends),
  };
}

export function describeNode(n: Node): string {
  switch (n.kind) {
    case 'map':
      return 'a mapping';
    case 'seq':
      return n.items.length === 0 ? 'an empty list' : 'a list';
    case 'numbers':
      return 'a list of numbers';
    case 'scalar':
      if (n.value === null) return 'nothing';
      if (typeof n.value === 'string')
        return `the string "${n.value.length > 40 ? n.value.slice(0, 40) + '…' : n.value}"`;
      if (typeof n.value === 'boolean') return `the boolean ${n.value}`;
      return `the number ${n.value}`;
  }
}

/** Number of values a node stands for (a NumbersNode counts each number), for alias budgets. */
export function nodeSize(n: Node, memo: WeakMap<object, number>): number {
  const known = memo.get(n);
  if (known !== undefined) return known;
  let s = 1;
  if (n.kind === 'numbers') s += n.values.length;
  else if (n.kind === 'seq') for (const it of n.items) s += nodeSize(it, memo);
  else if (n.kind === 'map') for (const e of n.entries) s += 1 + nodeSize(e.value, memo);
  memo.set(n, s);
  return s;
}
