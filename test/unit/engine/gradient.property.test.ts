// Property: on random networks over every activation, loss and optimizer, the traced analytic
// gradients agree with central differences of the loss (relative 1e-6). Conventions and batch
// layouts are exercised through the parser in test/unit/model.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { train, lossAt, Params } from '../../../src/engine/run';
import { NetworkSpec } from '../../../src/engine/network';
import { network } from './arbitraries';

const EPS = 1e-5;
const RTOL = 1e-6;
// Central differences lose ~1e-16·|L|/ε to rounding; allow that much absolute error.
const atolFor = (loss: number) => ((1e-16 * Math.max(1, Math.abs(loss))) / EPS) * 50;

/** True when some ReLU-like z sits so close to its kink that a central difference straddles it. */
function nearKink(spec: NetworkSpec, params: Params[]): boolean {
  const t = train({ ...spec, layers: spec.layers.map((l, i) => ({ ...l, W: params[i].W, b: params[i].b })), steps: 1 });
  return t.steps
    .get(1)
    .forward.some(
      (f) => (f.activation === 'relu' || f.activation === 'leaky_relu') && f.z.data.some((z) => Math.abs(z) < 1e-3),
    );
}

describe('property: analytic gradients = central differences', () => {
  it('every parameter, at every traced step, within relative 1e-6', () => {
    fc.assert(
      fc.property(network, (spec) => {
        const trace = train(spec);
        fc.pre(trace.health.every((h) => h.kind !== 'non_finite'));
        for (let n = 1; n <= trace.steps.length; n++) {
          const rec = trace.steps.get(n);
          const params: Params[] = rec.update.map((u) => ({ W: { ...u.W, data: u.W.data.slice() }, b: u.b.slice() }));
          if (nearKink(spec, params)) continue;
          const atol = atolFor(rec.loss.value);
          params.forEach((p, l) => {
            for (const [name, arr, analytic] of [
              ['W', p.W.data, rec.backward[l].dW.data],
              ['b', p.b, rec.backward[l].db],
            ] as const) {
              for (let k = 0; k < arr.length; k++) {
                const orig = arr[k];
                arr[k] = orig + EPS;
                const up = lossAt(spec, params);
                arr[k] = orig - EPS;
                const down = lossAt(spec, params);
                arr[k] = orig;
                const numeric = (up - down) / (2 * EPS);
                const err = Math.abs(analytic[k] - numeric);
                assert.ok(
                  err <= atol + RTOL * Math.max(Math.abs(analytic[k]), Math.abs(numeric)),
                  `step ${rec.step} layer ${l + 1} ${name}[${k}]: analytic ${analytic[k]}, numeric ${numeric} (|diff| ${err})`,
                );
              }
            }
          });
        }
      }),
      { numRuns: 300, seed: 20261121 },
    );
  });
});
