// Equations with the numbers substituted, checked against lines written out by hand from the
// notes' problem 1 (z² = W² a¹ + b² = … = (15, −4), and so on).
import assert from 'node:assert/strict';
import { train } from '../../../src/engine/run';
import { equationsFor } from '../../../src/report/equations';
import { TraceEvent } from '../../../src/engine/trace';
import { layer, net, problem1 } from '../engine/helpers';

const p1 = (optimizer = { type: 'sgd', lr: 0.01 } as const) => train(problem1(undefined, undefined, { optimizer }));
const ev = (kind: TraceEvent['kind'], layerNo: number): TraceEvent => ({ step: 1, kind, layer: layerNo });
const text = (t: ReturnType<typeof p1>, e: TraceEvent, convention: 'out_in' | 'in_out' = 'out_in') =>
  equationsFor(t, e, { convention }).lines.map((l) => l.text);

describe('equations', () => {
  const t = p1();
  it('forward: z² = W² a¹ + b² with the numbers, then a² = σ(z²)', () => {
    assert.deepEqual(text(t, ev('forward', 2)), [
      'z² = W² a¹ + b² = [[1, 2, -3], [2, -1, 3]] (0, 8, 1) + (2, 1) = (15, -4)',
      'a² = σ(z²) = identity((15, -4)) = (15, -4)',
    ]);
  });
  it('loss: L = ½ Σ (a² − t)² = 109 and ∂L/∂a² = a² − t = (13, −7)', () => {
    assert.deepEqual(text(t, ev('loss', 0)), [
      'L = ½ Σ (a² − t)² = ½ Σ ((15, -4) − (2, 3))² = 109',
      '∂L/∂a² = a² − t = (13, -7)',
    ]);
  });
  it("backward 1: δ¹ = (W²)ᵀ δ² ⊙ σ'(z¹), ∂L/∂W¹ = δ¹ (a⁰)ᵀ, ∂L/∂b¹, ∂L/∂x", () => {
    assert.deepEqual(text(t, ev('backward', 1)), [
      "δ¹ = (W²)ᵀ δ² ⊙ σ'(z¹) = [[1, 2], [2, -1], [-3, 3]] (13, -7) ⊙ (1, 1, 1) = (-1, 33, -60)",
      "σ'(x) = 1",
      '∂L/∂W¹ = δ¹ (a⁰)ᵀ = (-1, 33, -60) (1, 1) = [[-1, -1], [33, 33], [-60, -60]]',
      '∂L/∂b¹ = δ¹ = (-1, 33, -60)',
      '∂L/∂x = (W¹)ᵀ δ¹ = (245, 74)',
    ]);
  });
  it("update 2 (sgd): W²' = W² − α ∂L/∂W² with α = 0.01", () => {
    assert.deepEqual(text(t, ev('update', 2)), [
      "W²' = W² − α ∂L/∂W² = [[1, 2, -3], [2, -1, 3]] − 0.01 [[0, 104, 13], [0, -56, -7]] = [[1, 0.96, -3.13], [2, -0.44, 3.07]]",
      "b²' = b² − α ∂L/∂b² = (2, 1) − 0.01 (13, -7) = (1.87, 1.07)",
    ]);
  });
  it('in_out writes z = a W + b with W as n_in × n_out', () => {
    assert.equal(
      text(t, ev('forward', 2), 'in_out')[0],
      'z² = a¹ W² + b² = (0, 8, 1) [[1, 2], [2, -1], [-3, 3]] + (2, 1) = (15, -4)',
    );
    assert.equal(
      text(t, ev('backward', 1), 'in_out')[0],
      "δ¹ = δ² (W²)ᵀ ⊙ σ'(z¹) = (13, -7) [[1, 2, -3], [2, -1, 3]] ⊙ (1, 1, 1) = (-1, 33, -60)",
    );
  });
  it("momentum shows v = μ v + g (first step: v = g) and W' = W − α v", () => {
    const m = p1({ type: 'momentum', lr: 0.01, momentum: 0.9 } as never);
    const lines = text(m, ev('update', 2));
    assert.equal(lines[0], 'v = μ v + ∂L/∂W² = [[0, 104, 13], [0, -56, -7]]');
    assert.equal(
      lines[1],
      "W²' = W² − α v = [[1, 2, -3], [2, -1, 3]] − 0.01 [[0, 104, 13], [0, -56, -7]] = [[1, 0.96, -3.13], [2, -0.44, 3.07]]",
    );
  });
  it('LaTeX: out_in vectors are columns (pmatrix with \\\\ rows)', () => {
    const latex = equationsFor(t, ev('forward', 2)).lines[0].latex;
    assert.ok(latex.startsWith('z^{2} = W^{2} a^{1} + b^{2} ='), latex);
    assert.ok(latex.endsWith('\\begin{pmatrix} 15 \\\\ -4 \\end{pmatrix}'), latex);
  });
  it('large matrices are elided with … (text) and \\cdots/\\vdots (LaTeX)', () => {
    const W = Array.from({ length: 20 }, (_, i) => Array.from({ length: 20 }, (_, j) => (i === j ? 1 : 0)));
    const big = train(
      net(
        [Array.from({ length: 20 }, () => 1)],
        [Array.from({ length: 20 }, () => 0)],
        [layer(W, Array(20).fill(0), 'identity')],
        'half_sse',
      ),
    );
    const line = equationsFor(big, ev('forward', 1), { maxEntries: 5 }).lines[0];
    // 5 entries: rows/columns 1, 2, …, 19, 20 of the identity.
    assert.match(
      line.text,
      /= \[\[1, 0, …, 0, 0\], \[0, 1, …, 0, 0\], …, \[0, 0, …, 1, 0\], \[0, 0, …, 0, 1\]\] \(1, 1, …, 1, 1\) \+/,
    );
    assert.match(line.latex, /\\vdots/);
    assert.match(line.latex, /\\cdots/);
  });
});
