// The layer kinds and margin losses in model files: what they read into, and every shape mistake
// as a diagnostic at the layer (or the key) it is about, saying what arrives and what is needed.
import { strict as assert } from 'node:assert';
import { parseModel } from '../../../src/model/parse';
import { ModelDiagnostic } from '../../../src/model/types';
import { train } from '../../../src/engine/run';
import { shapeOf } from '../../../src/engine/tensor';
import { checkExpectations } from '../../../src/analysis/expect';
import { parameterRange, targetAt } from '../../../src/model/places';
import { traceToJson } from '../../../src/report/json';
import { updatedWeightEdits } from '../../../src/model/weightEdits';
import { find, lc, parseOk, ROOT } from './helpers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The example, as written there (test/fixtures/workspace/tiny-cnn.bp.yaml, less its comments). */
export const TINY_CNN = readFileSync(join(ROOT, 'test', 'fixtures', 'workspace', 'tiny-cnn.bp.yaml'), 'utf8').replace(
  /^#.*\n/gm,
  '',
);

function diags(text: string): ModelDiagnostic[] {
  const r = parseModel(text, { fileName: 'kinds.bp.yaml' });
  if (r.diagnostics.some((d) => d.severity === 'error')) assert.equal(r.model, undefined, 'errors mean no model');
  return [...r.diagnostics];
}

/** The one error of `code`, failing with every diagnostic when there is not exactly one. */
function one(text: string, code = 'shape'): ModelDiagnostic {
  const ds = diags(text).filter((d) => d.severity === 'error' && d.code === code);
  assert.equal(ds.length, 1, JSON.stringify(diags(text).map((d) => `${d.code}: ${d.message}`)));
  return ds[0];
}

/** Nested numbers to 12 significant digits: 0.5 + 0.5 + … is 1.5000000000000002 in doubles. */
function rounded(x: unknown): unknown {
  return Array.isArray(x) ? x.map(rounded) : typeof x === 'number' ? Number(x.toPrecision(12)) : x;
}

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `text has ${from}`);
  return text.replace(from, to);
}

