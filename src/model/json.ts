/**
 * The JSON front end: `jsonc-parser` reads the text (it keeps going after an error and gives
 * every token's offset); this file builds the shared Node tree from its events and words its
 * errors for people. Comments, trailing commas and duplicate keys are reported and tolerated, so
 * the schema can still be checked; after any other error the tree is not used, and only the first
 * such error is reported (jsonc-parser's recovery would add follow-on errors for the same slip).
 */
import { ParseErrorCode, visit } from 'jsonc-parser';
import { FrontEndResult, MAX_NESTING, MapEntry, Node, Span, SyntaxProblem, numbersNode } from './nodes';

/** What the reader expected where an error happened: it names the error for people. */
type Expecting = 'value' | 'key' | 'colon' | 'separator' | 'end';

interface MapFrame {
  readonly kind: 'map';
  readonly start: number;
  readonly entries: MapEntry[];
  readonly seen: Set<string>;
  /** The key waiting for its value; undefined once a duplicate key's value is to be skipped. */
  key?: { readonly name: string; readonly span: Span } | null;
}

interface SeqFrame {
  readonly kind: 'seq';
  readonly start: number;
  items: Node[];
  /** Numbers are kept compactly while every item so far is a number (weight matrices are big). */
  values: number[];
  starts: number[];
  ends: number[];
}

/** Characters that glue onto a number and make it malformed: 01, 1.5.2, 0x1F, 1e. */
const GLUED = /[0-9A-Za-z_.+-]/;
const WORD = /^[A-Za-z_$][A-Za-z0-9_$]*/;

