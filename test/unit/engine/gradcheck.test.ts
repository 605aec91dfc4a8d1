// The gradient check itself: it must pass a correct network and catch a wrong gradient.
import assert from 'node:assert/strict';
import { gradientCheck, relativeError } from '../../../src/engine/gradcheck';
import { layer, net } from './helpers';

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
    assert.ok(r.maxRelError < 1e-7, `max relative error ${r.maxRelError}`);
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
});