describe('model files: layer kinds', () => {
  it('reads the issue example: conv2d, maxpool2d, flatten, dense, with shapes', () => {
    const m = parseOk(TINY_CNN);
    assert.deepEqual(
      m.spec.layers.map((l) => l.type ?? 'dense'),
      ['conv2d', 'maxpool2d', 'flatten', 'dense'],
    );
    assert.deepEqual(shapeOf(m.spec.input), [1, 1, 3, 3]);
    assert.deepEqual(shapeOf(m.spec.layers[0].W), [2, 1, 2, 2]);
    const pool = m.spec.layers[1];
    assert.ok(pool.type === 'maxpool2d');
    assert.deepEqual(
      [pool.kernel, pool.stride],
      [
        [2, 2],
        [2, 2],
      ],
    );
    assert.deepEqual(Array.from(m.spec.target.data), [0, 1]);
  });

  it('pooling strides default to the kernel; pairs are [vertical, horizontal]', () => {
    const text = edit(
      edit(edit(TINY_CNN, 'kernel: 2\n    stride: 2', 'kernel: [2, 1]'), 'padding: 0', 'padding: [1, 0]'),
      'W: [[0.1, -0.2], [0.3, 0.4]]',
      'W: [[0.1, -0.2, 0, 0, 0, 0, 0, 0], [0.3, 0.4, 0, 0, 0, 0, 0, 0]]',
    );
    // conv: (3 + 2·1 − 2) + 1 = 4 rows, (3 − 2) + 1 = 2 columns; pool [2, 1], stride [2, 1] → 2×2×2 = 8 units.
    const m = parseOk(text);
    const conv = m.spec.layers[0],
      pool = m.spec.layers[1];
    assert.ok(conv.type === 'conv2d' && pool.type === 'maxpool2d');
    assert.deepEqual(conv.padding, [1, 0]);
    assert.deepEqual(pool.stride, [2, 1]);
    assert.deepEqual(m.spec.layers[3].W.cols, 8);
    const d = one(edit(text, 'kernel: [2, 1]', 'kernel: [2, 1]\n    stride: 1'));
    assert.match(d.message, /W⁴ is 2×8 but layer 4 needs 2×12/);
  });

  it('a conv2d whose W takes other channels: at W, with what arrives and what it needs', () => {
    const text = edit(
      TINY_CNN,
      'W: [[[[1, 0], [0, -1]]], [[[0.5, 0.5], [0.5, 0.5]]]]',
      'W: [[[[1, 0], [0, -1]], [[1, 0], [0, 1]]], [[[0.5, 0.5], [0.5, 0.5]], [[1, 1], [1, 1]]]]',
    );
    const d = one(text);
    assert.match(
      d.message,
      /W¹ is 2×2×2×2 \(out×in×kh×kw\) but 1 channel arrives from the input \(1×3×3\): it needs 2×1×2×2/,
    );
    assert.deepEqual(lc(d.range).slice(0, 2), find(text, '[[[[1, 0], [0, -1]], [[1').slice(0, 2));
  });

  it('a conv2d after a dense layer, and a dense layer after an image, are errors at that layer', () => {
    const noFlatten = edit(TINY_CNN, '  - type: flatten\n', '');
    const d = one(noFlatten);
    assert.match(
      d.message,
      /Layer 3 \(dense\) takes a vector of units, but 2×1×1 images arrive from layer 2: put a flatten layer before it/,
    );
    assert.equal(lc(d.range)[0], find(noFlatten, '- W: [[0.1')[0]);
    const vectorIn = `input: [1, 2, 3, 4]
target: [1]
layers:
  - type: conv2d
    filters: 1
    kernel: 1
    activation: identity
  - type: flatten
  - units: 1
    activation: identity
loss: mse
optimizer: {type: sgd, lr: 0.1}
`;
    const v = one(vectorIn);
    assert.match(v.message, /Layer 1 \(conv2d\) takes images C×H×W, but a vector of 4 units arrives from the input/);
    assert.deepEqual(lc(v.range).slice(0, 2), find(vectorIn, 'conv2d').slice(0, 2));
  });

  it('a kernel or window larger than the image, a bias per output channel', () => {
    const big = edit(TINY_CNN, 'kernel: 2\n    stride: 2', 'kernel: 3');
    assert.match(
      one(big).message,
      /The 3×3 window of layer 2 is larger than the 2×2 image arriving from layer 1 \(2×2×2\)/,
    );
    const b = one(edit(TINY_CNN, 'b: [0, 0.1]', 'b: [0, 0.1, 0.2]'));
    assert.match(b.message, /b¹ has 3 entries but layer 1 has 2 output channels \(W¹ is 2×1×2×2, out×in×kh×kw\)/);
    const k = one(
      edit(TINY_CNN, 'stride: 1\n    padding: 0', 'stride: 1\n    padding: 0').replace(
        '[[[[1, 0], [0, -1]]], [[[0.5, 0.5], [0.5, 0.5]]]]',
        '[[[[1, 0, 1, 0], [0, -1, 0, 1]]], [[[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]]]]',
      ),
    );
    assert.match(k.message, /The 2×4 kernel of layer 1 is larger than the 3×3 image arriving from the input/);
  });

  it('W of a conv2d must be four lists deep; ragged and too deep lists are errors where they go wrong', () => {
    assert.match(
      one(edit(TINY_CNN, 'W: [[[[1, 0], [0, -1]]], [[[0.5, 0.5], [0.5, 0.5]]]]', 'W: [[1, 0], [0, -1]]')).message,
      /W¹ of a conv2d layer is out_channels × in_channels × kh × kw .* you wrote 2×2/,
    );
    const ragged = edit(
      TINY_CNN,
      '[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]',
      '[[0.1, 0.2, 0.3], [0.4, 0.5], [0.7, 0.8, 0.9]]',
    );
    const r = one(ragged, 'ragged');
    assert.match(r.message, /input\[1\]\[2\] has 2 numbers but input\[1\]\[1\] has 3/);
    assert.deepEqual(lc(r.range).slice(0, 2), find(ragged, '[0.4, 0.5]').slice(0, 2));
    const deep = edit(TINY_CNN, 'input: [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]]', 'input: [[[[[1]]]]]');
    assert.match(one(deep).message, /input is nested 5 lists deep; at most 4/);
  });

  it('batch_layout: columns with images is an error at that key', () => {
    const text = 'batch_layout: columns\n' + TINY_CNN;
    const d = one(text);
    assert.match(d.message, /batch_layout: columns does not apply to images/);
    assert.deepEqual(lc(d.range), find(text, 'batch_layout'));
  });

  it('softmax is for dense layers', () => {
    const text = edit(TINY_CNN, 'activation: relu', 'activation: softmax');
    const d = one(text, 'activation');
    assert.deepEqual(lc(d.range), find(text, 'softmax'));
  });

  it('feature maps count against limits.maxUnits, kernels against maxParameters', () => {
    const d = parseModel(TINY_CNN, { limits: { maxUnits: 6 } }).diagnostics.find((x) => x.code === 'limit');
    assert.match(d?.message ?? '', /Layer 1 makes 2×2×2 = 8 units per example, above the limit of 6/);
    const p = parseModel(TINY_CNN, { limits: { maxParameters: 9 } }).diagnostics.find((x) => x.code === 'limit');
    assert.match(p?.message ?? '', /more than 9 parameters by layer 1/);
  });

  it('conv2d with filters, kernel and init draws out×in×kh×kw from the seed; convention leaves it alone', () => {
    const text = `seed: 7
convention: in_out
input: [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[9, 8, 7], [6, 5, 4], [3, 2, 1]]]]
target: [[1], [0]]
layers:
  - type: conv2d
    filters: 3
    kernel: [2, 3]
    init: he_normal
    activation: tanh
  - type: flatten
  - W: [[0.1], [0.2], [0.3], [0.4], [0.5], [0.6]]
    b: [0]
    activation: sigmoid
loss: binary_cross_entropy
optimizer: {type: sgd, lr: 0.1}
`;
    const m = parseOk(text);
    assert.deepEqual(shapeOf(m.spec.layers[0].W), [3, 1, 2, 3]);
    assert.deepEqual(m.initializers, ['he_normal', null, null]);
    // he_normal: N(0, √(2 / fan_in)), fan_in = 1·2·3; 18 draws, not all alike, none absurd.
    const w = Array.from(m.spec.layers[0].W.data);
    assert.ok(new Set(w).size === 18 && w.every((x) => Math.abs(x) < 6 * Math.sqrt(2 / 6)));
    assert.deepEqual(Array.from(parseOk(text).spec.layers[0].W.data), w, 'the same seed, the same kernels');
    // in_out applies to the dense layer only: its 6×1 W is n_in × n_out.
    assert.deepEqual([m.spec.layers[2].W.rows, m.spec.layers[2].W.cols], [1, 6]);
  });
});

