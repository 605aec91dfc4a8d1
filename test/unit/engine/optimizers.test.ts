// Optimizer steps against torch.optim's update rules written out by hand for scalars.
import assert from 'node:assert/strict';
import { applyOptimizer } from '../../../src/engine/optimizers';

const close = (a: number, b: number, tol = 1e-15) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('optimizers', () => {
  const p = new Float64Array([1.5]);
  it('sgd: p − lr·g', () => {
    close(applyOptimizer({ type: 'sgd', lr: 0.1 }, p, new Float64Array([2]), 1, undefined).next[0], 1.3);
  });
  it('momentum: first v = g, then v = μv + g (torch.optim.SGD)', () => {
    const opt = { type: 'momentum', lr: 0.1, momentum: 0.9 } as const;
    const s1 = applyOptimizer(opt, p, new Float64Array([2]), 1, undefined);
    close(s1.state.v[0], 2);
    close(s1.next[0], 1.5 - 0.2);
    const s2 = applyOptimizer(opt, s1.next, new Float64Array([-1]), 2, s1.state);
    close(s2.state.v[0], 0.9 * 2 - 1);
    close(s2.next[0], 1.3 - 0.1 * 0.8);
  });
  it('adam: bias-corrected moments (torch.optim.Adam)', () => {
    const opt = { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;
    const s1 = applyOptimizer(opt, p, new Float64Array([2]), 1, undefined);
    // t = 1: m̂ = g, v̂ = g², so the step is lr · g/(|g| + ε).
    close(s1.next[0], 1.5 - (0.01 * 2) / (2 + 1e-8));
    const s2 = applyOptimizer(opt, s1.next, new Float64Array([-1]), 2, s1.state);
    const m = 0.9 * 0.2 + 0.1 * -1,
      v = 0.999 * 0.004 + 0.001 * 1;
    const mh = m / (1 - 0.81),
      vh = v / (1 - 0.999 ** 2);
    close(s2.next[0], s1.next[0] - (0.01 * mh) / (Math.sqrt(vh) + 1e-8), 1e-15);
  });
  it('never mutates its inputs', () => {
    const g = new Float64Array([1]);
    applyOptimizer({ type: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8 }, p, g, 1, undefined);
    assert.equal(p[0], 1.5);
    assert.equal(g[0], 1);
  });
});
