// The layer kinds and margin losses on values worked by hand: each expected number is derived in
// the comment beside it from the definitions (PyTorch's Conv2d, MaxPool2d, AvgPool2d, Flatten,
// MultiMarginLoss, MarginRankingLoss), not taken from the engine.
import assert from 'node:assert/strict';
import { LAYER_TYPES, LayerSpec, NetworkSpec } from '../../../src/engine/network';
import { Matrix, shaped, shapeOf, toNested } from '../../../src/engine/tensor';
import { describeLayers, forwardCost, kindOf, widths } from '../../../src/engine/layers/registry';
import { computeLoss, LOSS_BRANCHES } from '../../../src/engine/losses';
import { ON_KINK } from '../../../src/engine/branches';
import { train } from '../../../src/engine/run';
import { gradientCheck } from '../../../src/engine/gradcheck';
import { assertClose, lossAndSites } from './helpers';
import { setKernelBackend } from '../../../src/engine/kernels/gemm';
import { createRng } from '../../../src/engine/init';

const none = { W: { rows: 0, cols: 0, data: new Float64Array(0) }, b: new Float64Array(0) };
const image = (rows: number[][][][]): Matrix => {
  const [N, C, H, W] = [rows.length, rows[0].length, rows[0][0].length, rows[0][0][0].length];
  return shaped([N, C, H, W], Float64Array.from(rows.flat(3)));
};
const kernels = (w: number[][][][]): Matrix => image(w);
const conv = (
  W: number[][][][],
  b: number[],
  extra: Partial<{ stride: [number, number]; padding: [number, number] }> = {},
): LayerSpec => ({
  type: 'conv2d',
  W: kernels(W),
  b: Float64Array.from(b),
  stride: extra.stride ?? [1, 1],
  padding: extra.padding ?? [0, 0],
  activation: 'identity',
});
const params = (l: LayerSpec) => ({ W: l.W, b: l.b });

