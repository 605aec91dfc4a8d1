// Random networks for property tests: every activation, loss and optimizer, with outputs and
// targets that suit the loss (cross-entropy needs positive outputs, BCE outputs in (0, 1)).
import fc from 'fast-check';
import {
  ACTIVATIONS,
  ActivationName,
  LayerSpec,
  LossName,
  LOSSES,
  NetworkSpec,
  OptimizerSpec,
} from '../../../src/engine/network';
import { Matrix } from '../../../src/engine/tensor';

const num = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
export const matrix = (rows: number, cols: number, lo: number, hi: number) =>
  fc
    .array(num(lo, hi), { minLength: rows * cols, maxLength: rows * cols })
    .map((d): Matrix => ({ rows, cols, data: Float64Array.from(d) }));

const lastActivationsFor = (loss: LossName): ActivationName[] =>
  loss === 'cross_entropy'
    ? ['softmax', 'sigmoid', 'softplus']
    : loss === 'binary_cross_entropy'
      ? ['sigmoid', 'softmax']
      : [...ACTIVATIONS];

const optimizer: fc.Arbitrary<OptimizerSpec> = fc.oneof(
  num(0.001, 0.1).map((lr) => ({ type: 'sgd' as const, lr })),
  fc.tuple(num(0.001, 0.1), num(0, 0.99)).map(([lr, momentum]) => ({ type: 'momentum' as const, lr, momentum })),
  fc
    .tuple(num(0.001, 0.05), num(0.5, 0.95), num(0.9, 0.9999))
    .map(([lr, beta1, beta2]) => ({ type: 'adam' as const, lr, beta1, beta2, eps: 1e-8 })),
);

export const network: fc.Arbitrary<NetworkSpec> = fc
  .record({
    widths: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }),
    n: fc.integer({ min: 1, max: 4 }),
    loss: fc.constantFrom(...LOSSES),
    hidden: fc.array(fc.constantFrom(...ACTIVATIONS), { minLength: 3, maxLength: 3 }),
    lastPick: fc.nat(),
    optimizer,
    l2: fc.constantFrom(0, 0.01, 0.1),
    steps: fc.integer({ min: 1, max: 3 }),
  })
  .map((r) =>
    // max_margin scores pairs of examples with one output unit.
    r.loss === 'max_margin' ? { ...r, widths: [...r.widths.slice(0, -1), 1], n: 2 * Math.ceil(r.n / 2) } : r,
  )
  .chain((r) => {
    const L = r.widths.length - 1;
    const lasts = lastActivationsFor(r.loss);
    const acts = [...r.hidden.slice(0, L - 1), lasts[r.lastPick % lasts.length]];
    const K = r.widths[L];
    const target = targetFor(r.loss, r.n, K);
    const layers = fc.tuple(
      ...acts.map((act, l) =>
        fc
          .tuple(matrix(r.widths[l + 1], r.widths[l], -1.5, 1.5), matrix(1, r.widths[l + 1], -1, 1))
          .map(([W, b]): LayerSpec => ({ W, b: b.data, activation: act })),
      ),
    );
    return fc.tuple(matrix(r.n, r.widths[0], -2, 2), target, layers).map(([input, t, ls]): NetworkSpec => ({
      input,
      target: t,
      layers: ls,
      loss: r.loss,
      optimizer: r.optimizer,
      l2: r.l2,
      steps: r.steps,
    }));
  });

/** Targets that suit the loss: probabilities, one-hot classes, a placeholder, or any numbers. */
export function targetFor(loss: LossName, n: number, K: number): fc.Arbitrary<Matrix> {
  switch (loss) {
    case 'cross_entropy':
      return matrix(n, K, 0.01, 1).map((t) => normaliseRows(t));
    case 'binary_cross_entropy':
      return matrix(n, K, 0, 1);
    case 'hinge':
      return fc.array(fc.nat({ max: K - 1 }), { minLength: n, maxLength: n }).map((ys): Matrix => {
        const data = new Float64Array(n * K);
        ys.forEach((y, i) => (data[i * K + y] = 1));
        return { rows: n, cols: K, data };
      });
    case 'max_margin':
      return fc.constant({ rows: n, cols: K, data: new Float64Array(n * K) });
    default:
      return matrix(n, K, -2, 2);
  }
}

function normaliseRows(m: Matrix): Matrix {
  const d = m.data.slice();
  for (let r = 0; r < d.length; r += m.cols) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += d[r + j];
    for (let j = 0; j < m.cols; j++) d[r + j] /= s;
  }
  return { ...m, data: d };
}

const SMOOTH_OR_KINKED: ActivationName[] = ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'softplus', 'square'];

const convConfig = fc.record({
  out: fc.integer({ min: 1, max: 3 }),
  kh: fc.integer({ min: 1, max: 3 }),
  kw: fc.integer({ min: 1, max: 3 }),
  sh: fc.integer({ min: 1, max: 2 }),
  sw: fc.integer({ min: 1, max: 2 }),
  ph: fc.integer({ min: 0, max: 1 }),
  pw: fc.integer({ min: 0, max: 1 }),
  act: fc.constantFrom(...SMOOTH_OR_KINKED),
});

