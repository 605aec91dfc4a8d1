/**
 * Evaluates the evaluate language's syntax tree over the values at the debugger's position.
 * Values are numbers and matrices (vectors are n × 1 or 1 × n, as the file's convention writes
 * them); arithmetic is element-wise with broadcasting of size-1 dimensions, `@` is the matrix
 * product, indices are 1-based as in the notes. Comparisons and and/or/not give 1 or 0.
 */

import { sup } from '../../engine/numberFormat';
import { GlobalKey, LAYER_KEYS, LayerKey, Snapshot, Value } from '../values';
import { ExpressionError, Node, parse } from './syntax';

export interface Scope {
  readonly snapshot: Snapshot;
  /** The layer that bare names (z, delta, W, …) mean: the stopped event's layer, or a breakpoint's. */
  readonly layer?: number;
}

const GLOBALS: Readonly<Record<string, GlobalKey>> = {
  x: 'x',
  t: 't',
  loss: 'loss',
  L: 'loss',
  step: 'step',
  lr: 'lr',
  dL_da: 'dL_da',
  dL_dx: 'dL_dx',
};

export const NAMES_HELP =
  'x, t, loss, step, lr, dL_da, dL_dx and per layer l: zl, al, deltal, sigma_primel, dWl, dbl, Wl, bl, Wl_next, bl_next (e.g. delta2, W1_next)';

export function evaluate(text: string, scope: Scope): Value {
  return evalNode(parse(text), scope);
}

/** Evaluates an expression parsed once (a breakpoint's condition, a logpoint's parts). */
export function evaluateNode(node: Node, scope: Scope): Value {
  return evalNode(node, scope);
}

function evalNode(n: Node, s: Scope): Value {
  switch (n.type) {
    case 'number':
      return n.value;
    case 'name':
      return lookup(n.name, n.at, s);
    case 'unary': {
      const v = evalNode(n.operand, s);
      if (n.op === 'not') return truthy(v, n.at) ? 0 : 1;
      return n.op === '-' ? map(v, (x) => -x) : v;
    }
    case 'transpose':
      return transposeValue(evalNode(n.operand, s));
    case 'index':
      return index(
        evalNode(n.target, s),
        n.indices.map((i) => evalNode(i, s)),
        n.at,
      );
    case 'call':
      return call(
        n.name,
        n.args.map((a) => evalNode(a, s)),
        n.at,
      );
    case 'binary': {
      if (n.op === 'and') return truthy(evalNode(n.left, s), n.at) && truthy(evalNode(n.right, s), n.at) ? 1 : 0;
      if (n.op === 'or') return truthy(evalNode(n.left, s), n.at) || truthy(evalNode(n.right, s), n.at) ? 1 : 0;
      const a = evalNode(n.left, s),
        b = evalNode(n.right, s);
      switch (n.op) {
        case '+':
          return zip(a, b, (x, y) => x + y, '+', n.at);
        case '-':
          return zip(a, b, (x, y) => x - y, '−', n.at);
        case '*':
          return zip(a, b, (x, y) => x * y, '*', n.at);
        case '/':
          return zip(a, b, (x, y) => x / y, '/', n.at);
        case '^':
          return zip(a, b, (x, y) => Math.pow(x, y), '^', n.at);
        case '@':
          return matmul(a, b, n.at);
        case '<':
          return compare(a, b, (x, y) => x < y, n.at);
        case '<=':
          return compare(a, b, (x, y) => x <= y, n.at);
        case '>':
          return compare(a, b, (x, y) => x > y, n.at);
        case '>=':
          return compare(a, b, (x, y) => x >= y, n.at);
        case '==':
          return compare(a, b, (x, y) => x === y, n.at);
        case '!=':
          return compare(a, b, (x, y) => x !== y, n.at);
      }
    }
  }
}

