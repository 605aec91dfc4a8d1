// The evaluate language on the notes' problem 1, over a trace built from the notes' own values
// (test/unit/model/helpers: z¹ = (0, 8, 1), z² = (15, −4), L = 109, δ² = (13, −7),
// δ¹ = (−1, 33, −60), W²′ row 2 = (2, −0.44, 3.07)), so nothing here comes from the engine.
// Each expected result is worked out by hand in the comment beside it.
import assert from 'node:assert/strict';
import { evaluate, formatValue, Scope } from '../../../src/debug/expr/evaluate';
import { ExpressionError, parse } from '../../../src/debug/expr/syntax';
import { PositionSpace } from '../../../src/debug/positions';
import { traceSteps } from '../../../src/debug/steps';
import { NotComputedError, Snapshot, Value } from '../../../src/debug/values';
import { TraceEventKind } from '../../../src/engine/trace';
import { problem1Trace } from '../model/helpers';

const source = traceSteps(problem1Trace());
const space = new PositionSpace(source.stepCount, source.layerCount);

/** The scope at an event of step 1 (complete unless `part` says otherwise). */
function at(kind: TraceEventKind, layer: number, part?: number): Scope {
  const index = space.indexOf({ step: 1, kind, layer, part });
  assert.ok(index >= 0, `no position ${kind} ${layer} ${part}`);
  const position = space.at(index);
  return { snapshot: new Snapshot(source, 'out_in', position), layer: kind === 'loss' ? undefined : layer };
}

const flat = (v: Value): number[] => (typeof v === 'number' ? [v] : Array.from(v.data));
function near(v: Value, expected: number[] | number, tol = 1e-12): void {
  const e = typeof expected === 'number' ? [expected] : expected;
  const a = flat(v);
  assert.equal(a.length, e.length, `got ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`);
  a.forEach((x, i) => assert.ok(Math.abs(x - e[i]) <= tol, `[${i}] = ${x}, expected ${e[i]}`));
}
const text = (v: Value) => formatValue(v, (x) => String(Number(x.toPrecision(6))));

