/**
 * A hand-derived value as written on paper: a number, or arithmetic of numbers — `2/3`,
 * `(2/3)*38`, `-1/3`, `2^3`, `1.5e-3` — read by a small parser of our own (never eval), evaluated
 * in double precision, and shown back the way it was written: `(2/3)·1252`, and a computed
 * value in the same form, `(2/3)·1292`.
 *
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*          ('·' and '×' are '*'; '−' is '-')
 *   unary   := ('-' | '+') unary | power
 *   power   := atom ('^' unary)?                    (right-associative: 2^3^2 = 2^9)
 *   atom    := number | '(' sum ')'                 number: 12, 1.5, .5, 1.5e-3
 */

type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'unary'; readonly op: '-' | '+'; readonly arg: Expr; readonly start: number; readonly end: number }
  | {
      readonly kind: 'binary';
      readonly op: '+' | '-' | '*' | '/' | '^';
      readonly left: Expr;
      readonly right: Expr;
      readonly start: number;
      readonly end: number;
    };

export type HandNumber = { readonly value: number } | { readonly error: string; readonly at: number };

/** Longer than any value written by hand: a bound on the work a hostile file can ask for. */
const MAX_LENGTH = 200;
const MAX_DEPTH = 50;
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;

/** Characters arithmetic is written with: a string of only these is meant as arithmetic. */
export const ARITHMETIC_CHARS = /^[-+*/^()·×−.0-9eE\s]+$/;

/** The text with the operators people write (·, ×, −) as the parser reads them; same length. */
function normalise(text: string): string {
  return text.replace(/[·×]/g, '*').replace(/−/g, '-');
}

class ParseError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

function parse(source: string): Expr {
  const text = normalise(source);
  let i = 0;
  let depth = 0;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const peek = (): string => {
    skip();
    return text[i] ?? '';
  };
  const shown = (c: string) => (c === '' ? 'the end' : `\`${source[i] ?? c}\``);
  const deeper = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH) throw new ParseError('is nested too deeply', i);
    try {
      return f();
    } finally {
      depth--;
    }
  };

  const sum = (): Expr => {
    let left = product();
    for (let c = peek(); c === '+' || c === '-'; c = peek()) {
      i++;
      const right = product();
      left = { kind: 'binary', op: c, left, right, start: left.start, end: right.end };
    }
    return left;
  };
  const product = (): Expr => {
    let left = unary();
    for (let c = peek(); c === '*' || c === '/'; c = peek()) {
      i++;
      const right = unary();
      left = { kind: 'binary', op: c, left, right, start: left.start, end: right.end };
    }
    return left;
  };
  const unary = (): Expr => {
    const c = peek();
    if (c === '-' || c === '+') {
      const start = i++;
      const arg = deeper(unary);
      return { kind: 'unary', op: c, arg, start, end: arg.end };
    }
    return power();
  };
  const power = (): Expr => {
    const base = atom();
    if (peek() !== '^') return base;
    i++;
    const exponent = deeper(unary);
    return { kind: 'binary', op: '^', left: base, right: exponent, start: base.start, end: exponent.end };
  };
  const atom = (): Expr => {
    const c = peek();
    const start = i;
    if (c === '(') {
      i++;
      const inner = deeper(sum);
      if (peek() !== ')') throw new ParseError(`has a \`(\` that is never closed`, start);
      i++;
      return { ...inner, start, end: i };
    }
    const m = NUMBER.exec(text.slice(i));
    if (m) {
      i += m[0].length;
      return { kind: 'number', value: Number(m[0]), start, end: i };
    }
    if (c === ')') throw new ParseError('has a `)` that closes nothing', i);
    if (c === '') throw new ParseError(i === 0 ? 'is empty' : 'ends where a number should follow', i);
    if (/[*/^+]/.test(c)) throw new ParseError(`has ${shown(c)} where a number should be`, i);
    throw new ParseError(`has ${shown(c)}: only numbers, + − * / ^ and parentheses are arithmetic`, i);
  };

  if (source.length > MAX_LENGTH)
    throw new ParseError(`is ${source.length} characters long; at most ${MAX_LENGTH} are read`, 0);
  const e = sum();
  const rest = peek();
  if (rest === ')') throw new ParseError('has a `)` that closes nothing', i);
  if (rest !== '') throw new ParseError(`needs an operator before ${shown(rest)}`, i);
  return e;
}

function evaluate(e: Expr): number {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'unary':
      return e.op === '-' ? -evaluate(e.arg) : evaluate(e.arg);
    case 'binary': {
      const a = evaluate(e.left),
        b = evaluate(e.right);
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          if (b === 0) throw new ParseError('divides by zero', e.right.start);
          return a / b;
        case '^':
          return a ** b;
      }
    }
  }
}

/** The value of `text`, or what is wrong with it and where (an offset into `text`). */
export function readHandNumber(text: string): HandNumber {
  try {
    const value = evaluate(parse(text));
    if (!Number.isFinite(value)) return { error: 'is too large (or undefined) for a number', at: 0 };
    return { value };
  } catch (e) {
    if (e instanceof ParseError) return { error: e.message, at: e.at };
    throw e;
  }
}

/** `text` as messages show it: · for a product (no spaces around it), other spacing as written. */
export function showHand(text: string): string {
  return text
    .trim()
    .replace(/\s*[*×·]\s*/g, '·')
    .replace(/\s+/g, ' ');
}

/**
 * `computed` written in the form of `text` when that form has a number to change: a factor times
 * a number (`(2/3)*1252` → `(2/3)*1292`), a number times a factor, or a number over one (`2504/3`
 * → `2584/3`), with the new number as short as `allowed` lets it be. Undefined when there is no
 * such form, or the short number does not give back `computed`.
 */
export function inTheFormOf(text: string, computed: number, allowed: number): string | undefined {
  let e: Expr;
  try {
    e = parse(text);
  } catch {
    return undefined;
  }
  const literal = (x: Expr): boolean =>
    x.kind === 'number' || (x.kind === 'unary' && x.op === '-' && x.arg.kind === 'number');
  if (e.kind !== 'binary' || (e.op !== '*' && e.op !== '/')) return undefined;
  const rewrite = (num: Expr, factor: number, invert: boolean): string | undefined => {
    if (!Number.isFinite(factor) || factor === 0) return undefined;
    const q = invert ? computed * factor : computed / factor;
    // The shortest decimal for q (at most 10 digits) that still gives back `computed`.
    for (let p = 1; p <= 10; p++) {
      const short = Number(q.toPrecision(p));
      const back = invert ? short / factor : short * factor;
      if (Math.abs(back - computed) <= allowed / 2)
        return text.slice(0, num.start) + String(short) + text.slice(num.end);
    }
    return undefined;
  };
  try {
    if (e.op === '*' && literal(e.right)) return rewrite(e.right, evaluate(e.left), false);
    if (e.op === '*' && literal(e.left)) return rewrite(e.left, evaluate(e.right), false);
    if (e.op === '/' && literal(e.left)) return rewrite(e.left, evaluate(e.right), true);
  } catch {
    return undefined;
  }
  return undefined;
}