function lookup(name: string, at: number, s: Scope): Value {
  const snap = s.snapshot;
  if (name in GLOBALS) return snap.global(GLOBALS[name]);
  const layered = /^(z|a|sigma_prime|delta|dW|db|W|b)(\d+)(_next)?$/.exec(name);
  if (layered && (!layered[3] || layered[1] === 'W' || layered[1] === 'b')) {
    const key = (layered[3] ? `${layered[1]}_next` : layered[1]) as LayerKey;
    return snap.layer(key, Number(layered[2]));
  }
  if (LAYER_KEYS.has(name)) {
    if (!s.layer)
      throw new ExpressionError(
        `'${name}' needs a layer here (${snap.position.kind === 'loss' ? 'the loss event has none' : 'no layer is current'}): write ${name.replace(/_next$/, '')}1${name.endsWith('_next') ? '_next' : ''}, ${name.replace(/_next$/, '')}2${name.endsWith('_next') ? '_next' : ''}, …`,
        at,
      );
    return snap.layer(name as LayerKey, s.layer);
  }
  const state = /^([A-Za-z]+)_(W|b)(\d+)$/.exec(name);
  if (state) {
    const l = Number(state[3]);
    const m = snap.optimizerState(l).get(`${state[1]}_${state[2]}`);
    if (m) return m;
    throw new ExpressionError(
      `${name}: the optimizer (${snap.source.optimizer.type}) has no state ${state[1]} for ${state[2]}${sup(l)} at this point`,
      at,
    );
  }
  throw new ExpressionError(`unknown name '${name}'; the names are ${NAMES_HELP}`, at);
}

const FUNCTIONS: Readonly<Record<string, string>> = {
  sum: 'sum of all entries',
  mean: 'mean of all entries',
  max: 'largest entry (or element-wise of two)',
  min: 'smallest entry (or element-wise of two)',
  abs: '|x| element-wise',
  norm: 'Euclidean (Frobenius) norm',
  exp: 'eˣ element-wise',
  log: 'natural log element-wise',
  sigmoid: '1/(1+e⁻ˣ) element-wise',
  tanh: 'tanh element-wise',
  sqrt: '√x element-wise',
  T: 'transpose',
};

function call(name: string, args: Value[], at: number): Value {
  if (!(name in FUNCTIONS))
    throw new ExpressionError(`unknown function '${name}'; the functions are ${Object.keys(FUNCTIONS).join(', ')}`, at);
  const arity = (n: number) => {
    if (args.length !== n)
      throw new ExpressionError(`${name}() takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`, at);
  };
  if ((name === 'max' || name === 'min') && args.length === 2) {
    return zip(args[0], args[1], name === 'max' ? Math.max : Math.min, name, at);
  }
  arity(1);
  const v = args[0];
  const all = typeof v === 'number' ? [v] : Array.from(v.data);
  switch (name) {
    case 'sum':
      return all.reduce((p, x) => p + x, 0);
    case 'mean':
      return all.reduce((p, x) => p + x, 0) / all.length;
    case 'max':
      return all.reduce((p, x) => (x > p || Number.isNaN(x) ? x : p), -Infinity);
    case 'min':
      return all.reduce((p, x) => (x < p || Number.isNaN(x) ? x : p), Infinity);
    case 'norm':
      return Math.sqrt(all.reduce((p, x) => p + x * x, 0));
    case 'abs':
      return map(v, Math.abs);
    case 'exp':
      return map(v, Math.exp);
    case 'log':
      return map(v, Math.log);
    case 'sqrt':
      return map(v, Math.sqrt);
    case 'tanh':
      return map(v, Math.tanh);
    case 'sigmoid':
      return map(v, (x) => 1 / (1 + Math.exp(-x)));
    default:
      return transposeValue(v);
  }
}

export function shapeOf(v: Value): string {
  return typeof v === 'number' ? 'a number' : `${v.rows}×${v.cols}`;
}

