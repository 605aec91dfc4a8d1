// Hand-derived values as written on paper: arithmetic read by our own parser (never eval), its
// value the double the same arithmetic gives in JavaScript, shown back as written.
import assert from 'node:assert/strict';
import { inTheFormOf, readHandNumber, showHand } from '../../../src/model/handNumber';
import { parseModel } from '../../../src/model/parse';
import { checkExpectations } from '../../../src/analysis/expect';
import { train } from '../../../src/engine/run';
import { parse as parseYaml } from 'yaml';
import { P1 } from './helpers';

const value = (t: string) => {
  const r = readHandNumber(t);
  assert.ok('value' in r, `${t}: ${'error' in r ? r.error : ''}`);
  return r.value;
};

describe('model/handNumber: arithmetic in hand-derived values', () => {
  it('reads fractions, products, signs, powers and exponents as JavaScript computes them', () => {
    assert.equal(value('2/3'), 2 / 3);
    assert.equal(value('(2/3)*38'), (2 / 3) * 38);
    assert.equal(value('2/3*38'), (2 / 3) * 38);
    assert.equal(value('-1/3'), -1 / 3);
    assert.equal(value(' ( 2 / 3 ) * -44 '), (2 / 3) * -44);
    assert.equal(value('2^3'), 8);
    assert.equal(value('2^3^2'), 512, 'right-associative');
    assert.equal(value('-2^2'), -4, 'the power binds tighter than the sign');
    assert.equal(value('2^-1'), 0.5);
    assert.equal(value('1.5e-3'), 0.0015);
    assert.equal(value('.5 + 1 - 0.25'), 1.25);
    assert.equal(value('(2/3)·1252'), (2 / 3) * 1252, 'a middle dot, as messages show it');
    assert.equal(value('3 × 4 − 2'), 10, '× and − as typed from a message');
  });
  it('says what is wrong and where (an offset into the text)', () => {
    const err = (t: string) => {
      const r = readHandNumber(t);
      assert.ok('error' in r, t);
      return [r.error, r.at];
    };
    assert.deepEqual(err('(2/3*38'), ['has a `(` that is never closed', 0]);
    assert.deepEqual(err('2/3)'), ['has a `)` that closes nothing', 3]);
    assert.deepEqual(err('2/0'), ['divides by zero', 2]);
    assert.deepEqual(err('2*'), ['ends where a number should follow', 2]);
    assert.deepEqual(err('2 3'), ['needs an operator before `3`', 2]);
    assert.deepEqual(err('2(3)'), ['needs an operator before `(`', 1]);
    assert.deepEqual(err('2 ** 3'), ['has `*` where a number should be', 3]);
    assert.deepEqual(err('10^400'), ['is too large (or undefined) for a number', 0]);
    assert.deepEqual(err('x+1'), ['has `x`: only numbers, + − * / ^ and parentheses are arithmetic', 0]);
    assert.equal(err('('.repeat(60) + '1' + ')'.repeat(60))[0], 'is nested too deeply');
  });
  it('is shown back as written, with · for a product', () => {
    assert.equal(showHand('(2/3) * 1252'), '(2/3)·1252');
    assert.equal(showHand('-1/3'), '-1/3');
  });
  it('writes a computed value in the same form: the factor kept, the number changed', () => {
    assert.equal(inTheFormOf('(2/3)*1252', (2 / 3) * 1292, 1e-6), '(2/3)*1292');
    assert.equal(inTheFormOf('2/3*1252', (2 / 3) * 1292, 1e-6), '2/3*1292');
    assert.equal(inTheFormOf('38*(2/3)', (2 / 3) * 40, 1e-6), '40*(2/3)');
    assert.equal(inTheFormOf('2504/3', 2584 / 3, 1e-6), '2584/3');
    assert.equal(inTheFormOf('(2/3)*-44', (2 / 3) * -46, 1e-6), '(2/3)*-46');
    assert.equal(inTheFormOf('2^3', 9, 1e-6), undefined, 'no number to change');
    assert.equal(inTheFormOf('(2/3)*1252', Math.PI, 1e-12), undefined, 'no short number gives π back');
  });

  describe('in a model file', () => {
    // Problem 1's W²' row 1 is (1, 0.96, −3.13) = W² − 0.01·∂L/∂W² with ∂L/∂W²[1] = (0, 104, 13).
    const withExpect = (block: string, fileName = 'p1.bp.yaml') =>
      parseModel(P1.replace('    b: [2, 1]\n', `    b: [2, 1]\n    expect: ${block}\n`), { fileName });

    it('YAML: arithmetic is checked like the number it stands for, and a wrong one is shown back as written', () => {
      const r = withExpect('{W_next: [[1, 2 - 0.01*104, -3 - 0.01*13], [2, -1 - 0.01*(-6), 3.07]]}');
      assert.ok(r.model, JSON.stringify(r.diagnostics));
      const [res] = checkExpectations(r.model, train(r.model.spec));
      const bad = res.cells.filter((c) => !c.ok);
      // W²'[2][2] = −1 − 0.01·(−56) = −0.44; the slip wrote −56 as −6.
      assert.equal(bad.length, 1);
      assert.equal(bad[0].written, '-1 - 0.01*(-6)');
      const [d] = res.diagnostics();
      assert.match(d.message, /^expected W²'\[2\]\[2\] = -1 - 0\.01·\(-6\) = -0\.94, computed -0\.44 /);
    });
    it('JSON: arithmetic in strings', () => {
      // Problem 1 (P1) as JSON, with ∂L/∂W² written as arithmetic in strings.
      const model = parseYaml(P1) as { layers: Record<string, unknown>[] };
      model.layers[1].expect = {
        dW: [
          ['0', '8*13', '1*13'],
          [0, '8*-7', '-7'],
        ],
      };
      const json = JSON.stringify(model);
      const r = parseModel(json, { fileName: 'p1.bp.json' });
      assert.ok(r.model, JSON.stringify(r.diagnostics));
      const [res] = checkExpectations(r.model, train(r.model.spec));
      assert.ok(res.ok, JSON.stringify(res.diagnostics()));
    });
    it('arithmetic that does not read is an error at the character that stops it; text is a schema error', () => {
      const r = withExpect('{z: [(15, -2^2], a: [15, "four"]}');
      const byCode = (c: string) => r.diagnostics.filter((d) => d.code === c);
      assert.equal(byCode('arithmetic').length, 1);
      assert.equal(byCode('arithmetic')[0].message, 'Arithmetic `(15` has a `(` that is never closed');
      assert.equal(byCode('type').length, 1);
      assert.match(
        byCode('type')[0].message,
        /^a²\[2\] must be a number, or arithmetic of numbers such as \(2\/3\)\*38; got the string "four"$/,
      );
    });
  });
});
