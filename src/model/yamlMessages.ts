/**
 * The yaml library's syntax errors, put where the mistake is and said for a person. yaml reports
 * a missing `]` where it gave up (the next line), in its own terms ("Flow sequence in block
 * collection must be sufficiently indented and end with a ]"); a person wants "this `[` on line
 * 27 is never closed", at that `[`. The errors a broken bracket or quote sets off further down
 * are dropped: they go once it is fixed.
 */
import { SyntaxProblem } from './nodes';

/** One of yaml's errors: its code, offsets and message. */
export interface YamlError {
  readonly code: string;
  readonly pos: readonly [number, number];
  readonly message: string;
}

interface Opener {
  readonly char: '[' | '{' | '"' | "'";
  readonly at: number;
}

/** Where flow brackets and quoted strings open and close, read the way YAML reads them (roughly: enough to place a message). */
interface Structure {
  /** Brackets and quotes still open at the end of the text, outermost first. */
  readonly unclosed: readonly Opener[];
  /** A `]` or `}` that closes nothing. */
  readonly strayCloser?: number;
  /** Per opener offset, where it is closed. */
  readonly closedAt: ReadonlyMap<number, number>;
  /** Openers still open at each offset asked for by `openAt`. */
  openAt(offset: number): readonly Opener[];
}

const CLOSER = { '[': ']', '{': '}' } as const;

