// Each activation's derivative and each loss's gradient against central differences of the
// function itself — an independent check of the formulas written beside them.
import assert from 'node:assert/strict';
import { activation, sigmoid, softmaxBackward, softplus } from '../../../src/engine/activations';
import { computeLoss } from '../../../src/engine/losses';
import { ACTIVATIONS, LOSSES } from '../../../src/engine/network';
import { fromRows } from '../../../src/engine/tensor';

const h = 1e-6;
const points = [-3.7, -1.2, -0.3, 0.25, 0.9, 2.4, 6];

describe('activations', () => {
  for (const name of ACTIVATIONS.filter((n) => n !== 'softmax')) {
    it(`${name}: σ'(x) matches (σ(x+h) − σ(x−h)) / 2h`, () => {
      const act = activation(name);
      const z = new Float64Array(points),
        a = new Float64Array(z.length),
        d = new Float64Array(z.length);
      act.forward(z, a, z.length);
      act.derivative!(z, a, d);
      for (let i = 0; i < z.length; i++) {
        const up = new Float64Array(1),
          down = new Float64Array(1);
        act.forward(new Float64Array([z[i] + h]), up, 1);
        act.forward(new Float64Array([z[i] - h]), down, 1);
        const numeric = (up[0] - down[0]) / (2 * h);
        assert.ok(
          Math.abs(d[i] - numeric) < 1e-6 * Math.max(1, Math.abs(numeric)),
          `${name}'(${z[i]}) = ${d[i]}, numeric ${numeric}`,
        );
      }
    });
  }
  it('relu has derivative 0 at 0 (as PyTorch)', () => {
    const d = new Float64Array(1);
    activation('relu').derivative!(new Float64Array([0]), new Float64Array([0]), d);
    assert.equal(d[0], 0);
  });
  it('sigmoid and softplus do not overflow for large |x|', () => {
    assert.equal(sigmoid(-1000), 0);
    assert.equal(sigmoid(1000), 1);
    assert.equal(softplus(1000), 1000);
    assert.ok(softplus(-1000) >= 0 && softplus(-1000) < 1e-300);
  });
  it('softmax rows sum to 1, survive z = 1000, and backward equals (diag(p) − ppᵀ) g', () => {
    const z = new Float64Array([1000, 999, 998, -1, 0, 1]),
      p = new Float64Array(6);
    activation('softmax').forward(z, p, 3);
    for (const r of [0, 3]) assert.ok(Math.abs(p[r] + p[r + 1] + p[r + 2] - 1) < 1e-15);
    const g = new Float64Array([0.3, -1.1, 2.0, 0.7, 0.1, -0.4]),
      out = new Float64Array(6);
    softmaxBackward(p, g, out, 3);
    for (const r of [0, 3]) {
      for (let k = 0; k < 3; k++) {
        let s = 0;
        for (let j = 0; j < 3; j++) s += ((k === j ? p[r + k] : 0) - p[r + k] * p[r + j]) * g[r + j];
        assert.ok(Math.abs(out[r + k] - s) < 1e-15);
      }
    }
  });
});

describe('losses', () => {
  const a = fromRows([
    [0.2, 0.7, 0.1],
    [0.6, 0.3, 0.1],
  ]);
  const t = fromRows([
    [0, 1, 0],
    [1, 0, 0],
  ]);
  it('values follow their definitions over the whole batch', () => {
    const d2 = [0.04, 0.09, 0.01, 0.16, 0.09, 0.01].reduce((x, y) => x + y, 0);
    assert.ok(Math.abs(computeLoss('sse', 'identity', a, a, t).value - d2) < 1e-15);
    assert.ok(Math.abs(computeLoss('half_sse', 'identity', a, a, t).value - d2 / 2) < 1e-15);
    assert.ok(Math.abs(computeLoss('mse', 'identity', a, a, t).value - d2 / 6) < 1e-15);
    assert.ok(
      Math.abs(computeLoss('cross_entropy', 'identity', a, a, t).value - -(Math.log(0.7) + Math.log(0.6)) / 2) < 1e-15,
    );
    const bce =
      -[
        [0.2, 0],
        [0.7, 1],
        [0.1, 0],
        [0.6, 1],
        [0.3, 0],
        [0.1, 0],
      ].reduce((s, [ai, ti]) => s + ti * Math.log(ai) + (1 - ti) * Math.log(1 - ai), 0) / 6;
    assert.ok(Math.abs(computeLoss('binary_cross_entropy', 'identity', a, a, t).value - bce) < 1e-15);
  });
  for (const loss of LOSSES) {
    it(`${loss}: ∂L/∂a matches central differences`, () => {
      const { dA } = computeLoss(loss, 'identity', a, a, t);
      for (let i = 0; i < a.data.length; i++) {
        const plus = { ...a, data: a.data.slice() },
          minus = { ...a, data: a.data.slice() };
        plus.data[i] += h;
        minus.data[i] -= h;
        const numeric =
          (computeLoss(loss, 'identity', plus, plus, t).value - computeLoss(loss, 'identity', minus, minus, t).value) /
          (2 * h);
        assert.ok(
          Math.abs(dA.data[i] - numeric) < 1e-6 * Math.max(1, Math.abs(numeric)),
          `${loss} ∂L/∂a[${i}] = ${dA.data[i]}, numeric ${numeric}`,
        );
      }
    });
  }
  it('softmax + cross_entropy is fused: δ = (p − t)/N, finite even when p underflows', () => {
    const z = fromRows([[800, 0, -800]]),
      p = new Float64Array(3);
    activation('softmax').forward(z.data, p, 3);
    const out = computeLoss('cross_entropy', 'softmax', z, { rows: 1, cols: 3, data: p }, fromRows([[0, 0, 1]]));
    assert.ok(Number.isFinite(out.value) && Math.abs(out.value - 1600) < 1e-9, `loss ${out.value}`);
    assert.deepEqual(Array.from(out.fusedDelta!.data), [1, 0, -1]);
  });
  it('sigmoid + binary_cross_entropy is fused: finite for z = ±800', () => {
    const z = fromRows([[800, -800]]),
      a = fromRows([[1, 0]]);
    const out = computeLoss('binary_cross_entropy', 'sigmoid', z, a, fromRows([[0, 1]]));
    assert.ok(Math.abs(out.value - 800) < 1e-9, `loss ${out.value}`);
    assert.deepEqual(Array.from(out.fusedDelta!.data), [0.5, -0.5]);
  });
});
