/**
 * Recorded traces for the headless panel tests: the seed examples run through the real pipeline
 * (parse → train → expect checks, src/analysis/analyze.ts), plus synthetic networks built
 * directly with the engine: a 784-128-10 classifier for timing and a run that diverges.
 */
import { analyze } from '../../../src/analysis/analyze';
import { createRng, initWeights } from '../../../src/engine/init';
import { setKernelBackend } from '../../../src/engine/kernels/gemm';
import { NetworkSpec } from '../../../src/engine/network';
import { train } from '../../../src/engine/run';
import { PanelSource, sourceFromAnalysis } from '../../../src/extension/panel/payload';
import problem1 from '../../../examples/problem1.bp.yaml';
import problem2 from '../../../examples/problem2-square.bp.yaml';
import problem3 from '../../../examples/problem3-batch.bp.yaml';
import xor from '../../../examples/xor.bp.yaml';
import classifier from '../../../examples/classifier.bp.json';
import linearRegression from '../../../examples/linear-regression.bp.yaml';
import tinyCnn from '../../fixtures/workspace/tiny-cnn.bp.yaml';

// The panel's CSP has no 'wasm-unsafe-eval' (the panel itself never compiles wasm), so the fake
// host runs the engine's TypeScript kernels.
setKernelBackend('ts');

const DIVERGING = `name: diverging
input: [[1, 2]]
target: [[1]]
layers:
  - W: [[3, 3], [3, 3]]
    b: [0, 0]
    activation: identity
  - W: [[3, 3]]
    b: [0]
    activation: identity
loss: sse
optimizer: {type: sgd, lr: 1}
steps: 12
`;

/** Problem 1 with b¹ = (0, 2, 2) and a ReLU: z¹ = (0, 8, 0), units 1 and 3 exactly at the kink. */
const RELU_AT_ZERO = `name: relu at zero
input: [1, 1]
target: [2, 3]
layers:
  - W: [[1, -1], [2, 4], [-3, 1]]
    b: [0, 2, 2]
    activation: relu
  - W: [[1, 2, -3], [2, -1, 3]]
    b: [2, 1]
    activation: identity
loss: half_sse
optimizer: {type: sgd, lr: 0.01}
`;

/** Receptive fields off the plain case: 2 channels, 3×3 kernels, stride 2 down and 1 across, one row of padding. */
const CONV_STRIDE = `input: ${JSON.stringify(
  [0, 1].map((c) =>
    [0, 1, 2, 3, 4].map((y) => [0, 1, 2, 3, 4].map((x) => Math.round((c - 0.5 + y * 0.2 - x * 0.1) * 100) / 100)),
  ),
)}
target: [0, 1]
seed: 9
layers:
  - type: conv2d
    filters: 2
    kernel: 3
    stride: [2, 1]
    padding: [1, 0]
    activation: tanh
  - type: flatten
  - units: 2
    activation: softmax
loss: cross_entropy
optimizer: {type: sgd, lr: 0.1}
`;

function fromText(name: string, text: string, gradcheck = false, steps?: number): PanelSource {
  const fileName = `${name}`;
  const a = analyze(text, { fileName, gradcheck, steps });
  const src = sourceFromAnalysis(`file:///work/examples/${fileName}`, fileName, a);
  if (!src) throw new Error(`${name}: no trace (${a.diagnostics.map((d) => d.message).join('; ')})`);
  return src;
}

/** A 784-128-10 ReLU/softmax classifier on a batch of 32 random "images", 3 SGD steps. */
function mnistLike(steps = 3): PanelSource {
  const rng = createRng(2024);
  const N = 32,
    widths = [784, 128, 10];
  const input = { rows: N, cols: 784, data: Float64Array.from({ length: N * 784 }, () => rng.uniform()) };
  const target = { rows: N, cols: 10, data: new Float64Array(N * 10) };
  for (let n = 0; n < N; n++) target.data[n * 10 + (rng.nextUint32() % 10)] = 1;
  const spec: NetworkSpec = {
    input,
    target,
    loss: 'cross_entropy',
    optimizer: { type: 'sgd', lr: 0.05 },
    l2: 0,
    steps,
    layers: [
      { W: initWeights('he_normal', 128, 784, 7, 1), b: new Float64Array(128), activation: 'relu' },
      { W: initWeights('xavier_normal', 10, 128, 7, 2), b: new Float64Array(10), activation: 'softmax' },
    ],
  };
  return {
    uri: 'file:///work/mnist-like.bp.yaml',
    fileName: 'mnist-like.bp.yaml',
    name: 'MNIST-sized classifier (synthetic)',
    convention: 'out_in',
    batchLayout: 'rows',
    widths,
    activations: ['relu', 'softmax'],
    loss: 'cross_entropy',
    trace: train(spec),
    checks: [],
  };
}

export const FIXTURES: Readonly<Record<string, () => PanelSource>> = {
  problem1: () => fromText('problem1.bp.yaml', problem1),
  problem1gc: () => fromText('problem1.bp.yaml', problem1, true),
  reluAtZero: () => fromText('relu0.bp.yaml', RELU_AT_ZERO, true),
  problem2: () => fromText('problem2-square.bp.yaml', problem2),
  problem3: () => fromText('problem3-batch.bp.yaml', problem3),
  xor: () => fromText('xor.bp.yaml', xor),
  /** XOR trained for 1500 steps (Train N Steps…): more steps than a dropdown should list. */
  xorLong: () => fromText('xor.bp.yaml', xor, false, 1500),
  /** XOR trained for 100,000 steps: the trace store keeps checkpoints; a far step is recomputed when asked for. */
  xor100k: () => fromText('xor.bp.yaml', xor, false, 100_000),
  classifier: () => fromText('classifier.bp.json', JSON.stringify(classifier, null, 2), true),
  diverging: () => fromText('diverging.bp.yaml', DIVERGING),
  mnist: () => mnistLike(),
  /** Lecture note 000's linear regression: the closed-form optimum beside gradient descent. */
  linearRegression: () => fromText('linear-regression.bp.yaml', linearRegression),
  /** The conv net (conv2d, maxpool2d, flatten, dense): feature maps, kernels, receptive fields. */
  tinyCnn: () => fromText('tiny-cnn.bp.yaml', tinyCnn, true),
  convStride: () => fromText('conv-stride.bp.yaml', CONV_STRIDE),
};
