import { strict as assert } from 'node:assert';
import { parseModel } from '../../../src/model/parse';
import { Model } from '../../../src/model/types';
import { initWeights } from '../../../src/engine/init';
import { example, P1, parseOk, rows } from './helpers';

function parsed(name: string): Model {
  const { text, fileName } = example(name);
  const r = parseModel(text, { fileName });
  const errors = r.diagnostics.filter((d) => d.severity !== 'info');
  assert.deepEqual(errors, [], `${name} parses without errors or warnings`);
  assert.ok(r.model, `${name} gives a model`);
  return r.model;
}

const ok = parseOk;

describe('model/parse: examples and the canonical spec', () => {
  it("problem 1: the notes' network, as written (out_in, one example)", () => {
    const m = parsed('problem1.bp.yaml');
    assert.equal(m.name, 'worked problem 1');
    assert.equal(m.format, 'yaml');
    assert.equal(m.convention, 'out_in');
    assert.equal(m.batchLayout, 'rows');
    assert.deepEqual(rows(m.spec.input), [[1, 1]]);
    assert.deepEqual(rows(m.spec.target), [[2, 3]]);
    assert.equal(m.spec.layers.length, 2);
    assert.deepEqual(rows(m.spec.layers[0].W), [
      [1, -2],
      [2, 4],
      [-3, 1],
    ]);
    assert.deepEqual(Array.from(m.spec.layers[0].b), [1, 2, 3]);
    assert.deepEqual(rows(m.spec.layers[1].W), [
      [1, 2, -3],
      [2, -1, 3],
    ]);
    assert.deepEqual(Array.from(m.spec.layers[1].b), [2, 1]);
    assert.deepEqual(
      m.spec.layers.map((l) => l.activation),
      ['identity', 'identity'],
    );
    assert.equal(m.spec.loss, 'half_sse');
    assert.deepEqual(m.spec.optimizer, { type: 'sgd', lr: 0.01 });
    assert.equal(m.spec.l2, 0);
    assert.equal(m.spec.steps, 1);
    assert.equal(m.gradcheckEpsilon, 1e-4);
    assert.equal(m.seed, undefined, 'no seed when no layer is drawn');
    // 7 blocks' worth of keys: 7 on layer 1, 7 on layer 2, loss at the top.
    assert.equal(m.expectations.length, 15);
    const bNext1 = m.expectations.find((e) => e.layer === 1 && e.key === 'b_next');
    assert.deepEqual(bNext1?.values, [[1.99, 3.6]]);
    assert.equal(bNext1?.written, 'vector');
    assert.equal(bNext1?.step, 1);
    assert.equal(bNext1?.toleranceMode, 'scaled');
    const loss = m.expectations.find((e) => e.key === 'loss');
    assert.deepEqual(loss && { layer: loss.layer, values: loss.values, written: loss.written }, {
      layer: 0,
      values: [[109]],
      written: 'scalar',
    });
  });

  it('problem 2: square activation; the list form gives two step-1 blocks on layer 2', () => {
    const m = parsed('problem2-square.bp.yaml');
    assert.deepEqual(rows(m.spec.layers[0].W), [
      [1, -2],
      [1, 1],
    ]);
    assert.deepEqual(rows(m.spec.layers[1].W), [
      [1, -1],
      [2, -1],
    ]);
    assert.deepEqual(
      m.spec.layers.map((l) => l.activation),
      ['square', 'square'],
    );
    const deltas = m.expectations.filter((e) => e.layer === 2 && e.key === 'delta');
    assert.deepEqual(
      deltas.map((e) => [e.step, e.values[0]]),
      [
        [1, [-42, -4]],
        [1, [-6, -4]],
      ],
    );
    const dLda = m.expectations.find((e) => e.layer === 0 && e.key === 'dL_da');
    assert.deepEqual(dLda?.values, [[1, 1]]);
  });

  it('problem 3: batch_layout columns is transposed to examples-as-rows; a flat target is one number per example', () => {
    const m = parsed('problem3-batch.bp.yaml');
    assert.equal(m.batchLayout, 'columns');
    // The file writes input as 2 units × 3 examples; the engine gets 3 examples × 2 units.
    assert.deepEqual(rows(m.spec.input), [
      [1, 2],
      [1, -1],
      [1, 1],
    ]);
    assert.deepEqual(rows(m.spec.target), [[-1], [0], [1]]);
    assert.deepEqual(rows(m.spec.layers[2].W), [[1, 1]]);
    assert.equal(m.spec.loss, 'mse');
    const z1 = m.expectations.find((e) => e.layer === 1 && e.key === 'z');
    assert.deepEqual(
      z1?.values,
      [
        [5, -1, 3],
        [4, 1, 3],
        [3, -3, 1],
      ],
      'expectations stay as written',
    );
  });

  it('xor: units + init draw W from the seed (biases zero), deterministic', () => {
    const m = parsed('xor.bp.yaml');
    assert.equal(m.seed, 7);
    assert.deepEqual(m.initializers, ['xavier_normal', 'xavier_normal']);
    assert.deepEqual(rows(m.spec.layers[0].W), rows(initWeights('xavier_normal', 2, 2, 7, 1)));
    assert.deepEqual(rows(m.spec.layers[1].W), rows(initWeights('xavier_normal', 1, 2, 7, 2)));
    assert.deepEqual(Array.from(m.spec.layers[1].b), [0]);
    assert.deepEqual(rows(m.spec.target), [[0], [1], [1], [0]]);
    assert.deepEqual(m.spec.optimizer, { type: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    assert.equal(m.spec.steps, 20);
    const again = parsed('xor.bp.yaml');
    assert.deepEqual(rows(again.spec.layers[0].W), rows(m.spec.layers[0].W));
  });

  it('classifier.bp.json: in_out weights are transposed to n_out × n_in', () => {
    const m = parsed('classifier.bp.json');
    assert.equal(m.format, 'json');
    assert.equal(m.convention, 'in_out');
    // Written 2 × 4 (n_0 × n_1); the engine needs 4 × 2.
    assert.deepEqual(rows(m.spec.layers[0].W), [
      [0.5, -1],
      [-0.5, 0.5],
      [0.25, 0.75],
      [1, 0],
    ]);
    assert.deepEqual(rows(m.spec.layers[1].W), [
      [1, 0, -1, 0.5],
      [-1, 1, 0, 0.5],
      [0, -1, 1, 0.5],
    ]);
    assert.deepEqual(m.spec.optimizer, { type: 'momentum', lr: 0.1, momentum: 0.9 });
    assert.equal(m.spec.l2, 0.001);
    assert.equal(m.gradcheckEpsilon, 1e-5);
    assert.equal(m.spec.loss, 'cross_entropy');
  });
});

describe('model/parse: conventions and batch layouts', () => {
  it('in_out: the same network written transposed gives the same spec', () => {
    const a = ok(P1);
    const b = ok(
      P1.replace('[[1, -2], [2, 4], [-3, 1]]', '[[1, 2, -3], [-2, 4, 1]]')
        .replace('[[1, 2, -3], [2, -1, 3]]', '[[1, 2], [2, -1], [-3, 3]]')
        .replace('input:', 'convention: in_out\ninput:'),
    );
    assert.deepEqual(
      b.spec.layers.map((l) => rows(l.W)),
      a.spec.layers.map((l) => rows(l.W)),
    );
  });

  it('columns: a batch written as columns equals the same batch written as rows', () => {
    const asRows = ok(
      P1.replace('input: [1, 1]', 'input: [[1, 1], [0, 2], [3, -1]]').replace(
        'target: [2, 3]',
        'target: [[2, 3], [0, 0], [1, 1]]',
      ),
    );
    const asCols = ok(
      P1.replace('input: [1, 1]', 'batch_layout: columns\ninput: [[1, 0, 3], [1, 2, -1]]').replace(
        'target: [2, 3]',
        'target: [[2, 0, 1], [3, 0, 1]]',
      ),
    );
    assert.deepEqual(rows(asCols.spec.input), rows(asRows.spec.input));
    assert.deepEqual(rows(asCols.spec.target), rows(asRows.spec.target));
    assert.deepEqual(rows(asRows.spec.input), [
      [1, 1],
      [0, 2],
      [3, -1],
    ]);
  });

  it('a flat list is one example, or one number per example when the layer has one unit', () => {
    const one = ok(
      'input: [1, 2, 3]\ntarget: [1]\nlayers:\n  - {W: [[1, 1, 1]], b: [0], activation: identity}\nloss: mse\noptimizer: {lr: 0.1}\n',
    );
    assert.deepEqual([one.spec.input.rows, one.spec.input.cols], [1, 3]);
    const three = ok(
      'input: [1, 2, 3]\ntarget: [1, 0, 1]\nlayers:\n  - {W: [[2]], b: [0], activation: identity}\nloss: mse\noptimizer: {lr: 0.1}\n',
    );
    assert.deepEqual(rows(three.spec.input), [[1], [2], [3]]);
    assert.deepEqual(rows(three.spec.target), [[1], [0], [1]]);
  });

  it('defaults: sgd when the optimizer has no type, out_in, rows, 1 step, no L2', () => {
    const m = ok(
      'input: [1]\ntarget: [1]\nlayers:\n  - {W: [[1]], b: [0], activation: sigmoid}\nloss: sse\noptimizer: {lr: 0.5}\n',
    );
    assert.deepEqual(m.spec.optimizer, { type: 'sgd', lr: 0.5 });
    assert.deepEqual([m.convention, m.batchLayout, m.spec.steps, m.spec.l2, m.name], ['out_in', 'rows', 1, 0, 'model']);
  });

  it('names the model after the file when it has no name', () => {
    const m = ok(
      'input: [1]\ntarget: [1]\nlayers:\n  - {W: [[1]], b: [0], activation: relu}\nloss: sse\noptimizer: {lr: 0.5}\n',
      { fileName: '/tmp/my-net.bp.yaml' },
    );
    assert.equal(m.name, 'my-net');
  });

  it('reads the format from the file name: .bp.json is strict JSON', () => {
    const r = parseModel(
      '{"input": [1], "target": [1], "layers": [{"W": [[1]], "b": [0], "activation": "relu"}], "loss": "sse", "optimizer": {"lr": 0.5}}',
      { fileName: 'x.bp.json' },
    );
    assert.equal(r.model?.format, 'json');
    const y = parseModel('{input: [1]}', { fileName: 'x.bp.json' });
    assert.equal(y.model, undefined);
    assert.equal(y.diagnostics[0].code, 'json-syntax');
  });

  it('keeps the ranges views need: every W cell, b, activation, the layer head', () => {
    const m = ok(P1);
    const W2 = m.ranges.layers[1].W;
    assert.ok(W2);
    // W²[2][2] = -1 sits on line 7 (0-based 6): "  - W: [[1, 2, -3], [2, -1, 3]]".
    const c = W2.cells[1][1];
    assert.equal(P1.slice(c.start.offset, c.end.offset), '-1');
    assert.deepEqual([c.start.line, c.start.character], [6, 24]);
    assert.equal(
      P1.slice(m.ranges.layers[0].head.start.offset, m.ranges.layers[0].head.end.offset),
      '- W: [[1, -2], [2, 4], [-3, 1]]',
    );
    assert.equal(m.ranges.layers[1].activation?.start.line, 8);
    assert.equal(P1.slice(m.ranges.lossKey?.start.offset, m.ranges.lossKey?.end.offset), 'loss');
  });

  it('supports YAML anchors and aliases for repeated values', () => {
    const m = ok(P1.replace('input: [1, 1]', 'input: &x [1, 1]').replace('target: [2, 3]', 'target: *x'));
    assert.deepEqual(rows(m.spec.target), [[1, 1]]);
  });

  it('reads block-style matrices the same as flow-style ones', () => {
    const m = ok(
      P1.replace(
        '  - W: [[1, -2], [2, 4], [-3, 1]]\n',
        '  - W:\n      - [1, -2]\n      - [2, 4]\n      - - -3\n        - 1\n',
      ),
    );
    assert.deepEqual(rows(m.spec.layers[0].W), [
      [1, -2],
      [2, 4],
      [-3, 1],
    ]);
  });
});
