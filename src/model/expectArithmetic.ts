/**
 * Hand-derived values written as arithmetic — `delta: [(2/3)*38, -11]` in YAML, `"(2/3)*38"` in
 * JSON — read as numbers before the schema sees the tree, so every check after it sees numbers.
 * What each was written as is kept by offset, for the messages, hovers and quick fixes that show
 * it back. Arithmetic that does not read is an error at the character that stops it.
 */
import { MapEntry, Node, ScalarNode, numbersNode } from './nodes';
import { ARITHMETIC_CHARS, readHandNumber } from './handNumber';
import { Report } from './report';

/** Keys of an expect block that are not values. */
const NOT_VALUES = new Set(['step', 'tolerance']);

export interface Arithmetic {
  readonly root: Node;
  /** The arithmetic as written (without quotes), by the offset of its value node. */
  readonly written: ReadonlyMap<number, string>;
}

export function readArithmetic(root: Node, report: Report): Arithmetic {
  const written = new Map<number, string>();
  if (root.kind !== 'map') return { root, written };

  const value = (n: Node): Node => {
    if (n.kind === 'scalar') return scalar(n);
    if (n.kind !== 'seq') return n;
    const items = n.items.map(value);
    if (items.length > 0 && items.every((it) => it.kind === 'scalar' && typeof it.value === 'number')) {
      const s = items as ScalarNode[];
      return numbersNode(
        n.start,
        n.end,
        n.flow,
        s.map((it) => it.value as number),
        s.map((it) => it.start),
        s.map((it) => it.end),
      );
    }
    return { ...n, items };
  };
  const scalar = (n: ScalarNode): Node => {
    if (typeof n.value !== 'string' || !ARITHMETIC_CHARS.test(n.value) || !/\d/.test(n.value)) return n;
    const r = readHandNumber(n.value);
    if ('error' in r) {
      const at = n.start + (n.quoted ? 1 : 0) + r.at;
      report.error(
        { start: Math.min(at, n.end), end: Math.min(at + 1, n.end) },
        'arithmetic',
        `Arithmetic \`${n.value.trim()}\` ${r.error}`,
      );
      return n;
    }
    written.set(n.start, n.value.trim());
    return { kind: 'scalar', start: n.start, end: n.end, value: r.value, quoted: false };
  };
  const block = (b: Node): Node =>
    b.kind !== 'map'
      ? b
      : { ...b, entries: b.entries.map((e) => (NOT_VALUES.has(e.key) ? e : { ...e, value: value(e.value) })) };
  const expectValue = (e: MapEntry): MapEntry => ({
    ...e,
    value: e.value.kind === 'seq' ? { ...e.value, items: e.value.items.map(block) } : block(e.value),
  });

  const entries = root.entries.map((e) => {
    if (e.key === 'expect') return expectValue(e);
    if (e.key !== 'layers' || e.value.kind !== 'seq') return e;
    const items = e.value.items.map((l) =>
      l.kind !== 'map' ? l : { ...l, entries: l.entries.map((x) => (x.key === 'expect' ? expectValue(x) : x)) },
    );
    return { ...e, value: { ...e.value, items } };
  });
  return written.size === 0 ? { root, written } : { root: { ...root, entries }, written };
}
