import assert from 'node:assert/strict';
import { numberText, updatedWeightEdits, TextEdit } from '../../../src/model/weightEdits';
import { analyze } from '../../../src/analysis/analyze';
import { toRows, transpose } from '../../../src/engine/tensor';
import { PROBLEM1, PROBLEM1_IN_OUT, run } from '../editor/fixtures';

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.range.start.offset - a.range.start.offset)
    .reduce((t, e) => t.slice(0, e.range.start.offset) + e.text + t.slice(e.range.end.offset), text);
}

describe('model/weightEdits: Apply Updated Weights (edits)', () => {
  it('numberText: a clean decimal within a few ulps, else the exact round trip', () => {
    // 2 − 0.01·104 is exactly the double nearest 0.96; −1 − 0.01·(−56) is one ulp off −0.44,
    // which is still what a person wrote and expects to read.
    assert.equal(numberText(2 - 0.01 * 104), '0.96');
    const w = -1 - 0.01 * -56;
    assert.notEqual(w, -0.44);
    assert.equal(numberText(w), '-0.44');
    assert.equal(numberText(0.1 + 0.2), '0.3');
    for (const x of [w, 0.1 + 0.2])
      assert.ok(Math.abs(Number(numberText(x)) - x) <= 1e-15 * Math.abs(x), `${x} → ${numberText(x)}`);
    // Without a clean decimal that close, the text reads back as exactly the same double.
    for (const x of [1e-7, 1e21, -3.13, 5e-324, 123456789.125, Math.PI, 1 / 3, (2 / 3) * 1292, 1.001530485979335])
      assert.equal(Number(numberText(x)), x);
    assert.equal(numberText(Math.PI), '3.141592653589793', 'a value that needs 16 digits keeps them');
    assert.equal(numberText(-0), '0');
    assert.equal(numberText(NaN), undefined);
    assert.equal(numberText(Infinity), undefined);
  });

  it('problem 1: only changed literals are rewritten, comments and layout stay, values within an ulp', () => {
    const p = run(PROBLEM1);
    const plan = updatedWeightEdits(p.model, p.trace, PROBLEM1);
    assert.deepEqual(plan.skipped, []);
    assert.equal(plan.afterStep, 1);
    const out = applyEdits(PROBLEM1, plan.edits);
    // W²[1][1] (written 1.0) and W²[2][1] (2) get zero gradient (a¹[1] = 0): left as written.
    assert.match(out, / {2}- W: \[\[1\.0, 0\.96, -3\.13\], \[2, -0\.44, 3\.07\]\] {3}# 1\.0 stays as written/);
    assert.match(out, / {2}- W: \[\[1\.01, -1\.99\], \[1\.67, 3\.67\], \[-2\.4, 1\.6\]\] {3}# W¹/);
    assert.match(out, /b: \[1\.87, 1\.07\]/);
    assert.match(out, /^# problem 1\n/);
    // Re-reading the rewritten file gives the traced W′ and b′ to within the update's own rounding.
    const again = analyze(out, {});
    const spec = again.model!.spec;
    const near = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Array.from(a).forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= 1e-15 * Math.abs(b[i]), `${x} vs ${b[i]}`));
    p.trace.steps.get(1).update.forEach((u, k) => {
      near(spec.layers[k].W.data, u.WNext.data);
      near(spec.layers[k].b, u.bNext);
    });
  });

  it("in_out: cells are written in the file's own layout", () => {
    const p = run(PROBLEM1_IN_OUT);
    const out = applyEdits(PROBLEM1_IN_OUT, updatedWeightEdits(p.model, p.trace, PROBLEM1_IN_OUT).edits);
    const expected = toRows(transpose(p.trace.steps.get(1).update[1].WNext))
      .map((r) => `[${r.map((x) => numberText(x)).join(', ')}]`)
      .join(', ');
    assert.ok(out.includes(`W: [${expected}]`), out);
  });

  it("after several steps it writes the last step's result", () => {
    const p = run(PROBLEM1, 3);
    const plan = updatedWeightEdits(p.model, p.trace, PROBLEM1);
    assert.equal(plan.afterStep, 3);
    const spec = analyze(applyEdits(PROBLEM1, plan.edits), {}).model!.spec;
    assert.deepEqual(Array.from(spec.layers[1].W.data), Array.from(p.trace.steps.get(3).update[1].WNext.data));
  });

  it('W from init (no literal to rewrite) is reported, not guessed', () => {
    const text = `name: init\ninput: [1, 1]\ntarget: [1]\nseed: 1\nlayers:\n  - units: 1\n    init: xavier_normal\n    activation: identity\nloss: half_sse\noptimizer: {type: sgd, lr: 0.1}\n`;
    const p = run(text);
    const plan = updatedWeightEdits(p.model, p.trace, text);
    assert.equal(plan.edits.length, 0);
    assert.match(plan.skipped.join('\n'), /W of layer 1 .*init: xavier_normal/);
  });
});