export function parseJson(text: string): FrontEndResult {
  // A byte order mark is not JSON whitespace to jsonc-parser; a space keeps every offset.
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const problems: SyntaxProblem[] = [];
  const stack: (MapFrame | SeqFrame)[] = [];
  let root: Node | undefined;
  let expecting: Expecting = 'value';
  let hard = false;
  let depthReported = false;
  /** Offset of a comma still waiting for what follows it (a trailing comma when that is a closer). */
  let comma = -1;
  /** Errors starting before this offset belong to a malformed number already reported. */
  let skipUntil = -1;

  const tolerated = (start: number, end: number, message: string, code = 'json-syntax'): void => {
    problems.push({ span: { start, end }, message, code, severity: 'error' });
  };
  const fatal = (start: number, end: number, message: string): void => {
    if (hard) return;
    hard = true;
    problems.push({ span: { start, end: Math.max(start, end) }, message, code: 'json-syntax', severity: 'error' });
  };

  const afterValue = (): void => {
    expecting = stack.length === 0 ? 'end' : 'separator';
  };
  const add = (node: Node): void => {
    afterValue();
    const top = stack[stack.length - 1];
    if (!top) {
      root ??= node;
      return;
    }
    if (top.kind === 'map') {
      if (top.key) top.entries.push({ key: top.key.name, keySpan: top.key.span, value: node });
      top.key = undefined;
      return;
    }
    if (top.values.length > 0) {
      for (let i = 0; i < top.values.length; i++)
        top.items.push({ kind: 'scalar', start: top.starts[i], end: top.ends[i], value: top.values[i], quoted: false });
      top.values = [];
    }
    top.items.push(node);
  };
  const open = (frame: MapFrame | SeqFrame, offset: number): void => {
    comma = -1;
    if (stack.length >= MAX_NESTING && !depthReported) {
      depthReported = true;
      fatal(offset, offset + 1, `Nested more than ${MAX_NESTING} levels deep`);
    }
    stack.push(frame);
  };

  /** A malformed number: the literal and everything glued to it. */
  const badNumber = (start: number): void => {
    let end = start + 1;
    while (end < source.length && GLUED.test(source[end])) end++;
    skipUntil = end;
    fatal(start, end, `Invalid number '${source.slice(start, end)}'`);
  };

  const expected = (top: MapFrame | SeqFrame | undefined): string => {
    switch (expecting) {
      case 'value':
        return 'a value';
      case 'key':
        return 'a key in double quotes';
      case 'colon':
        return "':' after the key";
      case 'end':
        return 'the end of the file after the JSON value';
      case 'separator':
        return top?.kind === 'map' ? "',' or '}'" : "',' or ']'";
    }
  };

  const describeError = (error: ParseErrorCode, offset: number, length: number): void => {
    const top = stack[stack.length - 1];
    const token = source.slice(offset, offset + length);
    const unexpected = (what = expected(top)): void => {
      if (offset >= source.length)
        return fatal(source.length, source.length, `Unexpected end of file: expected ${what}`);
      const word = WORD.exec(token)?.[0];
      if (word) {
        if (word === 'NaN' || word === 'Infinity')
          return fatal(
            offset,
            offset + word.length,
            `${word} is not a JSON number (and the model needs finite numbers)`,
          );
        if (expecting === 'key')
          return fatal(offset, offset + word.length, `Keys must be double-quoted strings in JSON: "${word}"`);
        return fatal(offset, offset + word.length, `Unexpected word '${word}': expected ${what}`);
      }
      const c = source[offset];
      if (c === "'") return fatal(offset, offset + 1, 'Strings must use double quotes in JSON');
      if (c === '+' || c === '.' || c === '-') return badNumber(offset);
      const cp = source.codePointAt(offset) ?? 0;
      return fatal(offset, offset + (cp > 0xffff ? 2 : 1), `Unexpected ${describeChar(cp)}: expected ${what}`);
    };
    switch (error) {
      case ParseErrorCode.InvalidCommentToken:
      case ParseErrorCode.UnexpectedEndOfComment:
        if (token.startsWith('/*') && (token.length < 4 || !token.endsWith('*/')))
          return fatal(offset, source.length, 'Unterminated comment (and comments are not allowed in JSON)');
        return tolerated(offset, offset + length, 'Comments are not allowed in JSON');
      case ParseErrorCode.UnexpectedEndOfNumber:
      case ParseErrorCode.InvalidNumberFormat:
        return badNumber(offset);
      case ParseErrorCode.UnexpectedEndOfString: {
        const after = source.charCodeAt(offset + length);
        if (after === 10 || after === 13)
          return fatal(offset + length, offset + length + 1, `Unescaped ${describeChar(after)} in string`);
        return fatal(offset, offset + length, 'Unterminated string');
      }
      case ParseErrorCode.InvalidCharacter: {
        let i = offset + 1;
        while (i < offset + length && source.charCodeAt(i) >= 32) i++;
        return fatal(i, i + 1, `Unescaped ${describeChar(source.charCodeAt(i))} in string`);
      }
      case ParseErrorCode.InvalidEscapeCharacter:
      case ParseErrorCode.InvalidUnicode: {
        const bad = /\\(?:u(?![0-9a-fA-F]{4})|[^"\\/bfnrtu])/.exec(token);
        const at = offset + (bad?.index ?? 0);
        return fatal(at, Math.min(offset + length, at + 2), 'Invalid escape in string');
      }
      case ParseErrorCode.ValueExpected:
      case ParseErrorCode.PropertyNameExpected:
        if (comma >= 0 && (token === ']' || token === '}')) {
          const at = comma;
          comma = -1;
          // jsonc-parser reports an object's trailing comma twice (no key, no value) at the closer.
          skipUntil = offset + length;
          return tolerated(at, at + 1, 'Trailing comma is not allowed in JSON');
        }
        if (root === undefined && stack.length === 0 && offset >= source.length)
          return fatal(0, 0, 'The file is empty: expected a JSON object');
        return unexpected();
      case ParseErrorCode.CloseBracketExpected:
      case ParseErrorCode.CloseBraceExpected:
        // The container is already closed in the tree: name its closer from the error itself.
        expecting = 'separator';
        return unexpected(error === ParseErrorCode.CloseBracketExpected ? "',' or ']'" : "',' or '}'");
      default:
        return unexpected();
    }
  };

  try {
    visit(
      source,
      {
        onObjectBegin: (offset) => {
          open({ kind: 'map', start: offset, entries: [], seen: new Set() }, offset);
          expecting = 'key';
        },
        onObjectProperty: (name, offset, length) => {
          comma = -1;
          expecting = 'colon';
          const top = stack[stack.length - 1];
          if (top?.kind !== 'map') return;
          if (top.seen.has(name)) {
            tolerated(offset, offset + length, `Duplicate key "${name}"`, 'duplicate-key');
            top.key = null;
          } else {
            top.seen.add(name);
            top.key = { name, span: { start: offset + 1, end: offset + length - 1 } };
          }
        },
        onObjectEnd: (offset, length) => {
          const top = stack.pop();
          if (top?.kind !== 'map') return;
          add({
            kind: 'map',
            start: top.start,
            end: source[offset] === '}' ? offset + length : offset,
            flow: true,
            entries: top.entries,
          });
        },
        onArrayBegin: (offset) => {
          open({ kind: 'seq', start: offset, items: [], values: [], starts: [], ends: [] }, offset);
          expecting = 'value';
        },
        onArrayEnd: (offset, length) => {
          const top = stack.pop();
          if (top?.kind !== 'seq') return;
          const end = source[offset] === ']' ? offset + length : offset;
          add(
            top.items.length === 0 && top.values.length > 0
              ? numbersNode(top.start, end, true, top.values, top.starts, top.ends)
              : { kind: 'seq', start: top.start, end, flow: true, items: top.items },
          );
        },
        onLiteralValue: (value: unknown, offset, length) => {
          comma = -1;
          if (typeof value === 'number' && offset + length < source.length && GLUED.test(source[offset + length]))
            badNumber(offset);
          const top = stack[stack.length - 1];
          if (typeof value === 'number' && top?.kind === 'seq' && top.items.length === 0) {
            top.values.push(value);
            top.starts.push(offset);
            top.ends.push(offset + length);
            afterValue();
            return;
          }
          if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null)
            add({ kind: 'scalar', start: offset, end: offset + length, value, quoted: typeof value === 'string' });
        },
        onSeparator: (character, offset) => {
          if (character === ':') expecting = 'value';
          else {
            comma = offset;
            expecting = stack[stack.length - 1]?.kind === 'map' ? 'key' : 'value';
          }
        },
        onError: (error, offset, length) => {
          if (offset < skipUntil) return;
          describeError(error, offset, length);
        },
      },
      { disallowComments: true, allowTrailingComma: false },
    );
  } catch (e) {
    // jsonc-parser recurses once per level: far past MAX_NESTING the stack runs out.
    if (!(e instanceof RangeError)) throw e;
    if (!hard)
      problems.push({
        span: { start: 0, end: 0 },
        message: 'The file is too complex to read',
        code: 'json-syntax',
        severity: 'error',
      });
    return { problems };
  }
  return hard || root === undefined ? { problems } : { root, problems };
}

function describeChar(cp: number): string {
  if (cp < 32 || cp === 127) return `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(cp)}'`;
}
