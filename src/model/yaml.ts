/**
 * YAML front end: `yaml`'s parseDocument (data only: the core schema, no custom tags run) turned
 * into the shared Node tree. Three guards keep hostile text from hanging or exhausting memory:
 *  - nesting is measured before `yaml` sees the text (its composer recurses; very deep input
 *    overflows the stack, and near that point V8 can even abort);
 *  - aliases are expanded against a budget (billion laughs);
 *  - in large texts, plain number lists (`[[1, 2], [3, 4]]`) are read here by a small scanner
 *    and blanked out before composing (composing costs ~10 µs and ~1 kB per number); a list is
 *    used only where `yaml` then composes a sequence at the same offset.
 */
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { FrontEndResult, MAX_NESTING, MapEntry, Node, NumbersNode, SyntaxProblem, nodeSize, numbersNode } from './nodes';

/** Values an alias may expand to, in total. */
const ALIAS_BUDGET = 100_000;
/** Block-context depth estimate (indentation + `- ` indicators) above which the text is refused. */
const MAX_BLOCK_DEPTH = 200;
/** Texts at least this long take the number-list fast path. */
const FAST_PATH_MIN_CHARS = 64 * 1024;
/** Below this size, a text with YAML errors is parsed again as written for yaml's exact messages. */
const FAITHFUL_ERRORS_MAX_CHARS = 1024 * 1024;
/** Words (keys, values, indicators) outside number lists that a large text may hold. */
const MAX_SLOW_WORDS = 400_000;
/** A number list is read by the fast path when it has at least this many numbers. */
const FAST_LIST_MIN_NUMBERS = 32;

/** YAML 1.2 core-schema decimal ints and floats: exactly what Number() reads the same way. */
const DECIMAL = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** Fast-path thresholds; tests lower them to compare both paths on small texts. */
export interface YamlOptions {
  readonly fastPathMinChars?: number;
  readonly fastListMinNumbers?: number;
}

