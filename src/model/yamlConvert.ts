/**
 * `yaml`'s composed Document → the shared Node tree. Aliases are expanded against a budget (a
 * "billion laughs" of nested aliases would otherwise expand to billions of values) and a list
 * that refers to itself is an error; number lists read by the fast path replace the empty
 * sequences `yaml` composed in their place.
 */
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { MAX_NESTING, MapEntry, Node, SyntaxProblem, nodeSize, numbersNode } from './nodes';
import { MAX_BLOCK_DEPTH } from './yamlGuards';

/** Values aliases may expand to, in total. */
const ALIAS_BUDGET = 100_000;

export class Converter {
  private readonly memo = new Map<unknown, Node>();
  private readonly inProgress = new Set<unknown>();
  private readonly sizes = new WeakMap<object, number>();
  private expanded = 0;
  private budgetReported = false;
  constructor(
    private readonly doc: Document.Parsed,
    private readonly fast: ReadonlyMap<number, Node>,
    private readonly problems: SyntaxProblem[],
  ) {}

  /** `at` is where an empty value sits (used when `n` is null). */
  convert(n: unknown, at: number, depth: number): Node {
    if (n === null || n === undefined) return { kind: 'scalar', start: at, end: at, value: null, quoted: false };
    if (depth > MAX_NESTING + MAX_BLOCK_DEPTH + 8) {
      // The guards refuse such text first; this keeps the recursion bounded whatever comes through.
      this.problems.push({
        span: { start: at, end: at },
        message: 'Nested too deeply',
        code: 'depth',
        severity: 'error',
      });
      return { kind: 'scalar', start: at, end: at, value: null, quoted: false };
    }
    if (isAlias(n)) return this.alias(n, depth);
    if (isScalar(n)) {
      const [start, end] = n.range ?? [at, at, at];
      const v = n.value;
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null)
        return {
          kind: 'scalar',
          start,
          end,
          value: v,
          quoted: typeof v === 'string' && n.type !== 'PLAIN' && n.type !== undefined,
        };
      // Timestamps and other tagged scalars: their text is what a message should show.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      return { kind: 'scalar', start, end, value: String(v), quoted: true };
    }
    if (isSeq(n)) {
      const [start, end] = n.range ?? [at, at, at];
      const pre = this.fast.get(start);
      if (pre) return pre;
      const items = n.items.map((it) => this.convert(it, end, depth + 1));
      return seqOrNumbers(start, end, n.flow === true, items);
    }
    if (isMap(n)) {
      const [start, end] = n.range ?? [at, at, at];
      const entries: MapEntry[] = [];
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const k = pair.key;
        if (!isScalar(k) || k.value === null || typeof k.value === 'object') {
          const r = (k as { range?: number[] } | null)?.range;
          const s = r ? r[0] : start;
          this.problems.push({
            span: { start: s, end: r ? r[1] : s },
            message: 'Keys must be plain names such as `layers` or `W`',
            code: 'key-type',
            severity: 'error',
          });
          continue;
        }
        const [ks, ke] = k.range ?? [start, start, start];
        entries.push({
          // Numbers and booleans as keys (`1: …`) are named by their text.
          // eslint-disable-next-line @typescript-eslint/no-base-to-string
          key: String(k.value),
          keySpan: { start: ks, end: ke },
          value: this.convert(pair.value, ke, depth + 1),
        });
      }
      return { kind: 'map', start, end, flow: n.flow === true, entries };
    }
    return { kind: 'scalar', start: at, end: at, value: null, quoted: false };
  }

  private alias(n: Alias, depth: number): Node {
    const [start, end] = n.range ?? [0, 0, 0];
    const target = n.resolve(this.doc);
    const nil: Node = { kind: 'scalar', start, end, value: null, quoted: false };
    if (target === undefined) return nil;
    if (this.inProgress.has(target)) {
      this.problems.push({
        span: { start, end },
        message: `Alias *${n.source} refers to a value that contains it`,
        code: 'alias',
        severity: 'error',
      });
      return nil;
    }
    let node = this.memo.get(target);
    if (!node) {
      this.inProgress.add(target);
      const range = (target as { range?: number[] }).range;
      node = this.convert(target, range ? range[0] : start, depth + 1);
      this.inProgress.delete(target);
      this.memo.set(target, node);
    }
    this.expanded += nodeSize(node, this.sizes);
    if (this.expanded > ALIAS_BUDGET) {
      if (!this.budgetReported)
        this.problems.push({
          span: { start, end },
          message: `Aliases expand to more than ${ALIAS_BUDGET} values (alias *${n.source}); write the values out instead`,
          code: 'alias',
          severity: 'error',
        });
      this.budgetReported = true;
      return nil;
    }
    return node;
  }
}

function seqOrNumbers(start: number, end: number, flow: boolean, items: Node[]): Node {
  if (items.length > 0 && items.every((it) => it.kind === 'scalar' && typeof it.value === 'number' && !it.quoted)) {
    const values: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (const it of items) {
      if (it.kind !== 'scalar') continue;
      values.push(it.value as number);
      starts.push(it.start);
      ends.push(it.end);
    }
    return numbersNode(start, end, flow, values, starts, ends);
  }
  return { kind: 'seq', start, end, flow, items };
}
