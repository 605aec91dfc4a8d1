/**
 * The evaluate language's tokens and syntax tree: a small expression grammar of our own,
 * parsed by recursive descent (never JavaScript's eval or Function). Errors name the column.
 *
 *   or   := and (('or' | '||') and)*          cmp  := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)?
 *   and  := not (('and' | '&&') not)*         sum  := prod (('+' | '-') prod)*
 *   not  := ('not' | '!') not | cmp            prod := unary (('*' | '/' | '@') unary)*
 *   unary := ('-' | '+') unary | power         power := postfix ('^' unary)?
 *   postfix := primary ('[' or (',' or)? ']' | "'")*
 *   primary := number | name | name '(' (or (',' or)*)? ')' | '(' or ')'
 */

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly column?: number,
  ) {
    super(column === undefined ? message : `${message} (column ${column})`);
  }
}

export type Node =
  | { readonly type: 'number'; readonly value: number; readonly at: number }
  | { readonly type: 'name'; readonly name: string; readonly at: number }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Node[]; readonly at: number }
  | { readonly type: 'unary'; readonly op: '-' | '+' | 'not'; readonly operand: Node; readonly at: number }
  | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Node; readonly right: Node; readonly at: number }
  | { readonly type: 'index'; readonly target: Node; readonly indices: readonly Node[]; readonly at: number }
  | { readonly type: 'transpose'; readonly operand: Node; readonly at: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '@' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';

interface Token {
  readonly kind: 'number' | 'name' | 'op' | 'end';
  readonly text: string;
  readonly at: number;
}

const OPERATORS = [
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '@',
  '^',
  '<',
  '>',
  '!',
  '(',
  ')',
  '[',
  ']',
  ',',
  "'",
  '′',
];

/** Longest expressions we parse: a condition or a watch, not a program. */
const MAX_LENGTH = 2000;

export function tokenize(text: string): Token[] {
  if (text.length > MAX_LENGTH)
    throw new ExpressionError(`the expression is ${text.length} characters long; at most ${MAX_LENGTH} are allowed`);
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const col = i + 1;
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ kind: 'number', text: num[0], at: col });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      out.push({ kind: 'name', text: name[0], at: col });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected character ${JSON.stringify(c)}`, col);
    out.push({ kind: 'op', text: op === '′' ? "'" : op, at: col });
    i += op.length;
  }
  out.push({ kind: 'end', text: '', at: text.length + 1 });
  return out;
}

export function parse(text: string): Node {
  const tokens = tokenize(text);
  if (tokens.length === 1) throw new ExpressionError('the expression is empty');
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos];
  const isOp = (...ops: string[]) => peek().kind === 'op' && ops.includes(peek().text);
  const isWord = (...words: string[]) => peek().kind === 'name' && words.includes(peek().text);
  const expect = (op: string) => {
    if (!isOp(op)) throw new ExpressionError(`expected '${op}' but found ${describe(peek())}`, peek().at);
    pos++;
  };
  const nested = <T>(f: () => T): T => {
    // Deep nesting would overflow the stack; no sensible expression needs this much.
    if (++depth > 200) throw new ExpressionError('the expression is nested too deeply', peek().at);
    try {
      return f();
    } finally {
      depth--;
    }
  };

  const or = (): Node =>
    nested(() => {
      let left = and();
      while (isOp('||') || isWord('or')) {
        const at = tokens[pos++].at;
        left = { type: 'binary', op: 'or', left, right: and(), at };
      }
      return left;
    });
  const and = (): Node => {
    let left = not();
    while (isOp('&&') || isWord('and')) {
      const at = tokens[pos++].at;
      left = { type: 'binary', op: 'and', left, right: not(), at };
    }
    return left;
  };
  const not = (): Node => {
    if (isOp('!') || isWord('not')) {
      const at = tokens[pos++].at;
      return nested(() => ({ type: 'unary', op: 'not', operand: not(), at }));
    }
    return cmp();
  };
  const cmp = (): Node => {
    const left = sum();
    if (isOp('<', '<=', '>', '>=', '==', '!=')) {
      const t = tokens[pos++];
      return { type: 'binary', op: t.text as BinaryOp, left, right: sum(), at: t.at };
    }
    return left;
  };
  const sum = (): Node => {
    let left = prod();
    while (isOp('+', '-')) {
      const t = tokens[pos++];
      left = { type: 'binary', op: t.text as BinaryOp, left, right: prod(), at: t.at };
    }
    return left;
  };
  const prod = (): Node => {
    let left = unary();
    while (isOp('*', '/', '@')) {
      const t = tokens[pos++];
      left = { type: 'binary', op: t.text as BinaryOp, left, right: unary(), at: t.at };
    }
    return left;
  };
  const unary = (): Node => {
    if (isOp('-', '+')) {
      const t = tokens[pos++];
      return nested(() => ({ type: 'unary', op: t.text as '-' | '+', operand: unary(), at: t.at }));
    }
    return power();
  };
  const power = (): Node => {
    const base = postfix();
    if (isOp('^')) {
      const t = tokens[pos++];
      return nested(() => ({ type: 'binary', op: '^', left: base, right: unary(), at: t.at }));
    }
    return base;
  };
  const postfix = (): Node => {
    let node = primary();
    for (;;) {
      if (isOp('[')) {
        const at = tokens[pos++].at;
        const indices = [or()];
        if (isOp(',')) {
          pos++;
          indices.push(or());
        }
        expect(']');
        node = { type: 'index', target: node, indices, at };
      } else if (isOp("'")) {
        node = { type: 'transpose', operand: node, at: tokens[pos++].at };
      } else {
        return node;
      }
    }
  };
  const primary = (): Node => {
    const t = peek();
    if (t.kind === 'number') {
      pos++;
      return { type: 'number', value: Number(t.text), at: t.at };
    }
    if (t.kind === 'name') {
      pos++;
      if (!isOp('(')) return { type: 'name', name: t.text, at: t.at };
      pos++;
      const args: Node[] = [];
      if (!isOp(')')) {
        args.push(or());
        while (isOp(',')) {
          pos++;
          args.push(or());
        }
      }
      expect(')');
      return { type: 'call', name: t.text, args, at: t.at };
    }
    if (isOp('(')) {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    throw new ExpressionError(`expected a number, a name or '(' but found ${describe(t)}`, t.at);
  };

  const node = or();
  if (peek().kind !== 'end')
    throw new ExpressionError(`unexpected ${describe(peek())} after the expression`, peek().at);
  return node;
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the expression' : `'${t.text}'`;
}
