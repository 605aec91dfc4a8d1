// Numeric health: each finding at the place it arises, with numbers chosen by hand so the
// condition certainly holds (or certainly does not).
import assert from 'node:assert/strict';
import { train } from '../../../src/engine/run';
import { layer, net, problem1 } from './helpers';

describe('numeric health', () => {
  it('the first non-finite value is reported where it appears, and the run stops', () => {
    // z¹ = 1e200·1 = 1e200 is finite; a¹ = z² overflows to ∞ in layer 1's square activation.
    const spec = net(
      [[1]],
      [[0]],
      [layer([[1e200]], [0], 'square'), layer([[1]], [0], 'identity')],
      'half_sse',
      { type: 'sgd', lr: 0.1 },
      0,
      5,
    );
    const t = train(spec);
    const nf = t.health.filter((h) => h.kind === 'non_finite');
    assert.equal(nf.length, 1);
    assert.deepEqual([nf[0].step, nf[0].layer, nf[0].quantity, nf[0].severity], [1, 1, 'a', 'error']);
    assert.equal(nf[0].message, 'a¹ became Infinity at step 1 (layer 1, unit 1)');
    assert.equal(t.steps.length, 1, 'no step after the first NaN/∞');
    assert.match(t.stoppedEarly ?? '', /stopped at step 1/);
  });
  it('saturated sigmoid units: |z| > 5 for every example', () => {
    // Unit 1: z = 10x with x ∈ {1, 2} → 10, 20 (saturated); unit 2: z = 0.1x → small.
    const spec = net(
      [[1], [2]],
      [
        [0, 0],
        [1, 1],
      ],
      [layer([[10], [0.1]], [0, 0], 'sigmoid')],
      'mse',
    );
    const h = train(spec).health;
    assert.equal(h.length, 1);
    assert.equal(h[0].kind, 'saturation');
    assert.match(h[0].message, /^1 of 2 sigmoid units in layer 1 saturated at step 1 .*unit 1$/);
  });
  it('dead ReLUs: z ≤ 0 for every example of a batch; one inactive example alone is not "dead"', () => {
    const batch = net(
      [[1], [2]],
      [
        [0, 0],
        [1, 1],
      ],
      [layer([[-1], [1]], [0, 0], 'relu')],
      'mse',
    );
    const dead = train(batch).health.filter((x) => x.kind === 'dead_relu');
    assert.equal(dead.length, 1);
    assert.match(dead[0].message, /^1 of 2 ReLU units in layer 1 dead at step 1 .*unit 1$/);
    const single = net([[1]], [[0, 0]], [layer([[-1], [1]], [0, 0], 'relu')], 'mse');
    assert.deepEqual(
      train(single).health.filter((x) => x.kind === 'dead_relu'),
      [],
    );
  });
  it('vanishing gradient: ‖δ¹‖/‖δᴸ‖ below 1e-6', () => {
    // Layer 1's z = 40 → σ'(40) ≈ 4e-18, so δ¹ is ~1e-18 of δ².
    const spec = net([[1]], [[0]], [layer([[40]], [0], 'sigmoid'), layer([[1]], [0], 'identity')], 'half_sse');
    const v = train(spec, { health: { sigmoidSaturationZ: 100 } }).health.filter(
      (x) => x.kind === 'vanishing_gradient',
    );
    assert.equal(v.length, 1);
    assert.equal(v[0].layer, 1);
    assert.match(v[0].message, /^‖δ¹‖ \/ ‖δ²‖ = \S+ at step 1: vanishing gradient/);
  });
  it('exploding gradient: ‖∂L/∂W‖ above 1e6, reported once however many steps', () => {
    // ∂L/∂w = (w x − t) x = 1e4 · 1e3 = 1e7 at w = 10, x = 1e3, t = 0; lr tiny so it stays large.
    const spec = net([[1e3]], [[0]], [layer([[10]], [0], 'identity')], 'half_sse', { type: 'sgd', lr: 1e-12 }, 0, 3);
    const e = train(spec).health.filter((x) => x.kind === 'exploding_gradient');
    assert.equal(e.length, 1);
    assert.equal(e[0].step, 1);
    assert.match(e[0].message, /^‖∂L\/∂W¹‖ = 1\.00e\+7 at step 1 exceeds 1e\+6/);
  });
  it('indices are 1-based and say what they index: unit and example, or the weight between two units', () => {
    // Two examples; unit 2 of layer 1 gets z = 1e200 · 1e200 = ∞ in example 2 only (x = (0, 1e200)).
    const batch = net(
      [[0], [1e200]],
      [
        [0, 0],
        [0, 0],
      ],
      [layer([[1], [1e200]], [0, 0], 'identity')],
      'mse',
    );
    assert.equal(train(batch).health[0].message, 'z¹ became Infinity at step 1 (layer 1, unit 2, example 2)');
    // z = b = 1e150 and L = z² = 1e300 are finite; ∂L/∂W¹ = 2z xᵀ = (2e150, 2e350) overflows at input 2.
    const weights = net([[1, 1e200]], [[0]], [layer([[0, 0]], [1e150], 'identity')], 'sse');
    assert.equal(
      train(weights).health[0].message,
      '∂L/∂W¹ became Infinity at step 1 (layer 1, the weight from unit 2 of the input to unit 1)',
    );
  });
  it('a healthy textbook network reports nothing', () => {
    const spec = problem1();
    assert.deepEqual(train(spec).health, []);
  });
});