function scan(text: string): Structure {
  const stack: Opener[] = [];
  /** Openers a closer of the outer kind skipped over: `{` in `[1, {a: 2]`. */
  const skipped: Opener[] = [];
  const closedAt = new Map<number, number>();
  const spans: { opener: Opener; end: number }[] = [];
  let stray: number | undefined;
  /** Whether a value may start here: after white space, a line start, `[`, `{` or `,`. */
  const atValueStart = (i: number): boolean => {
    const p = i > 0 ? text[i - 1] : '\n';
    return p === ' ' || p === '\t' || p === '\n' || p === '\r' || p === '[' || p === '{' || p === ',';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#' && atValueStart(i)) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if ((c === '"' || c === "'") && atValueStart(i)) {
      const opener: Opener = { char: c, at: i };
      let j = i + 1;
      for (; j < text.length; j++) {
        if (c === '"' && text[j] === '\\') j++;
        else if (text[j] === c) {
          if (c === "'" && text[j + 1] === "'") j++;
          else break;
        }
      }
      if (j >= text.length) {
        stack.push(opener);
        break;
      }
      closedAt.set(i, j);
      i = j + 1;
      continue;
    }
    if ((c === '[' || c === '{') && (stack.length > 0 || atValueStart(i))) stack.push({ char: c, at: i });
    else if ((c === ']' || c === '}') && stack.length > 0) {
      // A closer of the other kind closes nothing here: the opener above it is the one left open.
      const top = stack[stack.length - 1];
      if (top.char !== '"' && top.char !== "'" && CLOSER[top.char] === c) {
        stack.pop();
        closedAt.set(top.at, i);
        spans.push({ opener: top, end: i });
      } else if (stack.some((o) => (o.char === '[' || o.char === '{') && CLOSER[o.char] === c)) {
        // `[1, {a: 2]`: the `{` is never closed; the `]` closes the `[`.
        while (stack.length && stack[stack.length - 1].char !== (c === ']' ? '[' : '{')) {
          const lost = stack.pop()!;
          spans.push({ opener: lost, end: Infinity });
          skipped.push(lost);
        }
        const top2 = stack.pop()!;
        closedAt.set(top2.at, i);
        spans.push({ opener: top2, end: i });
      }
    } else if ((c === ']' || c === '}') && stack.length === 0 && stray === undefined) stray = i;
    i++;
  }
  for (const o of stack) spans.push({ opener: o, end: Infinity });
  return {
    unclosed: [...skipped, ...stack],
    ...(stray !== undefined ? { strayCloser: stray } : {}),
    closedAt,
    openAt: (offset) =>
      spans
        .filter((s) => s.opener.at < offset && s.end >= offset)
        .map((s) => s.opener)
        .sort((a, b) => a.at - b.at),
  };
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The key a line starts with (after any `- ` markers), and its 0-based column. */
function keyOfLine(text: string, start: number): { key: string; column: number } | undefined {
  const end = text.indexOf('\n', start);
  const line = text.slice(start, end < 0 ? text.length : end);
  const m = /^((?:\s*-\s+)*\s*)([^\s#:][^:#]*?)\s*:(\s|$)/.exec(line);
  return m ? { key: m[2], column: m[1].length } : undefined;
}

/** The previous line that holds something (not blank, not only a comment), by its start offset. */
function previousContentLine(text: string, start: number): number | undefined {
  let s = start;
  while (s > 0) {
    s = lineStart(text, s - 1);
    const line = text.slice(s, text.indexOf('\n', s) < 0 ? text.length : text.indexOf('\n', s));
    if (line.trim() !== '' && !line.trim().startsWith('#')) return s;
  }
  return undefined;
}

const quoteWord = (c: string) => (c === '"' ? 'double quote' : c === "'" ? 'single quote' : c);

function never(text: string, o: Opener, before?: number): SyntaxProblem {
  const line = lineOf(text, o.at);
  const what = o.char === '[' || o.char === '{' ? `\`${o.char}\`` : `${quoteWord(o.char)} \`${o.char}\``;
  const closer = o.char === '[' || o.char === '{' ? CLOSER[o.char] : o.char;
  const where =
    before !== undefined && lineOf(text, before) > line
      ? ` (a \`${closer}\` is missing before line ${lineOf(text, before)})`
      : ` (add the closing \`${closer}\`)`;
  return {
    span: { start: o.at, end: o.at + 1 },
    message: `This ${what} on line ${line} is never closed${where}`,
    code: 'yaml-syntax',
    severity: 'error',
  };
}

/** One yaml error in our words, where the mistake is; `cascade` when every later error follows from it. */
function word(e: YamlError, text: string, s: Structure): { problem: SyntaxProblem; cascade?: boolean } {
  const at = (start: number, end: number, message: string): SyntaxProblem => ({
    span: { start, end: Math.max(start, end) },
    message,
    code: 'yaml-syntax',
    severity: 'error',
  });
  const [p0, p1] = e.pos;
  const msg = e.message;

  // A flow collection yaml could not finish: never closed, or continued with too little indentation.
  const flow = /^Flow (sequence|map) in block collection must be sufficiently indented and end with a ([\]}])/.exec(
    msg,
  );
  if (flow) {
    const opener = [...s.openAt(p0)].reverse().find((o) => o.char === (flow[2] === ']' ? '[' : '{'));
    if (opener && !s.closedAt.has(opener.at)) return { problem: never(text, opener, p0), cascade: true };
    if (opener) {
      const ls = lineStart(text, opener.at);
      const owner = keyOfLine(text, ls);
      return {
        problem: at(
          p0,
          p1,
          `The ${flow[1] === 'sequence' ? 'list' : 'mapping'} opened by \`${opener.char}\` on line ${lineOf(text, opener.at)} continues here with too little indentation: indent this line more than ${owner ? `\`${owner.key}\`` : 'the line it starts on'}`,
        ),
        cascade: true,
      };
    }
  }
  if (/^Missing closing ["']quote/.test(msg)) {
    const q = s.unclosed.find((o) => o.char === '"' || o.char === "'");
    if (q) return { problem: never(text, q), cascade: true };
  }
  if (
    /^Unexpected flow-(seq|map)-end token/.test(msg) ||
    (e.code === 'UNEXPECTED_TOKEN' && /^[\]}]$/.test(text[p0] ?? ''))
  )
    return {
      problem: at(
        p0,
        p0 + 1,
        `This \`${text[p0]}\` closes nothing: remove it, or add the \`${text[p0] === ']' ? '[' : '{'}\` it should close`,
      ),
    };
  if (e.code === 'TAB_AS_INDENT')
    return {
      problem: at(p0, p0 + 1, 'A tab indents this line; YAML indents with spaces only: replace the tab with spaces'),
    };
  if (e.code === 'BAD_INDENT' && /^All sequence items must start at the same column/.test(msg)) {
    const ls = lineStart(text, p0);
    const col = text.slice(ls).search(/\S/);
    let above: { line: number; column: number } | undefined;
    for (let s2 = previousContentLine(text, ls); s2 !== undefined && !above; s2 = previousContentLine(text, s2)) {
      const c2 = text.slice(s2).search(/\S/);
      if (text[s2 + c2] === '-') above = { line: lineOf(text, s2), column: c2 };
    }
    return {
      problem: at(
        ls + col,
        ls + col + 1,
        above
          ? `Unexpected indentation: this list item starts at column ${col + 1}, but the item above it (line ${above.line}) at column ${above.column + 1}; the items of one list must line up`
          : 'Unexpected indentation: the items of one list must start at the same column',
      ),
    };
  }
  if (
    (e.code === 'BAD_INDENT' && /must start at the same column/.test(msg)) ||
    /^Sequence item without - indicator/.test(msg)
  ) {
    const ls = lineStart(text, p0);
    const here = keyOfLine(text, ls);
    const prevStart = previousContentLine(text, ls);
    const before = prevStart !== undefined ? keyOfLine(text, prevStart) : undefined;
    const col = text.slice(ls).search(/\S/);
    const thing = 'the keys of one mapping';
    const name = here ? `\`${here.key}\`` : 'This line';
    return {
      problem: at(
        ls + Math.max(0, col),
        ls + Math.max(0, col) + (here?.key.length ?? 1),
        before && here
          ? `Unexpected indentation: ${name} starts at column ${here.column + 1}, but \`${before.key}\` above it at column ${before.column + 1}; ${thing} must line up`
          : `Unexpected indentation: ${thing} must start at the same column`,
      ),
    };
  }
  if (e.code === 'MULTILINE_IMPLICIT_KEY' || /^Implicit map keys need to be followed by map values/.test(msg)) {
    // `target [2, 3]`: a key whose colon is missing; `a:b`: one without a space after it.
    for (let ls = lineStart(text, p0), n = 0; ls < text.length && n < 3; n++) {
      const end = text.indexOf('\n', ls) < 0 ? text.length : text.indexOf('\n', ls);
      const tight = /^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):(?=[^\s:])/.exec(text.slice(ls, end));
      if (tight) {
        const c = ls + tight[1].length + tight[2].length;
        return { problem: at(c, c + 1, `Put a space after this colon: \`${tight[2]}: …\``), cascade: true };
      }
      const m = /^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)(\s+)(?![#:])\S/.exec(text.slice(ls, end));
      if (m && !/:(\s|$)/.test(text.slice(ls, end))) {
        const k = ls + m[1].length;
        return {
          problem: at(k, k + m[2].length, `A colon is missing after \`${m[2]}\`: write \`${m[2]}: …\``),
          cascade: true,
        };
      }
      ls = end + 1;
    }
    return {
      problem: at(
        p0,
        p1,
        /followed by map values/.test(msg)
          ? 'A key needs a colon and a value after it (`key: value`)'
          : 'A key and its colon must be on one line',
      ),
    };
  }
  if (/^Nested mappings are not allowed in compact mappings/.test(msg))
    return {
      problem: at(
        p0,
        p1,
        'A second `key:` on one line: a value cannot itself be `key: value` here; put it on a line of its own, indented (or quote it)',
      ),
    };
  if (e.code === 'DUPLICATE_KEY') {
    const ls = lineStart(text, p0);
    const k = keyOfLine(text, ls)?.key ?? text.slice(p0, p1);
    let first: number | undefined;
    for (let s2 = previousContentLine(text, ls); s2 !== undefined; s2 = previousContentLine(text, s2)) {
      const other = keyOfLine(text, s2);
      if (other?.key === k && other.column === keyOfLine(text, ls)?.column) first = lineOf(text, s2);
    }
    return { problem: at(p0, p1, `\`${k}\` is given twice${first ? ` (first on line ${first})` : ''}: keep one`) };
  }
  const comma = /^Missing , between flow (sequence|map) items/.exec(msg);
  if (comma)
    return {
      problem: at(p0, p1, `A comma is missing before this item of the ${comma[1] === 'sequence' ? 'list' : 'mapping'}`),
    };
  const extra = /^Unexpected , in flow (sequence|map)/.exec(msg);
  if (extra)
    return {
      problem: at(p0, p1, `An extra comma: the ${extra[1] === 'sequence' ? 'list' : 'mapping'} has an empty item here`),
    };
  if (/^Missing space after : in flow/.test(msg)) return { problem: at(p0, p1, 'Put a space after this `:`') };
  if (/^Comments must be separated from other tokens by white space/.test(msg))
    return { problem: at(p0, p1, 'Put a space before this `#` (it starts a comment)') };
  const reserved = /^Plain value cannot start with (?:reserved character )?(.+)$/.exec(msg);
  if (reserved)
    return {
      problem: at(p0, p1, `A value cannot start with ${reserved[1]} unless it is quoted: write "${reserved[1]}…"`),
    };
  return { problem: at(p0, p1, firstLine(msg)) };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}

/** yaml's errors as problems for a person: placed, worded, and without the ones a broken bracket or quote set off. */
export function wordYamlErrors(errors: readonly YamlError[], text: string, max: number): SyntaxProblem[] {
  if (errors.length === 0) return [];
  const s = scan(text);
  const out: SyntaxProblem[] = [];
  const seen = new Set<string>();
  for (const e of [...errors].sort((a, b) => a.pos[0] - b.pos[0])) {
    const { problem, cascade } = word(e, text, s);
    const key = `${problem.span.start}:${problem.message}`;
    if (!seen.has(key)) out.push(problem);
    seen.add(key);
    if (cascade || out.length >= max) break;
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}