describe('model files: margin losses', () => {
  const scores = (loss: string, target: string) => `input: [[1, 0], [0, 1], [1, 1], [0, 0]]
${target}layers:
  - W: [[0.5, -0.25], [0.1, 0.2], [-0.3, 0.4]]
    b: [0, 0, 0]
    activation: identity
loss: ${loss}
optimizer: {type: sgd, lr: 0.1}
`;

  it('hinge takes one-hot rows or class indices (one per example), the same loss either way', () => {
    const byIndex = parseOk(scores('hinge', 'target: [[2], [0], [1], [2]]\n'));
    const oneHot = parseOk(scores('hinge', 'target: [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]\n'));
    assert.deepEqual(Array.from(byIndex.spec.target.data), Array.from(oneHot.spec.target.data));
    assert.equal(train(byIndex.spec).steps.get(1).loss.value, train(oneHot.spec).steps.get(1).loss.value);
    assert.match(
      one(scores('hinge', 'target: [[3], [0], [1], [2]]\n'), 'target-range').message,
      /class indices go from 0 to 2 .* example 1 of target is 3/,
    );
    assert.match(
      one(scores('hinge', 'target: [[0.5, 0.5, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]\n'), 'target-range').message,
      /one-hot rows or class indices, but example 1 of target is \(0.5, 0.5, 0\)/,
    );
  });

  it('max_margin: no target, or one placeholder per example; pairs of examples; one score', () => {
    const pairs = (target: string, n = 4) => `input: ${JSON.stringify(
      [
        [1, 0],
        [0, 1],
        [1, 1],
        [0, 0],
      ].slice(0, n),
    )}
${target}layers:
  - W: [[0.5, -0.25]]
    b: [0]
    activation: identity
loss: max_margin
optimizer: {type: sgd, lr: 0.1}
`;
    const without = parseOk(pairs(''));
    const placeholder = parseOk(pairs('target: [[0], [0], [0], [0]]\n'));
    assert.equal(train(without.spec).steps.get(1).loss.value, train(placeholder.spec).steps.get(1).loss.value);
    assert.match(
      one(pairs('target: [[0], [0]]\n')).message,
      /max_margin does not use the target: leave it out, or write one placeholder per example \(4/,
    );
    assert.match(one(pairs('', 3), 'loss-shape').message, /in pairs .* input has 3 examples/);
    const wide = pairs('').replace('W: [[0.5, -0.25]]\n    b: [0]', 'W: [[0.5, -0.25], [1, 1]]\n    b: [0, 0]');
    const d = one(wide, 'loss-shape');
    assert.match(
      d.message,
      /max_margin scores each example with one number, but the last layer \(layer 1\) has 2 units/,
    );
    assert.deepEqual(lc(d.range), find(wide, 'max_margin'));
  });

  it('loss: {type, margin} sets the margin; other losses ignore it with a warning', () => {
    assert.equal(parseOk(scores('{type: hinge, margin: 0.5}', 'target: [[2], [0], [1], [2]]\n')).spec.margin, 0.5);
    const ds = diags(scores('{type: mse, margin: 2}', 'target: [[1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]]\n'));
    assert.deepEqual(
      ds.map((d) => d.message),
      ['margin applies to hinge and max_margin; mse ignores it'],
    );
  });
});

describe('model files: expect, places, JSON and weight edits on a conv net', () => {
  const withExpect = edit(
    TINY_CNN,
    '    activation: relu\n',
    `    activation: relu
    expect:
      z: [[[-0.4, -0.4], [-0.4, -0.4]], [[0.7, 0.9], [1.3, 1.6]]]
      db: [0, -0.17]
`,
  );

  it('expect takes images as [channel][row][col] and reports a wrong number at its own place, indexed as written', () => {
    const m = parseOk(withExpect);
    const results = checkExpectations(m, train(m.spec));
    const z = results.find((r) => r.expectation.key === 'z');
    assert.ok(z && !z.ok);
    const wrong = z.diagnostics();
    assert.equal(wrong.length, 1);
    assert.match(wrong[0].message, /expected z¹\[2\]\[2\]\[2\] = 1.6, computed 1.5/);
    assert.deepEqual(lc(wrong[0].range), find(withExpect, '1.6'));
    // 0.1·0.4·… by hand: b¹' gradient (0, −0.17343) to 2 decimals fails at 1e-6, passes at its tolerance.
    const db = results.find((r) => r.expectation.key === 'db');
    assert.ok(db && !db.ok);
  });

  it('expect of parameters on a layer without any, and a wrongly shaped image, say why', () => {
    const text = edit(TINY_CNN, '    stride: 2\n', '    stride: 2\n    expect: {dW: [1], z: [[0, 1.5]]}\n');
    const m = parseOk(text);
    const [dW, z] = checkExpectations(m, train(m.spec));
    assert.match(dW.error ?? '', /Layer 2 \(maxpool2d\) has no parameters, so no ∂L\/∂W²/);
    assert.match(
      z.shapeError ?? '',
      /z² is 1×2×1×1 \(examples × channels × rows × columns; for one example also 2×1×1\), you wrote 1×2/,
    );
  });

  it('a kernel entry is found at its literal, and its literal from the engine index (rows: output channels)', () => {
    const m = parseOk(TINY_CNN);
    const t = targetAt(m, TINY_CNN.indexOf('-1]]]') + 1);
    assert.ok(t && t.kind === 'weight');
    assert.deepEqual([t.layer, t.i, t.j], [1, 0, 3], 'W¹[1][1][2][2] is out channel 0, entry 3 of its 1·2·2');
    assert.deepEqual(lc(parameterRange(m, 1, 'W', 1, 2)), find(TINY_CNN, '0.5', '[[[0.5', 2));
  });

  it('--format json: conv W as [out][in][kh][kw], images as [example][channel][row][col], pooling without parameters', () => {
    const m = parseOk(TINY_CNN);
    const json = traceToJson(train(m.spec), { name: 'x', convention: 'out_in', batchLayout: 'rows' }) as {
      steps: { layers: Record<string, unknown>[] }[];
    };
    const [conv, pool, flat, dense] = json.steps[0].layers;
    assert.deepEqual(conv.W, [
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
    ]);
    assert.deepEqual(rounded(conv.z), [
      [
        [
          [-0.4, -0.4],
          [-0.4, -0.4],
        ],
        [
          [0.7, 0.9],
          [1.3, 1.5],
        ],
      ],
    ]);
    assert.deepEqual(rounded(pool.z), [[[[0]], [[1.5]]]]);
    assert.ok(!('W' in pool) && !('dW' in flat) && 'W_next' in dense);
    assert.deepEqual(rounded(flat.a), [[0, 1.5]]);
    assert.equal(conv.type, 'conv2d');
  });

  it('Apply Updated Weights rewrites a conv2d W literal by literal and passes over pooling and flatten', () => {
    const m = parseOk(TINY_CNN);
    const r = updatedWeightEdits(m, train(m.spec), TINY_CNN);
    assert.deepEqual(r.skipped, []);
    // W¹'s second kernel and b¹[2] move (δ¹ reaches only channel 2), and all of W⁴ but its zero column.
    const texts = r.edits.map((e) => TINY_CNN.slice(e.range.start.offset, e.range.end.offset));
    assert.deepEqual(texts.slice(0, 5), ['0.5', '0.5', '0.5', '0.5', '0.1']);
  });
});
