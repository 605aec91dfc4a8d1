import assert from 'node:assert/strict';
import { locate } from '../../../src/extension/editor/locate';
import { offsetOf, PROBLEM1, PROBLEM1_IN_OUT, run } from './fixtures';

describe('editor: locate what is under the cursor', () => {
  const p = run(PROBLEM1);
  const W2 = offsetOf(PROBLEM1, 'W: [[1.0, 2, -3]');

  it('a weight literal of W² in out_in: engine (row, col) as written', () => {
    // "W: [[1.0, 2, -3]": the "2" is W²[1][2] (0-based 0, 1).
    const t = locate(p.model, offsetOf(PROBLEM1, '2', 0, W2 + 5));
    assert.deepEqual(t && { kind: t.kind, ...('i' in t ? { layer: t.layer, i: t.i, j: 'j' in t ? t.j : -1 } : {}) }, { kind: 'weight', layer: 2, i: 0, j: 1 });
    assert.equal(PROBLEM1.slice(t!.range.start.offset, t!.range.end.offset), '2');
  });

  it('the last character of a literal still belongs to it (-3)', () => {
    const at = offsetOf(PROBLEM1, '-3', 1, W2);
    const t = locate(p.model, at);
    assert.equal(t?.kind, 'weight');
    assert.equal(PROBLEM1.slice(t!.range.start.offset, t!.range.end.offset), '-3');
  });

  it('in_out: the file\'s W[r][c] is the engine\'s (c, r)', () => {
    const q = run(PROBLEM1_IN_OUT);
    // Layer 2's W: [[1, 2], [2, -1], [-3, 3]]: row 3, column 2 ("3") connects a¹[3] → z²[2].
    const w2 = offsetOf(PROBLEM1_IN_OUT, 'W: [[1, 2], [2, -1]');
    const t = locate(q.model, offsetOf(PROBLEM1_IN_OUT, ' 3]]', 1, w2));
    assert.ok(t && t.kind === 'weight');
    assert.deepEqual([t.layer, t.i, t.j], [2, 1, 2]);
  });

  it('a bias, the W key, the activation, the loss', () => {
    const b = locate(p.model, offsetOf(PROBLEM1, 'b: [1, 2, 3]', 7));
    assert.ok(b && b.kind === 'bias');
    assert.deepEqual([b.layer, b.i], [1, 1]);
    const key = locate(p.model, W2);
    assert.ok(key && key.kind === 'matrix');
    assert.deepEqual([key.layer, key.param], [2, 'W']);
    const act = locate(p.model, offsetOf(PROBLEM1, 'identity', 2, W2));
    assert.ok(act && act.kind === 'activation');
    assert.equal(act.layer, 2);
    assert.equal(locate(p.model, offsetOf(PROBLEM1, 'half_sse', 3))?.kind, 'loss');
    assert.equal(locate(p.model, offsetOf(PROBLEM1, 'loss:', 1))?.kind, 'loss');
  });

  it('a number of an expect value: which expectation, row and column', () => {
    const t = locate(p.model, offsetOf(PROBLEM1, '-0.94', 2));
    assert.ok(t && t.kind === 'expect');
    assert.deepEqual([t.row, t.col], [1, 1]);
    assert.equal(p.model.expectations[t.index].key, 'W_next');
  });

  it('nothing over a comment or the name', () => {
    assert.equal(locate(p.model, offsetOf(PROBLEM1, '# problem', 3)), undefined);
    assert.equal(locate(p.model, offsetOf(PROBLEM1, 'name: p1', 7)), undefined);
  });
});