describe('layer kinds, by hand', () => {
  it('registers every kind of the model format, each with a shape rule, forward and backward', () => {
    for (const t of LAYER_TYPES) {
      const k = kindOf(
        t === 'dense'
          ? { ...none, activation: 'identity' }
          : ({ ...none, type: t, activation: 'identity' } as LayerSpec),
      );
      assert.equal(k.type, t);
      assert.equal(typeof k.forward, 'function');
      assert.equal(typeof k.backward, 'function');
    }
  });

  it("conv2d, the issue's example: z¹[1][1][1] = 1·0.1 + 0·0.2 + 0·0.4 + (−1)·0.5 + 0 = −0.4; z¹[2] = 0.5 Σ window + 0.1", () => {
    const l = conv(
      [
        [
          [
            [1, 0],
            [0, -1],
          ],
        ],
        [
          [
            [0.5, 0.5],
            [0.5, 0.5],
          ],
        ],
      ],
      [0, 0.1],
    );
    const x = image([
      [
        [
          [0.1, 0.2, 0.3],
          [0.4, 0.5, 0.6],
          [0.7, 0.8, 0.9],
        ],
      ],
    ]);
    const z = kindOf(l).forward(l, params(l), x);
    assert.deepEqual(shapeOf(z), [1, 2, 2, 2]);
    // Kernel 1 gives x[i][j] − x[i+1][j+1] = −0.4 everywhere; kernel 2: 0.5·(sum of the 2×2 window) + 0.1.
    assertClose(
      z,
      [[-0.4, -0.4, -0.4, -0.4, 0.5 * 1.2 + 0.1, 0.5 * 1.6 + 0.1, 0.5 * 2.4 + 0.1, 0.5 * 2.8 + 0.1]],
      1e-15,
    );
  });

  it('conv2d gradients: a 1×1 kernel w = 2 on x = [[1, 2], [3, 4]], L = Σ z², so δ = 2z = 4x', () => {
    const l = conv([[[[2]]]], [0]);
    const x = image([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    const delta = shaped([1, 1, 2, 2], Float64Array.of(4, 8, 12, 16));
    const g = kindOf(l).backward(l, params(l), x, delta);
    // ∂L/∂w = Σ δ x = 4 Σ x² = 4 · 30 = 120; ∂L/∂b = Σ δ = 40; ∂L/∂x = δ w = 8x.
    assertClose(g.dW, [[120]], 1e-12);
    assert.deepEqual(shapeOf(g.dW), [1, 1, 1, 1]);
    assertClose(g.db, [40], 1e-12);
    assertClose(g.dx, [[8, 16, 24, 32]], 1e-12);
    // The same through train: sse against zeros is L = Σ (2x)² = 4 · 30 = 120.
    const spec: NetworkSpec = {
      input: x,
      target: { rows: 1, cols: 4, data: new Float64Array(4) },
      layers: [l, { type: 'flatten', activation: 'identity', ...none }],
      loss: 'sse',
      optimizer: { type: 'sgd', lr: 0.01 },
      l2: 0,
      steps: 1,
    };
    const s = train(spec).steps.get(1);
    assert.equal(s.loss.value, 120);
    assertClose(s.backward[0].dW, [[120]], 1e-12);
    assertClose(s.update[0].WNext, [[2 - 0.01 * 120]], 1e-15);
  });

  it('conv2d with stride 2 and padding 1: a 2×2 kernel of ones reads the corners of a padded 3×3', () => {
    const l = conv(
      [
        [
          [
            [1, 1],
            [1, 1],
          ],
        ],
      ],
      [0],
      { stride: [2, 2], padding: [1, 1] },
    );
    const x = image([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    const z = kindOf(l).forward(l, params(l), x);
    // Output ⌊(3 + 2 − 2)/2⌋ + 1 = 2 per side; windows start at −1 and 1: {1}, {2, 3}, {4, 7}, {5, 6, 8, 9}.
    assert.deepEqual(shapeOf(z), [1, 1, 2, 2]);
    assertClose(z, [[1, 5, 11, 28]], 1e-15);
    // ∂L/∂x with δ = 1 everywhere: each input counted by the windows that read it (each once here).
    const g = kindOf(l).backward(l, params(l), x, shaped([1, 1, 2, 2], Float64Array.of(1, 1, 1, 1)));
    assertClose(g.dx, [[1, 1, 1, 1, 1, 1, 1, 1, 1]], 1e-15);
    // ∂L/∂W[i][j] = Σ over windows of the input under kernel entry (i, j): (0,0) sees only 5 (at window 4).
    assertClose(g.dW, [[5, 4 + 6, 2 + 8, 1 + 3 + 7 + 9]], 1e-15);
  });

  it('max pooling: the first maximum of a window in row-major order takes δ; overlapping windows add up', () => {
    const l: LayerSpec = { type: 'maxpool2d', kernel: [2, 2], stride: [2, 2], activation: 'identity', ...none };
    const x = image([
      [
        [
          [3, 3],
          [1, 3],
        ],
      ],
    ]);
    const z = kindOf(l).forward(l, none, x);
    assertClose(z, [[3]]);
    assertClose(kindOf(l).backward(l, none, x, shaped([1, 1, 1, 1], Float64Array.of(5))).dx, [[5, 0, 0, 0]]);
    // Stride 1 over [[1, 4, 2], [0, 4, 4]]: windows {1, 4, 0, 4} and {4, 2, 4, 4} both pick the 4 at (0, 1).
    const s1: LayerSpec = { type: 'maxpool2d', kernel: [2, 2], stride: [1, 1], activation: 'identity', ...none };
    const y = image([
      [
        [
          [1, 4, 2],
          [0, 4, 4],
        ],
      ],
    ]);
    assertClose(kindOf(s1).forward(s1, none, y), [[4, 4]]);
    assertClose(kindOf(s1).backward(s1, none, y, shaped([1, 1, 1, 2], Float64Array.of(1, 10))).dx, [
      [0, 11, 0, 0, 0, 0],
    ]);
    assert.deepEqual(
      Array.from(kindOf(s1).branches!(s1).decide(y)),
      [1, 1],
      'the argmax is the fingerprint of the kink',
    );
  });

  it('average pooling: the mean of each window; δ/4 to each of its inputs', () => {
    const l: LayerSpec = { type: 'avgpool2d', kernel: [2, 2], stride: [2, 2], activation: 'identity', ...none };
    const x = image([
      [
        [
          [1, 2, 5, 6],
          [3, 4, 7, 8],
        ],
      ],
    ]);
    assertClose(kindOf(l).forward(l, none, x), [[2.5, 6.5]]);
    assertClose(kindOf(l).backward(l, none, x, shaped([1, 1, 1, 2], Float64Array.of(4, 8))).dx, [
      [1, 1, 2, 2, 1, 1, 2, 2],
    ]);
  });

  it('flatten is channel-major (PyTorch): channel 1 row by row, then channel 2', () => {
    const l: LayerSpec = { type: 'flatten', activation: 'identity', ...none };
    const x = image([
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ],
    ]);
    const z = kindOf(l).forward(l, none, x);
    assert.deepEqual(toNested(z), [[1, 2, 3, 4, 5, 6, 7, 8]]);
    assert.deepEqual(shapeOf(kindOf(l).backward(l, none, x, z).dx), [1, 2, 2, 2]);
  });

  it('shapes, widths and cost follow the layers', () => {
    const spec = {
      input: image([
        [
          [
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ],
        ],
      ]),
      layers: [
        conv(
          [
            [
              [
                [1, 1],
                [1, 1],
              ],
            ],
            [
              [
                [1, 1],
                [1, 1],
              ],
            ],
          ],
          [0, 0],
        ),
        { type: 'maxpool2d', kernel: [2, 2], stride: [1, 1], activation: 'identity', ...none } as LayerSpec,
        { type: 'flatten', activation: 'identity', ...none } as LayerSpec,
      ],
    };
    assert.deepEqual(
      describeLayers(spec).map((i) => [i.type, i.inShape, i.outShape]),
      [
        ['conv2d', [1, 4, 4], [2, 3, 3]],
        ['maxpool2d', [2, 3, 3], [2, 2, 2]],
        ['flatten', [2, 2, 2], [8]],
      ],
    );
    assert.deepEqual(widths(spec), [16, 18, 8, 8]);
    // conv: 9 positions × 8 kernel entries; pool: 8 outputs × 4; plus one per output unit of each layer.
    assert.equal(forwardCost(spec), 9 * 8 + 8 * 4 + 0 + 18 + 8 + 8);
  });
});

describe('margin losses, by hand', () => {
  const m = (rows: number[][]): Matrix => ({
    rows: rows.length,
    cols: rows[0].length,
    data: Float64Array.from(rows.flat()),
  });

  it('hinge (MultiMarginLoss): scores (0.5, 0.2, 0.9), class 1: (0.7 + 1.4) / 3 = 0.7; ∂L/∂a = (−2, 1, 1)/3', () => {
    const a = m([[0.5, 0.2, 0.9]]);
    const r = computeLoss('hinge', 'identity', a, a, m([[1, 0, 0]]));
    assert.ok(Math.abs(r.value - 0.7) < 1e-15);
    assertClose(r.dA, [[-2 / 3, 1 / 3, 1 / 3]], 1e-15);
  });

  it('hinge at the hinge: a margin exactly met (1 − 1 + 0 = 0) is not active, subgradient 0', () => {
    const a = m([[1, 0, 0.25]]);
    const r = computeLoss('hinge', 'identity', a, a, m([[1, 0, 0]]));
    // Only j = 3 is active: (1 − 1 + 0.25) / 3.
    assert.equal(r.value, 0.25 / 3);
    assertClose(r.dA, [[-1 / 3, 0, 1 / 3]], 1e-15);
    // The gradient check's decisions: class 2's margin is exactly on the hinge, class 3's active.
    assert.deepEqual(Array.from(LOSS_BRANCHES.hinge!.decide({ z: a, a, t: m([[1, 0, 0]]) })), [0, ON_KINK, 1]);
  });

  it('hinge with margin 0.5 over a batch of two: mean over the batch, 1/(NK) per active margin', () => {
    const a = m([
      [0.5, 0.2],
      [0, 1],
    ]);
    const r = computeLoss(
      'hinge',
      'identity',
      a,
      a,
      m([
        [1, 0],
        [1, 0],
      ]),
      true,
      0.5,
    );
    // Example 1: 0.5 − 0.5 + 0.2 = 0.2; example 2: 0.5 − 0 + 1 = 1.5; L = (0.2 + 1.5) / (2·2).
    assert.ok(Math.abs(r.value - 1.7 / 4) < 1e-15);
    assertClose(
      r.dA,
      [
        [-0.25, 0.25],
        [-0.25, 0.25],
      ],
      1e-15,
    );
  });

  it("max_margin (003's J): pairs (s, s_c); J = mean of max(0, 1 − s + s_c); 0 at the hinge (PyTorch takes 1 there)", () => {
    const a = m([[0.3], [0.1], [2], [0.5], [1], [0]]);
    const r = computeLoss('max_margin', 'identity', a, a, m([[0], [0], [0], [0], [0], [0]]));
    // Pair 1: 1 − 0.3 + 0.1 = 0.8 (active); pair 2: 1 − 2 + 0.5 < 0; pair 3: exactly 0, the hinge. J = 0.8 / 3.
    assert.ok(Math.abs(r.value - 0.8 / 3) < 1e-15);
    assertClose(r.dA, [[-1 / 3], [1 / 3], [0], [0], [0], [0]], 1e-15);
  });
});

describe('the gradient check at kinks', () => {
  it('a parameter whose ±ε moves a relu across 0 is not differentiable there, not a failure', () => {
    // z = w·1 + 0 with w = 0: relu has a kink at the very point checked.
    const spec: NetworkSpec = {
      input: { rows: 1, cols: 1, data: Float64Array.of(1) },
      target: { rows: 1, cols: 1, data: Float64Array.of(1) },
      layers: [{ W: { rows: 1, cols: 1, data: Float64Array.of(0) }, b: Float64Array.of(0), activation: 'relu' }],
      loss: 'sse',
      optimizer: { type: 'sgd', lr: 0.1 },
      l2: 0,
      steps: 1,
    };
    const gc = gradientCheck(spec);
    assert.ok(gc.ok);
    assert.equal(gc.kinks, 2);
    assert.ok(gc.entries.every((e) => e.kink));
    // Analytic 0 (relu′(0) = 0, as PyTorch) against ((ε − 1)² − 1) / 2ε = ε/2 − 1: what a kink looks like.
    assert.equal(gc.entries[0].analytic, 0);
    assert.ok(Math.abs(gc.entries[0].numeric - (gc.epsilon / 2 - 1)) < 1e-9);
    assert.equal(lossAndSites(spec, [{ W: spec.layers[0].W, b: spec.layers[0].b }]).sites.length, 1);
  });
});

describe('conv2d in the wasm kernel and in the TypeScript fallback', () => {
  afterEach(() => setKernelBackend('auto'));

  it('give the same z, ∂L/∂W, ∂L/∂b and ∂L/∂x, for strides, paddings and batches (direct loops as the reference)', () => {
    const rnd = createRng(11);
    for (const [N, C, H, W, O, kh, kw, sh, sw, ph, pw] of [
      [1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0],
      [2, 3, 7, 6, 5, 3, 2, 2, 1, 1, 2],
      [3, 2, 9, 9, 6, 5, 5, 1, 1, 2, 2],
      [1, 1, 3, 8, 2, 1, 4, 1, 3, 0, 1],
    ]) {
      const x = shaped(
        [N, C, H, W],
        new Float64Array(N * C * H * W).map(() => rnd.uniform() - 0.5),
      );
      const l: LayerSpec = {
        type: 'conv2d',
        W: shaped(
          [O, C, kh, kw],
          new Float64Array(O * C * kh * kw).map(() => rnd.uniform() - 0.5),
        ),
        b: new Float64Array(O).map(() => rnd.uniform()),
        stride: [sh, sw],
        padding: [ph, pw],
        activation: 'identity',
      };
      const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1,
        Wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
      const delta = shaped(
        [N, O, Ho, Wo],
        new Float64Array(N * O * Ho * Wo).map(() => rnd.uniform() - 0.5),
      );
      // The definition, summed directly: z, and the three gradients as sums over the same terms.
      const at = (n: number, c: number, y: number, xx: number) =>
        y < 0 || y >= H || xx < 0 || xx >= W ? 0 : x.data[((n * C + c) * H + y) * W + xx];
      const z = new Float64Array(N * O * Ho * Wo),
        dW = new Float64Array(O * C * kh * kw),
        dx = new Float64Array(N * C * H * W),
        db = new Float64Array(O);
      for (let n = 0; n < N; n++)
        for (let o = 0; o < O; o++)
          for (let y = 0; y < Ho; y++)
            for (let xx = 0; xx < Wo; xx++) {
              const q = ((n * O + o) * Ho + y) * Wo + xx;
              let s = l.b[o];
              db[o] += delta.data[q];
              for (let c = 0; c < C; c++)
                for (let i = 0; i < kh; i++)
                  for (let j = 0; j < kw; j++) {
                    const k = ((o * C + c) * kh + i) * kw + j;
                    const iy = y * sh - ph + i,
                      ix = xx * sw - pw + j;
                    s += l.W.data[k] * at(n, c, iy, ix);
                    dW[k] += delta.data[q] * at(n, c, iy, ix);
                    if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                      dx[((n * C + c) * H + iy) * W + ix] += delta.data[q] * l.W.data[k];
                  }
              z[q] = s;
            }
      for (const backend of ['wasm', 'ts'] as const) {
        setKernelBackend(backend);
        const got = kindOf(l).forward(l, params(l), x);
        const g = kindOf(l).backward(l, params(l), x, delta);
        const what = `${backend} ${N}×${C}×${H}×${W} * ${O}×${kh}×${kw} s${sh},${sw} p${ph},${pw}`;
        assertClose([Array.from(got.data)], [Array.from(z)], 1e-12, `${what} z`);
        assertClose([Array.from(g.dW.data)], [Array.from(dW)], 1e-12, `${what} dW`);
        assertClose(g.db, [Array.from(db)], 1e-12, `${what} db`);
        assertClose([Array.from(g.dx.data)], [Array.from(dx)], 1e-12, `${what} dx`);
      }
    }
  });
});
