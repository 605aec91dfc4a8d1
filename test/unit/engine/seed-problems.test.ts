// The lecture notes' three worked problems (shared/seeds/002_*), with the correct numbers
// (the handwritten answers contain slips; these were re-derived by hand and agree with the issue).
import assert from 'node:assert/strict';
import { train } from '../../../src/engine/run';
import { assertClose, layer, net, problem1, scale } from './helpers';

describe('seed problem 1: 2-3-2 identity, half_sse, lr 0.01', () => {
  const spec = problem1();
  const s = train(spec).steps.get(1);

  it('forward: z¹ = (0, 8, 1), z² = (15, −4)', () => {
    assertClose(s.forward[0].z, [[0, 8, 1]]);
    assertClose(s.forward[1].z, [[15, -4]]);
    assertClose(s.forward[1].a, [[15, -4]]);
  });
  it('loss 109 = ½(13² + 7²)', () => assert.equal(s.loss.value, 109));
  it('backward: δ² = (13, −7), δ¹ = (−1, 33, −60)', () => {
    assertClose(s.backward[1].delta, [[13, -7]]);
    assertClose(s.backward[0].delta, [[-1, 33, -60]]);
  });
  it('gradients: ∂L/∂W² = δ² (a¹)ᵀ, ∂L/∂W¹ = δ¹ xᵀ', () => {
    assertClose(s.backward[1].dW, [
      [0, 104, 13],
      [0, -56, -7],
    ]);
    assertClose(s.backward[0].dW, [
      [-1, -1],
      [33, 33],
      [-60, -60],
    ]);
    assertClose(s.backward[1].db, [13, -7]);
  });
  it("update: W²', b²', W¹', b¹'", () => {
    assertClose(
      s.update[1].WNext,
      [
        [1, 0.96, -3.13],
        [2, -0.44, 3.07],
      ],
      1e-12,
    );
    assertClose(s.update[1].bNext, [1.87, 1.07], 1e-12);
    assertClose(
      s.update[0].WNext,
      [
        [1.01, -1.99],
        [1.67, 3.67],
        [-2.4, 1.6],
      ],
      1e-12,
    );
    assertClose(s.update[0].bNext, [1.01, 1.67, 3.6], 1e-12);
  });
  it('∂L/∂x = (W¹)ᵀ δ¹ = (245, 74)', () => {
    // (1·−1 + 2·33 + −3·−60, −2·−1 + 4·33 + 1·−60)
    assertClose(s.inputGrad, [[245, 74]]);
  });
  it('counts (n_in + 1)·n_out parameters per layer', () => {
    const t = train(spec);
    assert.deepEqual(t.parameterCounts, [9, 8]);
    assert.equal(t.totalParameters, 17);
  });
});

describe('seed problem 2: square activation σ(x) = x²', () => {
  const spec = net(
    [[1, 1]],
    [[2, 3]],
    [
      layer(
        [
          [1, -2],
          [1, 1],
        ],
        [0, 0],
        'square',
      ),
      layer(
        [
          [1, -1],
          [2, -1],
        ],
        [0, 0],
        'square',
      ),
    ],
    'half_sse',
  );
  const s = train(spec).steps.get(1);
  it('forward: z¹ = (−1, 2), a¹ = (1, 4), z² = (−3, −2), a² = (9, 4)', () => {
    assertClose(s.forward[0].z, [[-1, 2]]);
    assertClose(s.forward[0].a, [[1, 4]]);
    assertClose(s.forward[1].z, [[-3, -2]]);
    assertClose(s.forward[1].a, [[9, 4]]);
  });
  it("backward: ∂L/∂a² = (7, 1), σ'(z²) = 2z² = (−6, −4), δ² = (−42, −4), δ¹ = (100, 184)", () => {
    assertClose(s.loss.dA, [[7, 1]]);
    assertClose(s.backward[1].sigmaPrime!, [[-6, -4]]);
    assertClose(s.backward[1].delta, [[-42, -4]]);
    assertClose(s.backward[0].sigmaPrime!, [[-2, 4]]);
    assertClose(s.backward[0].delta, [[100, 184]]);
  });
  it("update: W²' = [[1.42, 0.68], [2.04, −0.84]], W¹' = [[0, −3], [−0.84, −0.84]]", () => {
    assertClose(
      s.update[1].WNext,
      [
        [1.42, 0.68],
        [2.04, -0.84],
      ],
      1e-12,
    );
    assertClose(s.update[1].bNext, [0.42, 0.04], 1e-12);
    assertClose(
      s.update[0].WNext,
      [
        [0, -3],
        [-0.84, -0.84],
      ],
      1e-12,
    );
    assertClose(s.update[0].bNext, [-1, -1.84], 1e-12);
  });
});

describe('seed problem 3: a batch of 3, mse', () => {
  // The notes write the batch as columns [[1, 1, 1], [2, −1, 1]]; the engine takes examples as rows.
  const spec = net(
    [
      [1, 2],
      [1, -1],
      [1, 1],
    ],
    [[-1], [0], [1]],
    [
      layer(
        [
          [1, 2],
          [2, 1],
          [-1, 2],
        ],
        [0, 0, 0],
        'identity',
      ),
      layer(
        [
          [2, 3, 1],
          [2, -1, 2],
        ],
        [0, 0],
        'identity',
      ),
      layer([[1, 1]], [0], 'identity'),
    ],
    'mse',
  );
  const s = train(spec).steps.get(1);
  const k = 2 / 3;
  it('forward: z³ = (37, −11, 21)', () => {
    assertClose(s.forward[0].z, [
      [5, 4, 3],
      [-1, 1, -3],
      [3, 3, 1],
    ]);
    assertClose(s.forward[1].z, [
      [25, 12],
      [-2, -9],
      [16, 5],
    ]);
    assertClose(s.forward[2].z, [[37], [-11], [21]]);
  });
  it('loss = (38² + 11² + 20²)/3', () => assert.ok(Math.abs(s.loss.value - (38 * 38 + 121 + 400) / 3) < 1e-9));
  it("δ³ = (2/3)(38, −11, 20) carries the mean's 1/N", () => {
    assertClose(s.backward[2].delta, scale(k, [[38], [-11], [20]]), 1e-12);
    assertClose(
      s.backward[1].delta,
      scale(k, [
        [38, 38],
        [-11, -11],
        [20, 20],
      ]),
      1e-12,
    );
    assertClose(
      s.backward[0].delta,
      scale(k, [
        [152, 76, 114],
        [-44, -22, -33],
        [80, 40, 60],
      ]),
      1e-12,
    );
  });
  it('∂L/∂W³ = (2/3)(1292, 655), ∂L/∂W² and ∂L/∂W¹ as derived', () => {
    assertClose(s.backward[2].dW, scale(k, [[1292, 655]]), 1e-9);
    assertClose(
      s.backward[1].dW,
      scale(k, [
        [261, 201, 167],
        [261, 201, 167],
      ]),
      1e-9,
    );
    assertClose(
      s.backward[0].dW,
      scale(k, [
        [188, 428],
        [94, 214],
        [141, 321],
      ]),
      1e-9,
    );
  });
});
