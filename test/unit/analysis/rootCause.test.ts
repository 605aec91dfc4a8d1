// One edit, many wrong values (issue 11): the values that went wrong through a changed parameter,
// found by the network's structure. Numbers by hand for problem 1 with W²[1][2] changed 2 → 3:
// a¹ = (0, 8, 1) as before, z² = (1·0 + 3·8 − 3·1 + 2, −4) = (23, −4), δ² = z² − t = (21, −7),
// so L = ½(21² + 7²) = 245 (was 109); ∂L/∂W² = δ² a¹ᵀ: row 1 (0, 168, 21) (was 0, 104, 13), row 2
// unchanged; δ¹ = (W²)ᵀ δ² = (1·21 + 2·(−7), 3·21 + 7, −3·21 − 21) = (7, 70, −84) (was −1, 33, −60).
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { baselineOf, cellKey, dependsOn, rootCause } from '../../../src/analysis/rootCause';
import { updatedWeightEdits } from '../../../src/model/weightEdits';
import { example } from '../model/helpers';

const show = (x: number) => String(x);

function run(text: string) {
  const a = analyze(text, { fileName: 'problem1.bp.yaml' });
  if (!a.model || !a.trace) throw new Error(a.diagnostics.map((d) => d.message).join('; '));
  return { ...a, model: a.model, trace: a.trace };
}

/** Which written cells of which values: "W_next²[1][2]" style keys, as the file writes them. */
function names(
  keys: readonly { result: { symbol: string; expectation: { written: string } }; cell: { row: number; col: number } }[],
): string[] {
  return keys.map(({ result: r, cell: c }) =>
    r.expectation.written === 'scalar'
      ? r.symbol
      : r.expectation.written === 'vector'
        ? `${r.symbol}[${c.col + 1}]`
        : `${r.symbol}[${c.row + 1}][${c.col + 1}]`,
  );
}

describe('analysis/rootCause: the values a changed parameter turned wrong', () => {
  const { text } = example('problem1.bp.yaml');
  const before = run(text);
  const base = baselineOf(before.model, before.expectations);
  const W2 = '  - W: [[1, 2, -3], [2, -1, 3]]';
  const edited = text.replace(W2, '  - W: [[1, 3, -3], [2, -1, 3]]');

  it('W²[1][2] 2 → 3: the 27 values that matched and now differ, each through it; z¹, a¹ and z²[2] untouched', () => {
    const after = run(edited);
    const root = rootCause(after.model, after.expectations, base, show);
    assert.ok(root);
    assert.deepEqual(
      root.changed.map((c) => [c.name, c.before, c.after]),
      [['W²[1][2]', 2, 3]],
    );
    // At the literal typed over: the "3" in the edited text.
    assert.equal(edited.slice(root.range.start.offset, root.range.end.offset), '3');
    assert.equal(
      root.message,
      'These 27 hand-derived values depend on W²[1][2], which you changed (2 → 3): they matched before. Recompute them, or put the old value back.',
    );
    assert.deepEqual(names(root.dependents), [
      // layer 1 (the file lists layer 1's block first): δ¹, ∂L/∂W¹ = δ¹ xᵀ, ∂L/∂b¹ = δ¹, W¹' = W¹ − 0.01 ∂L/∂W¹
      'δ¹[1]',
      'δ¹[2]',
      'δ¹[3]',
      '∂L/∂W¹[1][1]',
      '∂L/∂W¹[1][2]',
      '∂L/∂W¹[2][1]',
      '∂L/∂W¹[2][2]',
      '∂L/∂W¹[3][1]',
      '∂L/∂W¹[3][2]',
      '∂L/∂b¹[1]',
      '∂L/∂b¹[2]',
      '∂L/∂b¹[3]',
      "W¹'[1][1]",
      "W¹'[1][2]",
      "W¹'[2][1]",
      "W¹'[2][2]",
      "W¹'[3][1]",
      "W¹'[3][2]",
      // layer 2: only unit 1 moved (z²[2] = −4 and δ²[2] = −7 are unchanged); W²'[1][1] = 1 − 0.01·0 stays.
      'z²[1]',
      'a²[1]',
      'δ²[1]',
      '∂L/∂W²[1][2]',
      '∂L/∂W²[1][3]',
      '∂L/∂b²[1]',
      "W²'[1][2]",
      "W²'[1][3]",
      // the loss
      'L',
    ]);
  });

  it("the notes' own slips are not blamed on the edit: they were wrong before it", () => {
    const after = run(edited);
    const root = rootCause(after.model, after.expectations, base, show)!;
    const slips = before.expectations.flatMap((r) => r.cells.filter((c) => !c.ok).map((c) => cellKey(r, c)));
    assert.equal(slips.length, 3, "W²'[2][2], b²'[1], b²'[2] (b¹' has the wrong shape: no cells)");
    for (const d of root.dependents) assert.ok(!slips.includes(cellKey(d.result, d.cell)));
  });

  it('nothing changed, or nothing went wrong through the change: no root cause', () => {
    assert.equal(rootCause(before.model, before.expectations, base, show), undefined);
    // b²[2] 1 → 1.0: the same number.
    const same = run(text.replace('    b: [2, 1]', '    b: [2, 1.0]'));
    assert.equal(rootCause(same.model, same.expectations, base, show), undefined);
  });

  it('by structure: z^l[i] reads row i of W^l, b^l[i] and every earlier layer; the rest reads everything', () => {
    const at = (quantity: 'z' | 'delta', layer: number, col: number, step = 1) =>
      ({ event: { step, kind: quantity === 'z' ? 'forward' : 'backward', layer }, quantity, row: 0, col }) as const;
    assert.equal(dependsOn(at('z', 2, 0), { layer: 2, param: 'W', i: 0 }), true);
    assert.equal(dependsOn(at('z', 2, 1), { layer: 2, param: 'W', i: 0 }), false);
    assert.equal(dependsOn(at('z', 2, 1), { layer: 1, param: 'b', i: 2 }), true);
    assert.equal(dependsOn(at('z', 1, 0), { layer: 2, param: 'W', i: 0 }), false);
    assert.equal(dependsOn(at('delta', 1, 0), { layer: 2, param: 'W', i: 1 }), true);
    assert.equal(
      dependsOn(at('z', 1, 0, 2), { layer: 2, param: 'W', i: 1 }),
      true,
      'step 2 reads the update of step 1',
    );
  });

  it('Apply Updated Weights: every parameter changed, named by matrix; every value that matched is blamed', () => {
    const plan = updatedWeightEdits(before.model, before.trace, text);
    let applied = text;
    for (const e of [...plan.edits].sort((a, b) => b.range.start.offset - a.range.start.offset))
      applied = applied.slice(0, e.range.start.offset) + e.text + applied.slice(e.range.end.offset);
    const after = run(applied);
    const root = rootCause(after.model, after.expectations, base, show)!;
    // 15 numbers change (editor.commands.test.ts): W¹ 6, b¹ 3, W² 4 (its first column has zero gradient), b² 2.
    assert.equal(root.changed.length, 15);
    assert.match(root.message, /depend on W¹, b¹, W² and b², which changed \(15 numbers\): they matched before/);
    const nowWrong = after.expectations.flatMap((r) => r.cells.filter((c) => !c.ok).map((c) => cellKey(r, c)));
    const wasRight = new Set(base.matched);
    assert.deepEqual(
      root.dependents.map((d) => cellKey(d.result, d.cell)).sort(),
      nowWrong.filter((k) => wasRight.has(k)).sort(),
    );
  });
});
