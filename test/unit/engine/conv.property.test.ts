// Property: on random conv nets (one or two convolutions of any stride, padding and activation,
// max or average pooling, flatten, a dense output, every loss), every analytic gradient agrees
// with the central difference (relative 1e-6) wherever θ ± ε stays on one side of every kink,
// and the gradient check that `backprop check` runs passes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { train } from '../../../src/engine/run';
import { gradientCheck } from '../../../src/engine/gradcheck';
import { convNetwork } from './arbitraries';
import { assertGradientsMatchDifferences } from './helpers';

describe('property: conv nets, analytic gradients = central differences', () => {
  it('every parameter of every layer kind, at every traced step, within relative 1e-6 (kinks skipped)', () => {
    let compared = 0;
    fc.assert(
      fc.property(convNetwork, (spec) => {
        const trace = train(spec);
        fc.pre(trace.health.every((h) => h.kind !== 'non_finite'));
        compared += assertGradientsMatchDifferences(spec, trace, 1e-5, 1e-6);
      }),
      { numRuns: 200, seed: 20261122 },
    );
    assert.ok(compared > 1000, `${compared} gradients compared`);
  });

  it('the gradient check passes on them (kinks reported as not differentiable, never as failures)', () => {
    let refused = 0,
      passed = 0;
    fc.assert(
      fc.property(convNetwork, (spec) => {
        fc.pre(train({ ...spec, steps: 1 }).health.every((h) => h.kind !== 'non_finite'));
        const gc = gradientCheck(spec);
        const bad = gc.entries.filter((e) => !e.ok);
        assert.deepEqual(bad, [], 'no parameter fails');
        // A net whose gradients vanish (all-zero weights) may refuse ε with the reason: that is no failure.
        if (gc.refused) refused++;
        else {
          assert.ok(gc.ok, gc.notRun);
          passed++;
        }
      }),
      { numRuns: 60, seed: 20261123 },
    );
    assert.ok(passed > 3 * refused, `${passed} passed, ${refused} refused ε`);
  });
});