const poolConfig = fc.option(
  fc.record({
    type: fc.constantFrom('maxpool2d' as const, 'avgpool2d' as const),
    kh: fc.integer({ min: 1, max: 2 }),
    kw: fc.integer({ min: 1, max: 2 }),
    sh: fc.integer({ min: 1, max: 2 }),
    sw: fc.integer({ min: 1, max: 2 }),
  }),
  { nil: undefined },
);

const NONE = { W: { rows: 0, cols: 0, data: new Float64Array(0) }, b: new Float64Array(0) };

/**
 * Random small conv nets: an N×C×H×W batch through one or two convolutions (any stride, padding
 * and element-wise activation, kernels clamped to fit), an optional max or average pooling
 * between them, flatten, and a dense output that suits the loss — every loss.
 */
export const convNetwork: fc.Arbitrary<NetworkSpec> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    C: fc.integer({ min: 1, max: 2 }),
    H: fc.integer({ min: 3, max: 6 }),
    W: fc.integer({ min: 3, max: 6 }),
    convs: fc.array(convConfig, { minLength: 1, maxLength: 2 }),
    pool: poolConfig,
    loss: fc.constantFrom(...LOSSES),
    K: fc.integer({ min: 1, max: 3 }),
    lastPick: fc.nat(),
    optimizer,
    l2: fc.constantFrom(0, 0.01),
    steps: fc.integer({ min: 1, max: 2 }),
  })
  .map((r) => (r.loss === 'max_margin' ? { ...r, K: 1, n: 2 * Math.ceil(r.n / 2) } : r))
  .chain((r) => {
    // Settle every layer's shape first; the values are drawn for those shapes.
    type Plan =
      | {
          kind: 'conv';
          shape: [number, number, number, number];
          stride: [number, number];
          padding: [number, number];
          act: ActivationName;
        }
      | { kind: 'pool'; type: 'maxpool2d' | 'avgpool2d'; kernel: [number, number]; stride: [number, number] };
    const plan: Plan[] = [];
    let [C, H, W] = [r.C, r.H, r.W];
    r.convs.forEach((c, i) => {
      const kh = Math.min(c.kh, H + 2 * c.ph),
        kw = Math.min(c.kw, W + 2 * c.pw);
      plan.push({ kind: 'conv', shape: [c.out, C, kh, kw], stride: [c.sh, c.sw], padding: [c.ph, c.pw], act: c.act });
      [C, H, W] = [c.out, Math.floor((H + 2 * c.ph - kh) / c.sh) + 1, Math.floor((W + 2 * c.pw - kw) / c.sw) + 1];
      if (i === 0 && r.pool) {
        const kh2 = Math.min(r.pool.kh, H),
          kw2 = Math.min(r.pool.kw, W);
        plan.push({ kind: 'pool', type: r.pool.type, kernel: [kh2, kw2], stride: [r.pool.sh, r.pool.sw] });
        [H, W] = [Math.floor((H - kh2) / r.pool.sh) + 1, Math.floor((W - kw2) / r.pool.sw) + 1];
      }
    });
    const units = C * H * W;
    const lasts = lastActivationsFor(r.loss);
    const last = lasts[r.lastPick % lasts.length];
    const layers = fc.tuple(
      fc.tuple(
        ...plan.map((p): fc.Arbitrary<LayerSpec> =>
          p.kind === 'pool'
            ? fc.constant({ type: p.type, kernel: p.kernel, stride: p.stride, activation: 'identity', ...NONE })
            : fc
                .tuple(
                  matrix(p.shape[0], p.shape[1] * p.shape[2] * p.shape[3], -1, 1),
                  matrix(1, p.shape[0], -0.5, 0.5),
                )
                .map(([Wm, b]) => ({
                  type: 'conv2d',
                  W: { ...Wm, shape: p.shape },
                  b: b.data,
                  stride: p.stride,
                  padding: p.padding,
                  activation: p.act,
                })),
        ),
      ),
      fc
        .tuple(matrix(r.K, units, -1, 1), matrix(1, r.K, -0.5, 0.5))
        .map(([Wm, b]): LayerSpec => ({ W: Wm, b: b.data, activation: last })),
    );
    return fc
      .tuple(matrix(r.n, r.C * r.H * r.W, -2, 2), targetFor(r.loss, r.n, r.K), layers)
      .map(([x, t, [convs, dense]]): NetworkSpec => ({
        input: { ...x, shape: [r.n, r.C, r.H, r.W] },
        target: t,
        layers: [...convs, { type: 'flatten', activation: 'identity', ...NONE }, dense],
        loss: r.loss,
        optimizer: r.optimizer,
        l2: r.l2,
        steps: r.steps,
      }));
  });
