/** Model files the e2e tests write into their scratch workspace. */

/** 200 examples of 100 inputs into 200-200-1 tanh/sigmoid layers: ~60,000 parameters, ~5 ms per loss evaluation. */
export function bigModel(): string {
  const N = 200,
    nIn = 100;
  const rows = Array.from(
    { length: N },
    (_, n) => `[${Array.from({ length: nIn }, (_, j) => (((n * 7 + j * 13) % 17) / 16 - 0.5).toFixed(3)).join(', ')}]`,
  );
  return [
    '# Big enough that the gradient check (2,000 sampled parameters, 2 passes each) takes seconds.',
    'name: big',
    'seed: 1',
    `input: [${rows.join(',\n  ')}]`,
    `target: [${Array.from({ length: N }, (_, n) => n % 2).join(', ')}]`,
    'layers:',
    '  - units: 200',
    '    init: xavier_normal',
    '    activation: tanh',
    '  - units: 200',
    '    init: xavier_normal',
    '    activation: tanh',
    '  - units: 1',
    '    init: xavier_normal',
    '    activation: sigmoid',
    'loss: binary_cross_entropy',
    'optimizer: {type: sgd, lr: 0.1}',
    '',
  ].join('\n');
}

/** 784-128-10 from init (a seed), one example of 784 "pixels", sigmoid/softmax, cross-entropy, SGD. */
export function mnistModel(): string {
  const pixels = Array.from({ length: 784 }, (_, j) => (((j * 37) % 101) / 100).toFixed(2));
  return [
    'name: 784-128-10',
    'seed: 7',
    `input: [${pixels.join(', ')}]`,
    'target: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]',
    'layers:',
    '  - units: 128',
    '    init: xavier_normal',
    '    activation: sigmoid',
    '  - units: 10',
    '    init: xavier_normal',
    '    activation: softmax',
    'loss: cross_entropy',
    'optimizer: {type: sgd, lr: 0.01}',
    '',
  ].join('\n');
}
