// The gradient check itself: it must pass a correct network and catch a wrong gradient, and it
// must not call a correct network wrong where the central difference is no derivative (a kink),
// where round-off swamps it (a tiny ε, 1 − a near 1), or where the loss is already NaN.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { gradientCheck, relativeError } from '../../../src/engine/gradcheck';
import { activation } from '../../../src/engine/activations';
import { ActivationName, NetworkSpec } from '../../../src/engine/network';
import { layer, net, problem1 } from './helpers';
import { network } from './arbitraries';

describe('gradient check', () => {
  const spec = net(
    [
      [0.5, -1.2],
      [1.5, 0.3],
    ],
    [
      [0.2, 0.8],
      [0.9, 0.1],
    ],
    [
      layer(
        [
          [0.3, -0.7],
          [1.1, 0.4],
          [-0.5, 0.9],
        ],
        [0.1, -0.2, 0.05],
        'tanh',
      ),
      layer(
        [
          [0.6, -0.4, 0.8],
          [-1.0, 0.5, 0.2],
        ],
        [0.0, 0.3],
        'sigmoid',
      ),
    ],
    'binary_cross_entropy',
    { type: 'sgd', lr: 0.1 },
    0.01,
  );

  it('passes every parameter of a correct network (ε = 1e-4, as in the notes)', () => {
    const r = gradientCheck(spec);
    assert.equal(r.total, 9 + 8);
    assert.equal(r.checked, 17);
    assert.ok(r.ok, JSON.stringify(r.entries.filter((e) => !e.ok)));
    assert.equal(r.kinks, 0);
    assert.ok(r.maxRelError < 1e-7, `max relative error ${r.maxRelError}`);
  });
  it('catches a wrong derivative: tanh′ taken as 1 − tanh (not 1 − tanh²)', () => {
    type Derivative = (z: Float64Array, a: Float64Array, out: Float64Array) => void;
    const tanh = activation('tanh') as { derivative: Derivative };
    const right = tanh.derivative;
    tanh.derivative = (_z, a, out) => {
      for (let i = 0; i < a.length; i++) out[i] = 1 - a[i];
    };
    try {
      const r = gradientCheck(spec);
      assert.equal(r.ok, false);
      // Layer 1's 9 parameters sit behind tanh′; layer 2's 8 do not.
      assert.deepEqual(
        r.entries.filter((e) => !e.ok).map((e) => e.layer),
        Array<number>(9).fill(1),
      );
    } finally {
      tanh.derivative = right;
    }
  });
  it('samples evenly beyond maxParameters and says so', () => {
    const r = gradientCheck(spec, { maxParameters: 5 });
    assert.equal(r.checked, 5);
    assert.equal(r.total, 17);
  });
  it('relative error treats rounding noise below 1e-10 as noise', () => {
    assert.ok(relativeError(1.4e-17, 0) < 1e-6);
    assert.equal(relativeError(2, 1), 0.5);
    assert.equal(relativeError(0, 0), 0);
  });
  it('stops when asked', () => {
    let calls = 0;
    const r = gradientCheck(spec, { shouldStop: () => ++calls > 3 });
    assert.ok(r.cancelled);
    assert.equal(r.checked, 3);
    assert.equal(r.ok, false);
  });

  describe('kinks: relu and leaky relu with z exactly 0', () => {
    // Problem 1 of the notes with W¹[1] = (1, −1), b¹ = (0, 2, 2) and σ¹ piecewise: z¹ = (1 − 1 + 0, 2 + 4 + 2, −3 + 1 + 2) = (0, 8, 0).
    const kinked = (act: ActivationName): NetworkSpec => {
      const spec = problem1([0, 2, 2], act);
      spec.layers[0].W.data[1] = -1;
      return spec;
    };
    for (const act of ['relu', 'leaky_relu'] as const) {
      it(`${act}: the parameters of units 1 and 3 are not differentiable there, and nothing fails`, () => {
        const r = gradientCheck(kinked(act));
        assert.ok(r.ok, JSON.stringify(r.entries.filter((e) => !e.ok)));
        assert.equal(r.checked, 17);
        // W¹[1][1], W¹[1][2], b¹[1] move z¹[1]; W¹[3][1], W¹[3][2], b¹[3] move z¹[3]; nothing else crosses.
        const at = r.entries.filter((e) => e.kink).map((e) => `${e.param}${e.i + 1}${e.j + 1}: ${e.kink}`);
        assert.deepEqual(at, [
          `W11: not differentiable here (z¹[1] = 0: ${act}'s kink)`,
          `W12: not differentiable here (z¹[1] = 0: ${act}'s kink)`,
          `W31: not differentiable here (z¹[3] = 0: ${act}'s kink)`,
          `W32: not differentiable here (z¹[3] = 0: ${act}'s kink)`,
          `b11: not differentiable here (z¹[1] = 0: ${act}'s kink)`,
          `b31: not differentiable here (z¹[3] = 0: ${act}'s kink)`,
        ]);
        assert.equal(r.kinks, 6);
      });
    }
    it('a z within ε of the kink: the difference crosses it, which is said, not failed', () => {
      const spec = kinked('relu');
      spec.layers[0].b[0] = 5e-5; // z¹[1] = 5e-5: ±1e-4 on b¹[1] crosses 0
      const r = gradientCheck(spec);
      assert.ok(r.ok);
      const b1 = r.entries.find((e) => e.param === 'b' && e.layer === 1 && e.i === 0)!;
      assert.match(
        b1.kink ?? '',
        /^θ ± 0\.0001 crosses relu's kink \(z¹\[1\] = 5e-5\): the central difference is no derivative there/,
      );
      // With ε below the distance to the kink, it is an ordinary derivative again: (13 − 2·… ) checked.
      const fine = gradientCheck(spec, { epsilon: 1e-5 });
      assert.ok(fine.ok);
      assert.equal(fine.entries.find((e) => e.param === 'b' && e.layer === 1 && e.i === 0)!.kink, undefined);
    });
  });

  it('softmax + binary cross-entropy with an output near 1: no false failure from 1 − a', () => {
    // Row 1: z = (3 + 18, −1 + 8, 2 − 6) + b: p₁ ≈ 1 − 6.2e-7 with t₁ = 0, where 1 − p₁ kept 10 digits.
    const r = gradientCheck(
      net(
        [
          [1, 2],
          [2, -1],
        ],
        [
          [0, 1, 0],
          [0, 0, 1],
        ],
        [
          layer(
            [
              [3, 9],
              [-1, 4],
              [2, -3],
            ],
            [0.1, -0.2, 0.3],
            'softmax',
          ),
        ],
        'binary_cross_entropy',
      ),
    );
    assert.ok(r.ok, JSON.stringify(r.entries.filter((e) => !e.ok)));
    assert.ok(r.maxRelError < 1e-6, `max relative error ${r.maxRelError}`);
  });

  describe('ε that cannot work is refused, with the reason', () => {
    const p1 = problem1();
    it('1e-12 is too small for problem 1 (L = 109): round-off, not a verdict', () => {
      const r = gradientCheck(p1, { epsilon: 1e-12 });
      assert.equal(r.ok, false);
      assert.equal(r.entries.length, 0);
      assert.match(r.refused ?? '', /^ε = 1e-12 is too small for this model: float64 round-off/);
      assert.match(r.refused ?? '', /use ε ≥ \S+ \(the default is 0\.0001\)$/);
    });
    it('1e-8 and the default work there', () => {
      for (const epsilon of [1e-8, 1e-4]) {
        const r = gradientCheck(p1, { epsilon });
        assert.ok(r.ok && !r.refused, `${epsilon}: ${r.refused}`);
      }
    });
    it('0.5 is too large for a sigmoid network: truncation, measured against ε/2', () => {
      const r = gradientCheck(spec, { epsilon: 0.5 });
      assert.equal(r.ok, false);
      assert.match(r.refused ?? '', /^ε = 0\.5 is too large for this model: the central difference's O\(ε²\) error/);
    });
  });

  it('a loss that is already infinite is not checked parameter by parameter', () => {
    // z¹ = 1e200 · 1e200 overflows: the trace's health reports it once; the check has nothing to compare.
    const r = gradientCheck(net([[1e200]], [[0]], [layer([[1e200]], [0], 'identity')], 'mse'));
    assert.equal(r.entries.length, 0);
    assert.equal(r.ok, false);
    assert.match(r.notRun ?? '', /^the gradient check did not run: the loss is ∞/);
  });

  it('property: no correct random network fails (every activation, loss, kinks included)', () => {
    fc.assert(
      fc.property(network, (s) => {
        let r = gradientCheck(s);
        if (r.notRun) return;
        // Near a degenerate point (every weight ~1e-8 under x²) 1e-4 may truly be too large: then the ε it suggests works.
        if (r.refused) r = gradientCheck(s, { epsilon: r.suggestedEpsilon });
        assert.equal(r.refused, undefined);
        const bad = r.entries.filter((e) => !e.ok);
        assert.deepEqual(bad, [], JSON.stringify(bad));
      }),
      { numRuns: 300 },
    );
  });
});
