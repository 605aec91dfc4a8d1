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
  .chain((r) => {
    const L = r.widths.length - 1;
    const lasts = lastActivationsFor(r.loss);
    const acts = [...r.hidden.slice(0, L - 1), lasts[r.lastPick % lasts.length]];
    const K = r.widths[L];
    const target =
      r.loss === 'cross_entropy'
        ? matrix(r.n, K, 0.01, 1).map((t) => normaliseRows(t))
        : r.loss === 'binary_cross_entropy'
          ? matrix(r.n, K, 0, 1)
          : matrix(r.n, K, -2, 2);
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

function normaliseRows(m: Matrix): Matrix {
  const d = m.data.slice();
  for (let r = 0; r < d.length; r += m.cols) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += d[r + j];
    for (let j = 0; j < m.cols; j++) d[r + j] /= s;
  }
  return { ...m, data: d };
}