function map(v: Value, f: (x: number) => number): Value {
  if (typeof v === 'number') return f(v);
  const out = new Float64Array(v.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(v.data[i]);
  return { rows: v.rows, cols: v.cols, data: out };
}

/** Element-wise with broadcasting: numbers everywhere, and any dimension of size 1. */
function zip(a: Value, b: Value, f: (x: number, y: number) => number, op: string, at: number): Value {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const A = typeof a === 'number' ? { rows: 1, cols: 1, data: new Float64Array([a]) } : a;
  const B = typeof b === 'number' ? { rows: 1, cols: 1, data: new Float64Array([b]) } : b;
  const rows = broadcast(A.rows, B.rows),
    cols = broadcast(A.cols, B.cols);
  if (rows < 0 || cols < 0)
    throw new ExpressionError(
      `cannot ${op === '+' ? 'add' : op === '−' ? 'subtract' : `apply ${op} to`} ${shapeOf(a)} and ${shapeOf(b)}: shapes differ`,
      at,
    );
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      out[i * cols + j] = f(
        A.data[(A.rows === 1 ? 0 : i) * A.cols + (A.cols === 1 ? 0 : j)],
        B.data[(B.rows === 1 ? 0 : i) * B.cols + (B.cols === 1 ? 0 : j)],
      );
    }
  }
  return { rows, cols, data: out };
}

function broadcast(m: number, n: number): number {
  return m === n ? m : m === 1 ? n : n === 1 ? m : -1;
}

function compare(a: Value, b: Value, f: (x: number, y: number) => boolean, at: number): Value {
  return zip(a, b, (x, y) => (f(x, y) ? 1 : 0), 'a comparison', at);
}

export function truthy(v: Value, at: number): boolean {
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (v.data.length === 1) return v.data[0] !== 0 && !Number.isNaN(v.data[0]);
  throw new ExpressionError(`a ${shapeOf(v)} matrix is not true or false: compare a number, e.g. max(abs(…)) > 1`, at);
}

function matmul(a: Value, b: Value, at: number): Value {
  if (typeof a === 'number' || typeof b === 'number')
    throw new ExpressionError(`@ multiplies matrices; for a number use *`, at);
  if (a.cols !== b.rows)
    throw new ExpressionError(
      `cannot multiply ${shapeOf(a)} @ ${shapeOf(b)}: ${a.cols} columns against ${b.rows} rows`,
      at,
    );
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const x = a.data[i * a.cols + k];
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j] += x * b.data[k * b.cols + j];
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

function transposeValue(v: Value): Value {
  if (typeof v === 'number') return v;
  const out = new Float64Array(v.data.length);
  for (let i = 0; i < v.rows; i++) for (let j = 0; j < v.cols; j++) out[j * v.rows + i] = v.data[i * v.cols + j];
  return { rows: v.cols, cols: v.rows, data: out };
}

/**
 * 1-based indexing: a vector's [i] is its entry; a matrix's [i] is row i (a 1 × n vector) and
 * [i][j] or [i, j] its entry.
 */
function index(v: Value, idx: Value[], at: number): Value {
  if (typeof v === 'number') throw new ExpressionError('a number has no entries to index', at);
  const ints = idx.map((x) => {
    if (typeof x !== 'number' || !Number.isInteger(x))
      throw new ExpressionError(
        `an index is a whole number from 1, got ${typeof x === 'number' ? x : `a ${shapeOf(x)} matrix`}`,
        at,
      );
    return x;
  });
  const check = (i: number, n: number, what: string) => {
    if (i < 1 || i > n)
      throw new ExpressionError(`index ${i} is out of range: the ${what} goes from 1 to ${n} (indices start at 1)`, at);
  };
  if (ints.length === 2) {
    check(ints[0], v.rows, 'row index');
    check(ints[1], v.cols, 'column index');
    return v.data[(ints[0] - 1) * v.cols + ints[1] - 1];
  }
  const i = ints[0];
  if (v.rows === 1 || v.cols === 1) {
    check(i, v.data.length, 'vector');
    return v.data[i - 1];
  }
  check(i, v.rows, 'row index');
  return { rows: 1, cols: v.cols, data: v.data.slice((i - 1) * v.cols, i * v.cols) };
}

/** A value as text: a number; a vector as [x, y]; a matrix as its rows [[…], […]]. */
export function formatValue(v: Value, num: (x: number) => string): string {
  if (typeof v === 'number') return num(v);
  const row = (i: number) => `[${Array.from(v.data.subarray(i * v.cols, (i + 1) * v.cols), num).join(', ')}]`;
  if (v.rows === 1 || v.cols === 1) return `[${Array.from(v.data, num).join(', ')}]`;
  return `[${Array.from({ length: v.rows }, (_, i) => row(i)).join(', ')}]`;
}