describe('debug: the evaluate language on problem 1', () => {
  it('W2 @ a1 + b2 equals z² = (15, −4), a 2 × 1 column in the out_in convention', () => {
    // W² a¹ + b² = [1·0 + 2·8 − 3·1 + 2, 2·0 − 8 + 3 + 1] = [15, −4]
    const v = evaluate('W2 @ a1 + b2', at('forward', 2));
    assert.ok(typeof v !== 'number');
    assert.deepEqual([v.rows, v.cols], [2, 1]);
    near(v, [15, -4]);
    assert.equal(text(v), '[15, -4]');
    near(evaluate('z2 == W2 @ a1 + b2', at('forward', 2)), [1, 1]);
  });

  it('delta1 after backward · layer 1 is (−1, 33, −60), and equals W²ᵀ δ² for identity layers', () => {
    near(evaluate('delta1', at('backward', 1)), [-1, 33, -60]);
    // W²ᵀ δ² = [1·13 + 2·(−7), 2·13 − 1·(−7), −3·13 + 3·(−7)] = [−1, 33, −60]
    near(evaluate("W2' @ delta2", at('backward', 1)), [-1, 33, -60]);
    near(evaluate('T(W2) @ delta2', at('backward', 1)), [-1, 33, -60]);
  });

  it('a name not yet computed says at which event it will be', () => {
    assert.throws(
      () => evaluate('delta1', at('forward', 2)),
      (e: Error) =>
        e instanceof NotComputedError &&
        /^δ¹ is computed at backward · layer 1; the debugger is at forward · layer 2 · step 1$/.test(e.message),
    );
    assert.throws(() => evaluate('loss', at('forward', 2)), /L is computed at loss/);
    // Inside backward · layer 2: δ² is there, ∂L/∂W² is the event's next part.
    near(evaluate('delta2', at('backward', 2, 0)), [13, -7]);
    assert.throws(() => evaluate('dW2', at('backward', 2, 0)), /∂L\/∂W² is computed at backward · layer 2 · ∂L\/∂W/);
    assert.throws(() => evaluate('W2_next', at('backward', 1)), /W²′ is computed at update · layer 2/);
  });

  it('W2_next[2][2] = −0.44 after update · layer 2, indices 1-based as in the notes', () => {
    near(evaluate('W2_next[2][2]', at('update', 2)), -0.44);
    near(evaluate('W2_next[2, 2]', at('update', 2)), -0.44);
    // Row 2 of W² − α ∂L/∂W² = (2, −1, 3) − 0.01 (0, −56, −7) = (2, −0.44, 3.07)
    near(evaluate('(W2 - lr * dW2)[2]', at('update', 2)), [2, -0.44, 3.07], 1e-12);
    near(evaluate('W2_next[2]', at('update', 2)), [2, -0.44, 3.07]);
  });

  it('∂L/∂W² = δ² (a¹)ᵀ = [[0, 104, 13], [0, −56, −7]]', () => {
    near(evaluate('dW2', at('backward', 2)), [0, 104, 13, 0, -56, -7]);
    near(evaluate("delta2 @ a1'", at('backward', 2)), [0, 104, 13, 0, -56, -7]);
    assert.equal(text(evaluate('dW2', at('backward', 2))), '[[0, 104, 13], [0, -56, -7]]');
  });

  it('the loss is ½ Σ (a² − t)² = ½ (13² + 7²) = 109', () => {
    near(evaluate('loss', at('loss', 0)), 109);
    near(evaluate('0.5 * sum((a2 - t)^2)', at('loss', 0)), 109);
    near(evaluate('step', at('loss', 0)), 1);
    near(evaluate('lr', at('loss', 0)), 0.01);
  });

  it('functions: sum mean max min abs norm exp log sigmoid tanh sqrt T', () => {
    const s = at('backward', 1);
    near(evaluate('max(abs(delta1))', s), 60);
    near(evaluate('min(delta1)', s), -60);
    near(evaluate('mean(delta1)', s), -28 / 3); // (−1 + 33 − 60) / 3
    near(evaluate('norm(delta2)', s), Math.sqrt(218)); // √(169 + 49)
    near(evaluate('sum(W1)', s), 3); // 1 − 2 + 2 + 4 − 3 + 1
    near(evaluate('sigmoid(0)', s), 0.5);
    near(evaluate('exp(log(2))', s), 2, 1e-15);
    near(evaluate('sqrt(9) + tanh(0)', s), 3);
    near(evaluate('max(delta2, 0)', s), [13, 0]);
    assert.equal(text(evaluate('T(W1)', s)), '[[1, 2, -3], [-2, 4, 1]]');
  });

  it("bare names mean the stopped event's layer", () => {
    near(evaluate('delta', at('backward', 2)), [13, -7]);
    near(evaluate('max(abs(delta)) > 10', at('backward', 2)), 1); // |13| > 10
    near(evaluate('max(abs(delta)) > 100', at('backward', 2)), 0);
    assert.throws(
      () => evaluate('delta', at('loss', 0)),
      /'delta' needs a layer here \(the loss event has none\): write delta1, delta2/,
    );
  });

  it('operators: precedence, unary minus, power, comparisons, and/or/not', () => {
    const s = at('forward', 1);
    near(evaluate('1 + 2 * 3', s), 7);
    near(evaluate('(1 + 2) * 3', s), 9);
    near(evaluate('-2^2', s), -4);
    near(evaluate('2^-1', s), 0.5);
    near(evaluate('10 / 4 - 1', s), 1.5);
    near(evaluate('1 < 2 and 3 > 4', s), 0);
    near(evaluate('1 < 2 or 3 > 4', s), 1);
    near(evaluate('not 0', s), 1);
    near(evaluate('!(1 == 1)', s), 0);
    near(evaluate('1.5e2 + .5', s), 150.5);
    near(evaluate('W1[3]', s), [-3, 1]);
    near(evaluate('W1[3][1]', s), -3);
    near(evaluate('x[2]', s), 1);
  });

  it('errors are sentences that say what was expected and where', () => {
    const s = at('forward', 1);
    const fails = (expr: string, message: RegExp) => assert.throws(() => evaluate(expr, s), message);
    fails('W1[4]', /index 4 is out of range: the row index goes from 1 to 3 \(indices start at 1\)/);
    fails('W1[0]', /index 0 is out of range/);
    fails('W1[1.5]', /an index is a whole number from 1, got 1.5/);
    fails('W1 @ W1', /cannot multiply 3×2 @ 3×2: 2 columns against 3 rows/);
    fails('W1 + b2', /cannot add 3×2 and 2×1: shapes differ/);
    fails('foo + 1', /unknown name 'foo'; the names are x, t, loss/);
    fails('eval(1)', /unknown function 'eval'; the functions are sum, mean/);
    fails('W1[', /expected a number, a name or '\(' but found the end of the expression \(column 4\)/);
    fails('1 +', /column 4/);
    fails('(1 + 2', /expected '\)' but found the end of the expression/);
    fails('1 2', /unexpected '2' after the expression \(column 3\)/);
    fails('a1 ; x', /unexpected character ";" \(column 4\)/);
    fails('', /the expression is empty/);
    fails('W9', /there is no layer 9: the network has layers 1 to 2/);
    fails('sum(1, 2)', /sum\(\) takes 1 argument, got 2/);
    fails('W1 and 1', /a 3×2 matrix is not true or false/);
    fails('m_W1', /the optimizer \(sgd\) has no state m for W¹/);
    assert.throws(
      () => parse('('.repeat(500) + '1' + ')'.repeat(500)),
      (e: Error) => e instanceof ExpressionError && /nested too deeply/.test(e.message),
    );
    assert.throws(() => parse('1+'.repeat(1500) + '1'), /at most 2000 are allowed/);
  });
});