export function parseYaml(text: string, options: YamlOptions = {}): FrontEndResult {
  const deep = nestingProblem(text);
  if (deep) return { problems: [deep] };

  let regions: Region[] = [];
  if (text.length >= (options.fastPathMinChars ?? FAST_PATH_MIN_CHARS)) {
    const scan = scanNumberLists(text, options.fastListMinNumbers ?? FAST_LIST_MIN_NUMBERS);
    if (scan.problem) return { problems: [scan.problem] };
    regions = scan.regions;
  }
  // A candidate list inside a block scalar is not a sequence to `yaml`: then parse again
  // without it (and, should that still disagree, without any).
  for (let attempt = 0; ; attempt++) {
    const source = regions.length > 0 ? blankRegions(text, regions) : text;
    let doc: Document.Parsed;
    try {
      doc = parseDocument(source, { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2', schema: 'core' });
    } catch (e) {
      return { problems: [{ span: { start: 0, end: 0 }, message: `The YAML could not be read (${errorMessage(e)})`, code: 'yaml-syntax', severity: 'error' }] };
    }
    const problems: SyntaxProblem[] = [];
    for (const e of doc.errors.slice(0, 50))
      problems.push({ span: { start: e.pos[0], end: e.pos[1] }, message: firstLine(e.message), code: 'yaml-syntax', severity: 'error' });
    for (const w of doc.warnings.slice(0, 50))
      problems.push({ span: { start: w.pos[0], end: w.pos[1] }, message: firstLine(w.message), code: 'yaml-warning', severity: 'warning' });
    if (doc.errors.length > 0 && regions.length > 0 && text.length <= FAITHFUL_ERRORS_MAX_CHARS) {
      // Blanked lists can change how yaml words an error elsewhere: when affordable, report
      // the errors of the text as written.
      return parseYaml(text, { ...options, fastPathMinChars: Infinity });
    }
    if (doc.errors.length > 0 || doc.contents === null) return { problems };
    const conv = new Converter(doc, new Map(regions.map((r) => [r.start, r.node])), problems);
    const root = conv.convert(doc.contents, 0, 0);
    if (regions.every((r) => conv.used.has(r.start))) return { root, problems };
    regions = attempt === 0 ? regions.filter((r) => conv.used.has(r.start)) : [];
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}

class Converter {
  private readonly memo = new Map<unknown, Node>();
  private readonly inProgress = new Set<unknown>();
  private readonly sizes = new WeakMap<object, number>();
  private expanded = 0;
  private budgetReported = false;
  /** Start offsets of the pre-read number lists that `yaml` agreed were sequences. */
  readonly used = new Set<number>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly fast: ReadonlyMap<number, Node>,
    private readonly problems: SyntaxProblem[],
  ) {}

  /** `at` is where an empty value sits (used when `n` is null). */
  convert(n: unknown, at: number, depth: number): Node {
    if (n === null || n === undefined) return { kind: 'scalar', start: at, end: at, value: null, quoted: false };
    if (depth > MAX_NESTING + MAX_BLOCK_DEPTH + 8) {
      this.problems.push({ span: { start: at, end: at }, message: 'Nested too deeply', code: 'depth', severity: 'error' });
      return { kind: 'scalar', start: at, end: at, value: null, quoted: false };
    }
    if (isAlias(n)) return this.alias(n, depth);
    if (isScalar(n)) {
      const [start, end] = n.range ?? [at, at, at];
      const v = n.value;
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null)
        return { kind: 'scalar', start, end, value: v, quoted: typeof v === 'string' && n.type !== 'PLAIN' && n.type !== undefined };
      return { kind: 'scalar', start, end, value: String(v), quoted: true };
    }
    if (isSeq(n)) {
      const [start, end] = n.range ?? [at, at, at];
      const pre = this.fast.get(start);
      if (pre) {
        this.used.add(start);
        return pre;
      }
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
        entries.push({ key: String(k.value), keySpan: { start: ks, end: ke }, value: this.convert(pair.value, ke, depth + 1) });
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
      this.problems.push({ span: { start, end }, message: `Alias *${n.source} refers to a value that contains it`, code: 'alias', severity: 'error' });
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

/**
 * Refuses text nested beyond what `yaml` composes safely: flow brackets outside quotes and
 * comments, and block depth bounded by indentation plus `- `/`? ` indicators on a line.
 */
export function nestingProblem(text: string): SyntaxProblem | undefined {
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  let indicators = 0;
  let prev = 10;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = true;
      indent = 0;
      indicators = 0;
      prev = c;
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        indent++;
        prev = c;
        continue;
      }
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 10;
      if ((c === 45 /* - */ || c === 63 /* ? */ || c === 58 /* : */) && (next === 32 || next === 10 || next === 13)) {
        indicators++;
        if (indent + indicators > MAX_BLOCK_DEPTH)
          return { span: { start: i, end: i + 1 }, message: `Nested more than ${MAX_BLOCK_DEPTH} levels deep`, code: 'depth', severity: 'error' };
        indent++;
        prev = c;
        continue;
      }
      lineStart = false;
      if (indent > MAX_BLOCK_DEPTH)
        return { span: { start: i, end: i + 1 }, message: `Indented more than ${MAX_BLOCK_DEPTH} columns`, code: 'depth', severity: 'error' };
    }
    if (c === 35 /* # */ && (prev === 32 || prev === 9 || prev === 10 || prev === 13)) {
      while (i + 1 < n && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) i++;
    } else if ((c === 34 || c === 39) && (prev === 32 || prev === 9 || prev === 10 || prev === 13 || prev === 91 || prev === 123 || prev === 44 || prev === 58)) {
      i = closingQuote(text, i);
    } else if (c === 91 || c === 123) {
      flow++;
      if (flow > MAX_NESTING)
        return { span: { start: i, end: i + 1 }, message: `Nested more than ${MAX_NESTING} levels deep`, code: 'depth', severity: 'error' };
    } else if (c === 93 || c === 125) flow = Math.max(0, flow - 1);
    prev = i < n ? text.charCodeAt(i) : c;
  }
  return undefined;
}

interface Region {
  readonly start: number;
  /** Offset just past the closing bracket. */
  readonly end: number;
  readonly node: Node;
}

const WS = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
/** Characters a decimal literal may use. */
const NUMERIC = (c: number): boolean => (c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69;

/**
 * Reads a flow list of decimal numbers (a vector, or a list of vectors) starting at text[at] === '[',
 * by YAML's flow rules restricted to that alphabet: items separated by commas (a trailing comma
 * allowed), no comments, nothing but numbers. Anything else: undefined, and YAML decides.
 */
function readNumberList(text: string, at: number): { end: number; node: Node; count: number } | undefined {
  let i = at;
  const n = text.length;
  const skip = (): void => {
    while (i < n && WS(text.charCodeAt(i))) i++;
  };
  const vector = (): NumbersNode | undefined => {
    const start = i;
    i++; // '['
    const values: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (;;) {
      skip();
      if (text.charCodeAt(i) === 93 /* ] */) break;
      const s = i;
      while (i < n && NUMERIC(text.charCodeAt(i))) i++;
      if (i === s) return undefined;
      const lit = text.slice(s, i);
      if (!DECIMAL.test(lit)) return undefined;
      values.push(Number(lit));
      starts.push(s);
      ends.push(i);
      skip();
      const c = text.charCodeAt(i);
      if (c === 44 /* , */) {
        i++;
        continue;
      }
      if (c === 93) break;
      return undefined;
    }
    i++; // ']'
    return values.length === 0 ? undefined : numbersNode(start, i, true, values, starts, ends);
  };
  // One level: '[' followed by a number → a vector; by '[' → a list of vectors.
  let j = at + 1;
  while (j < n && WS(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) !== 91 /* [ */) {
    const v = vector();
    return v ? { end: i, node: v, count: v.values.length } : undefined;
  }
  const start = i;
  i++;
  const rows: NumbersNode[] = [];
  let count = 0;
  for (;;) {
    skip();
    if (text.charCodeAt(i) === 93) break;
    if (text.charCodeAt(i) !== 91) return undefined;
    const r = vector();
    if (!r) return undefined;
    rows.push(r);
    count += r.values.length;
    skip();
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      continue;
    }
    if (c === 93) break;
    return undefined;
  }
  i++;
  if (rows.length === 0) return undefined;
  return { end: i, node: { kind: 'seq', start, end: i, flow: true, items: rows }, count };
}

/**
 * Finds plain number lists at flow depth 0 (a candidate may still sit in a block scalar: the
 * caller checks that `yaml` composed a sequence exactly there) and counts the words outside them.
 */
function scanNumberLists(text: string, minNumbers: number): { regions: Region[]; problem?: SyntaxProblem } {
  const regions: Region[] = [];
  const n = text.length;
  let depth = 0;
  let words = 0;
  let prev = 10;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const boundary = WS(prev) || prev === 91 || prev === 123 || prev === 44 || prev === 58;
    if (c === 35 /* # */ && WS(prev)) {
      while (i + 1 < n && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) i++;
    } else if ((c === 34 || c === 39) && boundary) {
      i = closingQuote(text, i);
      words++;
    } else if (c === 91 && depth === 0) {
      const r = readNumberList(text, i);
      if (r && r.count >= minNumbers) {
        regions.push({ start: i, end: r.end, node: r.node });
        i = r.end - 1;
      } else depth++;
    } else if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (!WS(c) && (WS(prev) || prev === 44)) {
      if (++words > MAX_SLOW_WORDS)
        return {
          regions: [],
          problem: {
            span: { start: i, end: i + 1 },
            message: `The file holds more than ${MAX_SLOW_WORDS} values outside plain number lists; write large matrices as [[1, 2], [3, 4]] lists of numbers`,
            code: 'limit',
            severity: 'error',
          },
        };
    }
    prev = text.charCodeAt(i);
  }
  return { regions };
}

