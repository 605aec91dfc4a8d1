// Property: on random networks over every activation, loss and optimizer, the traced analytic
// gradients agree with central differences of the loss (relative 1e-6), wherever θ ± ε stays on
// one side of every kink (the engine's own branch decisions say where those are). Conventions
// and batch layouts are exercised through the parser in test/unit/model.
import fc from 'fast-check';
import { train } from '../../../src/engine/run';
import { network } from './arbitraries';
import { assertGradientsMatchDifferences } from './helpers';

describe('property: analytic gradients = central differences', () => {
  it('every parameter, at every traced step, within relative 1e-6', () => {
    fc.assert(
      fc.property(network, (spec) => {
        const trace = train(spec);
        fc.pre(trace.health.every((h) => h.kind !== 'non_finite'));
        assertGradientsMatchDifferences(spec, trace, 1e-5, 1e-6);
      }),
      { numRuns: 300, seed: 20261121 },
    );
  });
});
