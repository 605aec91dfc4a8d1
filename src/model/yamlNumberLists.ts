/**
 * The fast path for large YAML texts: flow lists of plain decimal numbers (`[1, 2]`, `[[1, 2],
 * [3, 4]]`) are read straight from `yaml`'s lexemes into compact NumbersNodes, and the parser is
 * handed an empty `[ ]` of the same length in their place (line breaks and indentation kept, so
 * every offset and every indentation check stays as written). Composing costs ~10 µs and ~1 kB
 * per number; a 784×128 matrix would take a second. Anything unusual in a list (a comment, a
 * quoted or special value, an anchor, an empty item) leaves it to `yaml` as written, and so does
 * a list that is a key (`[1, 2]: x`, `? [1, 2]`) or tagged (`!!omap [...]`).
 */
import { Node, NumbersNode, numbersNode } from './nodes';

/** YAML 1.2 core-schema decimal ints and floats: exactly what Number() reads the same way. */
const DECIMAL = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** A lexeme's width in the text: the lexer's control characters (\x02, \x18, \x1f) take none. */
export function lexemeWidth(lexeme: string): number {
  const c = lexeme.charCodeAt(0);
  return c === 0x02 || c === 0x18 || c === 0x1f ? 0 : lexeme.length;
}

const isSpace = (l: string): boolean => l.charCodeAt(0) === 32 || l.charCodeAt(0) === 9;
/** The lexer's line breaks (an empty lexeme is a line break at the end of input). */
const isNewline = (l: string): boolean => l === '\n' || l === '\r\n' || l === '';

interface Row {
  readonly start: number;
  /** Offset just past the row's `]`, once read. */
  end: number;
  readonly values: number[];
  readonly starts: number[];
  readonly ends: number[];
}

/** A list being read, with its lexemes so far (handed on as written if it is not a plain list). */
interface Candidate {
  readonly start: number;
  /** The lexemes' widths; 0 is the lexer's \x1f (the only zero-width lexeme a plain list holds). Their
   *  text is re-read from the source when needed, so the lexer's strings can be collected young. */
  readonly widths: number[];
  /** Offset of the next lexeme. */
  offset: number;
  /** Level 1 holds numbers (a vector) or rows (a matrix); level 2 is inside a row. */
  level: 1 | 2;
  mode?: 'vector' | 'matrix';
  readonly rows: Row[];
  row?: Row;
  /** After `[` or `,`: an item may follow. */
  expectItem: boolean;
  /** The lexer announces a plain scalar with \x1f: the next lexeme is its text. */
  scalarNext: boolean;
  count: number;
  /** Offset of the closing `]`, once read; then white space is awaited (`]:` makes the list a key). */
  close?: number;
}

/** Sits between the lexer and the parser. `regions` maps each list read here, by its offset, to its node. */
export class NumberListFilter {
  readonly regions = new Map<number, Node>();
  private candidate: Candidate | undefined;
  /** The last lexeme that could make the next `[` a key or give it a tag: `?`, a tag. */
  private lastSignificant = '';

  /** `minNumbers`: shorter lists are not worth it (Infinity turns the fast path off). */
  constructor(
    private readonly text: string,
    private readonly minNumbers: number,
  ) {}

  /** `flowDepth`: the flow depth before this lexeme. Appends what the parser is to read to `out`. */
  push(lexeme: string, offset: number, flowDepth: number, out: string[]): void {
    const c = this.candidate;
    if (!c) return this.idle(lexeme, offset, flowDepth, out);
    const verdict =
      c.close === undefined ? step(c, lexeme) : isSpace(lexeme) ? 'more' : lexeme === ':' ? 'fail' : 'done';
    if (verdict === 'more') {
      c.widths.push(lexemeWidth(lexeme));
      c.offset += lexemeWidth(lexeme);
      return;
    }
    this.candidate = undefined;
    if (verdict === 'fail') {
      this.asWritten(c, out);
      out.push(lexeme);
      this.lastSignificant = lexeme;
      return;
    }
    this.finish(c, out);
    this.idle(lexeme, offset, flowDepth, out);
  }

  /** End of input: a list still open is handed on as written. */
  end(out: string[]): void {
    const c = this.candidate;
    this.candidate = undefined;
    if (c) this.finish(c, out);
  }