/**
 * Replaces each region's inside with spaces (line breaks kept), putting a `0` where each
 * continuation line's first token was, so `yaml` still checks the flow indentation and sees a
 * cheap `[ 0 0 … ]` (one multi-line plain scalar) whose start offset names the pre-read node.
 */
function blankRegions(text: string, regions: readonly Region[]): string {
  const parts: string[] = [];
  let prev = 0;
  for (const r of regions) {
    parts.push(text.slice(prev, r.start + 1));
    // Split keeping the line breaks (odd indices): the first piece is blanked whole, later lines
    // keep their indentation and get a 0 at their first token.
    const pieces = text.slice(r.start + 1, r.end - 1).split(/(\r\n|\r|\n)/);
    for (let k = 0; k < pieces.length; k++) {
      const p = pieces[k];
      if (k % 2 === 1) parts.push(p);
      else if (k === 0) parts.push(' '.repeat(p.length));
      else {
        const indent = /^[ \t]*/.exec(p)?.[0] ?? '';
        const rest = p.length - indent.length;
        parts.push(indent, rest > 0 ? '0' + ' '.repeat(rest - 1) : '');
      }
    }
    parts.push(']');
    prev = r.end;
  }
  parts.push(text.slice(prev));
  return parts.join('');
}

/**
 * Index of the quote that closes the quoted scalar opening at `open` (or text.length):
 * '' escapes a single quote, a backslash escapes the next character in double quotes.
 */
function closingQuote(text: string, open: number): number {
  const q = text.charCodeAt(open), n = text.length;
  let i = open + 1;
  for (; i < n; i++) {
    const d = text.charCodeAt(i);
    if (q === 34 && d === 92) i++;
    else if (d === q) {
      if (q === 39 && text.charCodeAt(i + 1) === 39) i++;
      else break;
    }
  }
  return i;
}
