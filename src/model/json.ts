/**
 * A strict JSON (RFC 8259) reader producing the shared Node tree with offsets. `yaml` would
 * accept trailing commas, comments and single quotes in flow style, so .bp.json gets its own
 * reader. Trailing commas, comments and duplicate keys are reported and skipped so the schema
 * can still be checked; anything else stops the reader at the first error.
 */
import { FrontEndResult, MAX_NESTING, MapEntry, Node, SeqNode, Span, SyntaxProblem, numbersNode } from './nodes';

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;

class Fatal extends Error {}

export function parseJson(text: string): FrontEndResult {
  const problems: SyntaxProblem[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (start: number, end: number, message: string): never => {
    problems.push({ span: { start, end: Math.max(start, end) }, message, code: 'json-syntax', severity: 'error' });
    throw new Fatal(message);
  };
  const report = (start: number, end: number, message: string, code = 'json-syntax'): void => {
    problems.push({ span: { start, end }, message, code, severity: 'error' });
  };

  /** Skips whitespace, reporting (and skipping) comments. */
  const skip = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else if (c === 47 /* / */ && text.charCodeAt(pos + 1) === 47) {
        const s = pos;
        while (pos < text.length && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
        report(s, pos, 'Comments are not allowed in JSON');
      } else if (c === 47 && text.charCodeAt(pos + 1) === 42 /* * */) {
        const s = pos;
        const e = text.indexOf('*/', pos + 2);
        if (e < 0) fail(s, text.length, 'Unterminated comment (and comments are not allowed in JSON)');
        pos = e + 2;
        report(s, pos, 'Comments are not allowed in JSON');
      } else return;
    }
  };

  const describeAt = (p: number): string => {
    if (p >= text.length) return 'end of file';
    const cp = text.codePointAt(p) ?? 0;
    if (cp < 32 || cp === 127) return `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    return `'${String.fromCodePoint(cp)}'`;
  };

  const unexpected = (expected: string): never => {
    if (pos >= text.length) return fail(text.length, text.length, `Unexpected end of file: expected ${expected}`);
    const c = text[pos];
    if (c === "'") return fail(pos, pos + 1, 'Strings must use double quotes in JSON');
    WORD.lastIndex = pos;
    const w = WORD.exec(text);
    if (w) {
      const word = w[0];
      const hint =
        word === 'NaN' || word === 'Infinity'
          ? `${word} is not a JSON number (and the model needs finite numbers)`
          : expected.includes('key')
            ? `Keys must be double-quoted strings in JSON: "${word}"`
            : `Unexpected word '${word}': expected ${expected}`;
      return fail(pos, pos + word.length, hint);
    }
    const len = (text.codePointAt(pos) ?? 0) > 0xffff ? 2 : 1;
    return fail(pos, pos + len, `Unexpected ${describeAt(pos)}: expected ${expected}`);
  };

  const readString = (): { value: string; span: Span } => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    let chunk = pos;
    for (;;) {
      if (pos >= text.length) fail(start, text.length, 'Unterminated string');
      const c = text.charCodeAt(pos);
      if (c === 34) {
        out += text.slice(chunk, pos);
        pos++;
        return { value: out, span: { start, end: pos } };
      }
      if (c < 32) fail(pos, pos + 1, `Unescaped ${describeAt(pos)} in string`);
      if (c === 92) {
        out += text.slice(chunk, pos);
        const e = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          pos += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else fail(pos, Math.min(text.length, pos + 2), 'Invalid escape in string');
        chunk = pos;
      } else pos++;
    }
  };

  const readNumber = (): { value: number; span: Span } => {
    const start = pos;
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    let end = m ? pos + m[0].length : pos;
    // A number glued to more number-ish characters (01, 1., .5, 1e, 0x1F, +1) is malformed.
    let bad = !m;
    while (end < text.length && /[0-9A-Za-z_.+\-]/.test(text[end])) {
      bad = true;
      end++;
    }
    if (bad) fail(start, Math.max(end, start + 1), `Invalid number '${text.slice(start, Math.max(end, start + 1))}'`);
    pos = end;
    return { value: Number(text.slice(start, end)), span: { start, end } };
  };

  const readValue = (depth: number): Node => {
    skip();
    const c = text[pos];
    if (c === '{') return readObject(depth + 1);
    if (c === '[') return readArray(depth + 1);
    if (c === '"') {
      const s = readString();
      return { kind: 'scalar', start: s.span.start, end: s.span.end, value: s.value, quoted: true };
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const n = readNumber();
      return { kind: 'scalar', start: n.span.start, end: n.span.end, value: n.value, quoted: false };
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos) && !/[A-Za-z0-9_$]/.test(text[pos + word.length] ?? '')) {
        const s = pos;
        pos += word.length;
        return { kind: 'scalar', start: s, end: pos, value, quoted: false };
      }
    }
    if (c === '+' || c === '.') {
      const s = pos;
      while (pos < text.length && /[0-9A-Za-z_.+\-]/.test(text[pos])) pos++;
      return fail(s, pos, `Invalid number '${text.slice(s, pos)}'`);
    }
    return unexpected('a value');
  };

  const readArray = (depth: number): Node => {
    const start = pos;
    if (depth > MAX_NESTING) fail(start, start + 1, `Nested more than ${MAX_NESTING} levels deep`);
    pos++;
    // Numbers are collected compactly until something that is not a number shows up.
    const values: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const items: Node[] = [];
    skip();
    if (text[pos] === ']') {
      pos++;
      return { kind: 'seq', start, end: pos, flow: true, items: [] };
    }
    for (;;) {
      skip();
      const c = text[pos];
      if (items.length === 0 && (c === '-' || (c !== undefined && c >= '0' && c <= '9'))) {
        const n = readNumber();
        values.push(n.value);
        starts.push(n.span.start);
        ends.push(n.span.end);
      } else {
        if (values.length > 0 && items.length === 0) {
          for (let i = 0; i < values.length; i++)
            items.push({ kind: 'scalar', start: starts[i], end: ends[i], value: values[i], quoted: false });
        }
        items.push(readValue(depth));
      }
      skip();
      if (text[pos] === ',') {
        const comma = pos;
        pos++;
        skip();
        if (text[pos] === ']') {
          report(comma, comma + 1, 'Trailing comma is not allowed in JSON');
          pos++;
          break;
        }
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        break;
      }
      unexpected("',' or ']'");
    }
    if (items.length === 0) return numbersNode(start, pos, true, values, starts, ends);
    const seq: SeqNode = { kind: 'seq', start, end: pos, flow: true, items };
    return seq;
  };

  const readObject = (depth: number): Node => {
    const start = pos;
    if (depth > MAX_NESTING) fail(start, start + 1, `Nested more than ${MAX_NESTING} levels deep`);
    pos++;
    const entries: MapEntry[] = [];
    const seen = new Set<string>();
    skip();
    if (text[pos] === '}') {
      pos++;
      return { kind: 'map', start, end: pos, flow: true, entries };
    }
    for (;;) {
      skip();
      if (text[pos] !== '"') unexpected('a key in double quotes');
      const key = readString();
      skip();
      if (text[pos] !== ':') unexpected("':' after the key");
      pos++;
      const value = readValue(depth);
      if (seen.has(key.value)) report(key.span.start, key.span.end, `Duplicate key "${key.value}"`, 'duplicate-key');
      else {
        seen.add(key.value);
        entries.push({ key: key.value, keySpan: { start: key.span.start + 1, end: key.span.end - 1 }, value });
      }
      skip();
      if (text[pos] === ',') {
        const comma = pos;
        pos++;
        skip();
        if (text[pos] === '}') {
          report(comma, comma + 1, 'Trailing comma is not allowed in JSON');
          pos++;
          break;
        }
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        break;
      }
      unexpected("',' or '}'");
    }
    return { kind: 'map', start, end: pos, flow: true, entries };
  };

  try {
    skip();
    if (pos >= text.length) {
      fail(0, 0, 'The file is empty: expected a JSON object');
    }
    const root = readValue(0);
    skip();
    if (pos < text.length) unexpected('the end of the file after the JSON value');
    return { root, problems };
  } catch (e) {
    if (e instanceof Fatal) return { problems };
    if (e instanceof RangeError) {
      problems.push({ span: { start: 0, end: 0 }, message: 'The file is too complex to read', code: 'json-syntax', severity: 'error' });
      return { problems };
    }
    throw e;
  }
}