  private idle(lexeme: string, offset: number, flowDepth: number, out: string[]): void {
    if (
      lexeme === '[' &&
      flowDepth === 0 &&
      this.minNumbers !== Infinity &&
      this.lastSignificant !== '?' &&
      this.lastSignificant[0] !== '!'
    ) {
      this.candidate = {
        start: offset,
        widths: [1],
        offset: offset + 1,
        level: 1,
        rows: [],
        expectItem: true,
        scalarNext: false,
        count: 0,
      };
      return;
    }
    if (lexemeWidth(lexeme) > 0 && !isSpace(lexeme) && !isNewline(lexeme) && lexeme[0] !== '&')
      this.lastSignificant = lexeme;
    out.push(lexeme);
  }

  /** The lexemes of a list that is not read here, for the parser. */
  private asWritten(c: Candidate, out: string[]): void {
    let offset = c.start;
    for (const w of c.widths) {
      out.push(w === 0 ? '\x1f' : this.text.slice(offset, offset + w));
      offset += w;
    }
  }

  /** A read list: `[`, its line breaks and indentation, spaces for the rest, `]`; else as written. */
  private finish(c: Candidate, out: string[]): void {
    if (c.close === undefined || c.count < this.minNumbers) return this.asWritten(c, out);
    const close = c.close;
    this.regions.set(
      c.start,
      c.mode === 'matrix'
        ? { kind: 'seq', start: c.start, end: close + 1, flow: true, items: c.rows.map(rowNode) }
        : rowNode({ ...c.rows[0], end: close + 1 }),
    );
    out.push('[');
    let offset = c.start + 1;
    let filler = 0;
    let atLineStart = false;
    const text = this.text;
    for (let i = 1; i < c.widths.length; i++) {
      const w = c.widths[i];
      const ch = text.charCodeAt(offset);
      const newline = w > 0 && (ch === 10 || ch === 13);
      if (offset >= close) out.push(text.slice(offset, offset + w));
      else if (newline || (atLineStart && w > 0 && (ch === 32 || ch === 9))) {
        if (filler > 0) out.push(' '.repeat(filler));
        filler = 0;
        out.push(text.slice(offset, offset + w));
        atLineStart = newline;
      } else {
        filler += w;
        atLineStart = false;
      }
      offset += w;
      if (offset === close && filler > 0) {
        out.push(' '.repeat(filler));
        filler = 0;
      }
    }
  }
}

function rowNode(r: Row): NumbersNode {
  return numbersNode(r.start, r.end, true, r.values, r.starts, r.ends);
}

/** One more lexeme of a list: 'more' to keep reading, 'fail' when it is not a plain number list. */
function step(c: Candidate, lexeme: string): 'more' | 'fail' {
  const offset = c.offset;
  if (c.scalarNext) {
    c.scalarNext = false;
    if (!c.expectItem || !DECIMAL.test(lexeme)) return 'fail';
    if (c.level === 1) {
      if (c.mode === 'matrix') return 'fail';
      if (!c.row) {
        c.mode = 'vector';
        c.row = { start: c.start, end: -1, values: [], starts: [], ends: [] };
        c.rows.push(c.row);
      }
    }
    const row = c.row as Row;
    row.values.push(Number(lexeme));
    row.starts.push(offset);
    row.ends.push(offset + lexeme.length);
    c.count++;
    c.expectItem = false;
    return 'more';
  }
  switch (lexeme) {
    case '\x1f':
      c.scalarNext = true;
      return 'more';
    case ',':
      if (c.expectItem) return 'fail';
      c.expectItem = true;
      return 'more';
    case '[':
      if (c.level !== 1 || !c.expectItem || c.mode === 'vector') return 'fail';
      c.mode = 'matrix';
      c.level = 2;
      c.row = { start: offset, end: -1, values: [], starts: [], ends: [] };
      return 'more';
    case ']':
      if (c.level === 2) {
        const row = c.row as Row;
        if (row.values.length === 0) return 'fail';
        row.end = offset + 1;
        c.rows.push(row);
        c.level = 1;
        c.expectItem = false;
        return 'more';
      }
      if (c.count === 0) return 'fail';
      c.close = offset;
      return 'more';
    default:
      // Not '' (the end of input): a width of 0 stands for \x1f when the list is handed on.
      return isSpace(lexeme) || lexeme === '\n' || lexeme === '\r\n' ? 'more' : 'fail';
  }
}
