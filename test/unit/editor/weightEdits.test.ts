import assert from 'node:assert/strict';
import { numberText, updatedWeightEdits, TextEdit } from '../../../src/extension/editor/weightEdits';
import { analyze } from '../../../src/analysis/analyze';
import { toRows, transpose } from '../../../src/engine/tensor';
import { PROBLEM1, PROBLEM1_IN_OUT, run } from './fixtures';

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.range.start.offset - a.range.start.offset)
    .reduce((t, e) => t.slice(0, e.range.start.offset) + e.text + t.slice(e.range.end.offset), text);
}

describe('editor: Apply Updated Weights (edits)', () => {
  it('numberText: the shortest text that reads back as the same double', () => {
    // 2 − 0.01·104 is exactly the double nearest 0.96; −1 − 0.01·(−56) is not the one nearest −0.44.
    assert.equal(numberText(2 - 0.01 * 104), '0.96');
    const w = -1 - 0.01 * -56;
    assert.notEqual(w, -0.44);
    assert.equal(numberText(w), '-0.43999999999999995');
    for (const x of [w, 0.1 + 0.2, 1e-7, 1e21, -3.13, 5e-324, 123456789.125]) assert.equal(Number(numberText(x)), x);
    assert.equal(numberText(-0), '0');
    assert.equal(numberText(NaN), undefined);
    assert.equal(numberText(Infinity), undefined);
  });

  it('problem 1: only changed literals are rewritten, comments and layout stay, values are exact', () => {
    const p = run(PROBLEM1);
    const plan = updatedWeightEdits(p.model, p.trace, PROBLEM1);
    assert.deepEqual(plan.skipped, []);
    assert.equal(plan.afterStep, 1);
    const out = applyEdits(PROBLEM1, plan.edits);
    // W²[1][1] (written 1.0) and W²[2][1] (2) get zero gradient (a¹[1] = 0): left as written.
    assert.match(out, /  - W: \[\[1\.0, 0\.96, -3\.13\], \[2, -0\.43999999999999995, 3\.07\]\]   # 1\.0 stays as written/);
    assert.match(out, /  - W: \[\[1\.01, -1\.99\], \[1\.67, 3\.67\], \[-2\.4, 1\.6\]\]   # W¹/);
    assert.match(out, /b: \[1\.87, 1\.07\]/);
    assert.match(out, /^# problem 1\n/);
    // Re-reading the rewritten file gives exactly the traced W′ and b′.
    const again = analyze(out, {});
    const spec = again.model!.spec;
    p.trace.steps[0].update.forEach((u, k) => {
      assert.deepEqual(Array.from(spec.layers[k].W.data), Array.from(u.WNext.data));
      assert.deepEqual(Array.from(spec.layers[k].b), Array.from(u.bNext));
    });
  });

  it('in_out: cells are written in the file\'s own layout', () => {
    const p = run(PROBLEM1_IN_OUT);
    const out = applyEdits(PROBLEM1_IN_OUT, updatedWeightEdits(p.model, p.trace, PROBLEM1_IN_OUT).edits);
    const expected = toRows(transpose(p.trace.steps[0].update[1].WNext)).map((r) => `[${r.map(String).join(', ')}]`).join(', ');
    assert.ok(out.includes(`W: [${expected}]`), out);
  });

  it('after several steps it writes the last step\'s result', () => {
    const p = run(PROBLEM1, 3);
    const plan = updatedWeightEdits(p.model, p.trace, PROBLEM1);
    assert.equal(plan.afterStep, 3);
    const spec = analyze(applyEdits(PROBLEM1, plan.edits), {}).model!.spec;
    assert.deepEqual(Array.from(spec.layers[1].W.data), Array.from(p.trace.steps[2].update[1].WNext.data));
  });

  it('W from init (no literal to rewrite) is reported, not guessed', () => {
    const text = `name: init\ninput: [1, 1]\ntarget: [1]\nseed: 1\nlayers:\n  - units: 1\n    init: xavier_normal\n    activation: identity\nloss: half_sse\noptimizer: {type: sgd, lr: 0.1}\n`;
    const p = run(text);
    const plan = updatedWeightEdits(p.model, p.trace, text);
    assert.equal(plan.edits.length, 0);
    assert.match(plan.skipped.join('\n'), /W of layer 1 .*init: xavier_normal/);
  });
});
