/**
 * YAML front end: `yaml`'s parseDocument (data only: the core schema, no custom tags run) turned
 * into the shared Node tree. Three guards keep hostile text from hanging or exhausting memory:
 *  - nesting is measured before `yaml` sees the text (its composer recurses; very deep input
 *    overflows the stack, and near that point V8 can even abort);
 *  - aliases are expanded against a budget (billion laughs);
 *  - in large texts, plain number lists (`[[1, 2], [3, 4]]`) are read here from `yaml`'s lexer
 *    tokens and blanked out before composing, since composing costs ~10 µs and ~1 kB per number.
 */
import { Alias, Document, Lexer, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { FrontEndResult, MAX_NESTING, MapEntry, Node, NumbersNode, SyntaxProblem, nodeSize, numbersNode } from './nodes';

/** Values an alias may expand to, in total. */
const ALIAS_BUDGET = 100_000;
/** Block-context depth estimate (indentation + `- ` indicators) above which the text is refused. */
const MAX_BLOCK_DEPTH = 200;
/** Texts at least this long take the number-list fast path. */
const FAST_PATH_MIN_CHARS = 64 * 1024;
/** Scalars outside number lists that a large text may hold. */
const MAX_SLOW_SCALARS = 200_000;
/** A number list is read by the fast path when it has at least this many numbers. */
const FAST_LIST_MIN_NUMBERS = 32;

/** YAML 1.2 core-schema decimal ints and floats: exactly what Number() reads the same way. */
const DECIMAL = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

export function parseYaml(text: string): FrontEndResult {
  const deep = nestingProblem(text);
  if (deep) return { problems: [deep] };

  let source = text;
  let fast = new Map<number, Node>();
  if (text.length >= FAST_PATH_MIN_CHARS) {
    const scan = scanNumberLists(text);
    if (scan.problem) return { problems: [scan.problem] };
    if (scan.regions.length > 0) {
      source = blankRegions(text, scan.regions);
      fast = new Map(scan.regions.map((r) => [r.start, r.node]));
    }
  }

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
  if (doc.errors.length > 0) return { problems };
  if (doc.contents === null) return { problems };

  const conv = new Converter(doc, fast, problems);
  const root = conv.convert(doc.contents, 0, 0);
  return { root, problems };
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

  constructor(
    private readonly doc: Document.Parsed,
    private readonly fast: ReadonlyMap<number, Node>,
    private readonly problems: SyntaxProblem[],
  ) {}

  /** `at` is where an empty value sits (used when `n` is null). */
  convert(n: unknown, at: number, depth: number): Node {
    if (n === null || n === undefined) return { kind: 'scalar', start: at, end: at, value: null, quoted: false };
    if (depth > MAX_NESTING * 4) {
      this.problems.push({ span: { start: at, end: at }, message: 'Nested too deeply', code: 'depth', severity: 'error' });
      return { kind: 'scalar', start: at, end: at, value: null, quoted: false };
    }
    if (isAlias(n)) return this.alias(n, depth);
    if (isScalar(n)) {
      const [start, end] = n.range ?? [at, at, at];
      const v = n.value;
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null)
        return { kind: 'scalar', start, end, value: v, quoted: n.type !== 'PLAIN' && n.type !== undefined };
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
  let prev = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      lineStart = true;
      indent = 0;
      indicators = 0;
      prev = c;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        indent++;
        prev = c;
        continue;
      }
      if ((c === '-' || c === '?' || c === ':') && (text[i + 1] === ' ' || text[i + 1] === '\n' || i + 1 === text.length)) {
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
    const boundary = prev === ' ' || prev === '\t' || prev === '\n' || prev === '\r' || prev === '[' || prev === '{' || prev === ',' || prev === ':';
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n' || prev === '\r')) {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
    } else if ((c === '"' || c === "'") && boundary) {
      // Skip the quoted scalar; '' escapes a single quote, \ escapes in double quotes.
      for (i++; i < text.length; i++) {
        if (c === '"' && text[i] === '\\') i++;
        else if (text[i] === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '[' || c === '{') {
      flow++;
      if (flow > MAX_NESTING)
        return { span: { start: i, end: i + 1 }, message: `Nested more than ${MAX_NESTING} levels deep`, code: 'depth', severity: 'error' };
    } else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
    prev = text[i] ?? c;
  }
  return undefined;
}

interface Region {
  readonly start: number;
  /** Offset just past the closing bracket. */
  readonly end: number;
  readonly node: Node;
}

const ZERO_WIDTH = new Set(['\x02', '\x18', '\x1f']);

/**
 * Finds top-level flow sequences made only of decimal numbers (a vector, or a list of vectors),
 * reading them from `yaml`'s own lexer so quotes, comments and block scalars are respected.
 */
function scanNumberLists(text: string): { regions: Region[]; problem?: SyntaxProblem } {
  const regions: Region[] = [];
  let offset = 0;
  let depth = 0;
  let slowScalars = 0;
  let scalarNext = false;

  // State of the candidate region (only while depth > 0 and it started at depth 0).
  let cand: {
    start: number;
    ok: boolean;
    bracketCol: number;
    atLineStart: boolean;
    rows: { values: number[]; starts: number[]; ends: number[]; start: number; end: number }[];
    top: { values: number[]; starts: number[]; ends: number[] };
    expectItem: boolean;
    kind: 'unknown' | 'numbers' | 'rows';
    count: number;
  } | null = null;

  const lexer = new Lexer();
  for (const tok of lexer.lex(text)) {
    if (tok.length === 1 && ZERO_WIDTH.has(tok)) {
      if (tok === '\x1f') scalarNext = true;
      continue;
    }
    const start = offset;
    offset += tok.length;
    if (!text.startsWith(tok, start)) return { regions: [] }; // lexer tokens not lossless: give up on the fast path
    const isScalar = scalarNext;
    scalarNext = false;

    if (cand) {
      const c = cand;
      if (tok === '\n' || tok === '\r\n' || tok === '\r') {
        c.atLineStart = true;
      } else if (/^[ \t]+$/.test(tok)) {
        // whitespace (indentation is judged at the next token)
      } else {
        if (c.atLineStart) {
          // Continuation lines must sit right of the opening bracket (stricter than YAML; the
          // slow path decides the rest).
          const col = start - lastLineStart(text, start);
          if (col <= c.bracketCol && !(tok === ']' && depth === 1)) c.ok = false;
          c.atLineStart = false;
        }
        if (tok === '[') {
          depth++;
          if (depth > 2 || c.kind === 'numbers' || !c.expectItem) c.ok = false;
          c.kind = 'rows';
          c.expectItem = true;
          c.rows.push({ values: [], starts: [], ends: [], start, end: start });
        } else if (tok === ']') {
          depth--;
          if (depth === 1) {
            const r = c.rows[c.rows.length - 1];
            if (!r || r.values.length === 0) c.ok = false;
            else r.end = offset;
            c.expectItem = false;
          } else if (depth === 0) {
            if (c.ok && c.count >= FAST_LIST_MIN_NUMBERS) {
              const node: Node =
                c.kind === 'numbers'
                  ? numbersNode(c.start, offset, true, c.top.values, c.top.starts, c.top.ends)
                  : {
                      kind: 'seq',
                      start: c.start,
                      end: offset,
                      flow: true,
                      items: c.rows.map((r): NumbersNode => numbersNode(r.start, r.end, true, r.values, r.starts, r.ends)),
                    };
              regions.push({ start: c.start, end: offset, node });
            } else slowScalars += c.count;
            cand = null;
          }
        } else if (tok === ',') {
          if (c.expectItem) c.ok = false;
          c.expectItem = true;
        } else if (isScalar && DECIMAL.test(tok)) {
          if (!c.expectItem) c.ok = false;
          c.expectItem = false;
          c.count++;
          const v = Number(tok);
          if (depth === 1) {
            if (c.kind === 'rows') c.ok = false;
            c.kind = 'numbers';
            c.top.values.push(v);
            c.top.starts.push(start);
            c.top.ends.push(offset);
          } else {
            const r = c.rows[c.rows.length - 1];
            r.values.push(v);
            r.starts.push(start);
            r.ends.push(offset);
          }
        } else {
          c.ok = false;
          if (tok === '{') depth++;
          else if (tok === '}') depth = Math.max(0, depth - 1);
          if (isScalar) slowScalars++;
          if (depth === 0) {
            slowScalars += c.count;
            cand = null;
          }
        }
      }
    } else if (tok === '[' && depth === 0) {
      depth = 1;
      cand = {
        start,
        ok: true,
        bracketCol: start - lastLineStart(text, start),
        atLineStart: false,
        rows: [],
        top: { values: [], starts: [], ends: [] },
        expectItem: true,
        kind: 'unknown',
        count: 0,
      };
    } else {
      if (tok === '[' || tok === '{') depth++;
      else if (tok === ']' || tok === '}') depth = Math.max(0, depth - 1);
      if (isScalar) slowScalars++;
    }
    if (slowScalars > MAX_SLOW_SCALARS)
      return {
        regions: [],
        problem: {
          span: { start, end: offset },
          message: `The file holds more than ${MAX_SLOW_SCALARS} values outside plain number lists; write large matrices as [[1, 2], [3, 4]] lists of numbers`,
          code: 'limit',
          severity: 'error',
        },
      };
  }
  if (offset !== text.length) return { regions: [] };
  return { regions };
}

function lastLineStart(text: string, offset: number): number {
  const n = text.lastIndexOf('\n', offset - 1);
  const r = text.lastIndexOf('\r', offset - 1);
  return Math.max(n, r) + 1;
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
    const inner = text.slice(r.start + 1, r.end - 1);
    let atLineStart = false;
    const chars: string[] = [];
    for (let i = 0; i < inner.length; i++) {
      const ch = inner[i];
      if (ch === '\n' || ch === '\r') {
        chars.push(ch);
        atLineStart = true;
      } else if (atLineStart && ch !== ' ' && ch !== '\t') {
        chars.push('0');
        atLineStart = false;
      } else chars.push(ch === '\t' ? '\t' : ' ');
    }
    parts.push(chars.join(''), ']');
    prev = r.end;
  }
  parts.push(text.slice(prev));
  return parts.join('');
}
