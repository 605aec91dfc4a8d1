// Where things are in a model file, both ways. Expected places are found in the text itself
// (the line of "  - W: [[1, -2]", the characters of "-0.94"), never taken from the parser's ranges.
import assert from 'node:assert/strict';
import {
  layerAtLine,
  layerAtOffset,
  layerLines,
  lossLine,
  parameterRange,
  Place,
  placeRange,
  targetAt,
} from '../../../src/model/places';
import { SourceRange } from '../../../src/model/types';
import { offsetOf, PROBLEM1, PROBLEM1_IN_OUT, run } from '../editor/fixtures';
import { example, parseOk } from './helpers';

/** The 0-based line of the first occurrence of `needle`. */
const lineOf = (text: string, needle: string): number => {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in the text`);
  return text.slice(0, i).split('\n').length - 1;
};

const slice = (text: string, r: SourceRange | undefined) => (r ? text.slice(r.start.offset, r.end.offset) : undefined);

describe('model/places: what is under the cursor', () => {
  const p = run(PROBLEM1);
  const W2 = offsetOf(PROBLEM1, 'W: [[1.0, 2, -3]');

  it('a weight literal of W² in out_in: engine (row, col) as written', () => {
    // "W: [[1.0, 2, -3]": the "2" is W²[1][2] (0-based 0, 1).
    const t = targetAt(p.model, offsetOf(PROBLEM1, '2', 0, W2 + 5));
    assert.deepEqual(t && { kind: t.kind, ...('i' in t ? { layer: t.layer, i: t.i, j: 'j' in t ? t.j : -1 } : {}) }, {
      kind: 'weight',
      layer: 2,
      i: 0,
      j: 1,
    });
    assert.equal(slice(PROBLEM1, t!.range), '2');
  });

  it('the last character of a literal still belongs to it (-3)', () => {
    const t = targetAt(p.model, offsetOf(PROBLEM1, '-3', 1, W2));
    assert.equal(t?.kind, 'weight');
    assert.equal(slice(PROBLEM1, t.range), '-3');
  });

  it("in_out: the file's W[r][c] is the engine's (c, r)", () => {
    const q = run(PROBLEM1_IN_OUT);
    // Layer 2's W: [[1, 2], [2, -1], [-3, 3]]: row 3, column 2 ("3") connects a¹[3] → z²[2].
    const w2 = offsetOf(PROBLEM1_IN_OUT, 'W: [[1, 2], [2, -1]');
    const t = targetAt(q.model, offsetOf(PROBLEM1_IN_OUT, ' 3]]', 1, w2));
    assert.ok(t && t.kind === 'weight');
    assert.deepEqual([t.layer, t.i, t.j], [2, 1, 2]);
  });

  it('a bias, the W key, the activation, the loss', () => {
    const b = targetAt(p.model, offsetOf(PROBLEM1, 'b: [1, 2, 3]', 7));
    assert.ok(b && b.kind === 'bias');
    assert.deepEqual([b.layer, b.i], [1, 1]);
    const key = targetAt(p.model, W2);
    assert.ok(key && key.kind === 'matrix');
    assert.deepEqual([key.layer, key.param], [2, 'W']);
    const act = targetAt(p.model, offsetOf(PROBLEM1, 'identity', 2, W2));
    assert.ok(act && act.kind === 'activation');
    assert.equal(act.layer, 2);
    assert.equal(targetAt(p.model, offsetOf(PROBLEM1, 'half_sse', 3))?.kind, 'loss');
    assert.equal(targetAt(p.model, offsetOf(PROBLEM1, 'loss:', 1))?.kind, 'loss');
  });

  it('a number of an expect value: which expectation, row and column', () => {
    const t = targetAt(p.model, offsetOf(PROBLEM1, '-0.94', 2));
    assert.ok(t && t.kind === 'expect');
    assert.deepEqual([t.row, t.col], [1, 1]);
    assert.equal(p.model.expectations[t.index].key, 'W_next');
  });

  it('nothing over a comment or the name', () => {
    assert.equal(targetAt(p.model, offsetOf(PROBLEM1, '# problem', 3)), undefined);
    assert.equal(targetAt(p.model, offsetOf(PROBLEM1, 'name: p1', 7)), undefined);
  });

  it('which layer the cursor is in', () => {
    const { text, fileName } = example('problem1.bp.yaml');
    const m = parseOk(text, { fileName });
    assert.equal(layerAtOffset(m, text.indexOf('W: [[1, 2, -3]')), 2);
    assert.equal(layerAtOffset(m, text.indexOf('W: [[1, -2]')), 1);
    assert.equal(layerAtOffset(m, text.indexOf('loss: half_sse')), null);
  });
});

describe('model/places: where a thing is written', () => {
  const { text, fileName } = example('problem1.bp.yaml');
  const model = parseOk(text, { fileName });
  const at = (place: Place) => slice(text, placeRange(model, place));

  it('finds W²[2][2] = −1 and b¹[3] = 3 where they are written', () => {
    assert.equal(at({ kind: 'param', layer: 2, param: 'W', i: 1, j: 1 }), '-1');
    assert.equal(at({ kind: 'param', layer: 1, param: 'b', i: 2, j: 0 }), '3');
  });

  it("in_out: the engine's W²[out 1][in 2] is the file's row 3, column 2", () => {
    const q = run(PROBLEM1_IN_OUT);
    // Layer 2's W: [[1, 2], [2, -1], [-3, 3]] — row 3, column 2 is the 3 before "]]".
    const r = parameterRange(q.model, 2, 'W', 1, 2);
    assert.equal(r.start.offset, offsetOf(PROBLEM1_IN_OUT, '3]]', 0, offsetOf(PROBLEM1_IN_OUT, 'W: [[1, 2], [2, -1]')));
  });

  it('finds input and target entries of a single example written as a flat list', () => {
    assert.equal(at({ kind: 'target', example: 0, unit: 1 }), '3');
    assert.equal(at({ kind: 'input', example: 0, unit: 0 }), '1');
  });

  it('finds a layer, the loss and an expect value', () => {
    assert.match(at({ kind: 'layer', layer: 2 })!, /^W: \[\[1, 2, -3\], \[2, -1, 3\]\]/);
    assert.equal(at({ kind: 'loss' }), 'half_sse');
    const slip = model.expectations.findIndex((e) => e.key === 'W_next' && e.layer === 2);
    assert.equal(at({ kind: 'check', index: slip }), '[[1, 0.96, -3.13], [2, -0.94, 3.07]]');
  });

  it('finds entries of a batch written as columns (problem 3)', () => {
    const p3 = example('problem3-batch.bp.yaml');
    const m = parseOk(p3.text, { fileName: p3.fileName });
    // input: [[1, 1, 1], [2, -1, 1]] — unit 2 of example 2 is −1.
    assert.equal(slice(p3.text, placeRange(m, { kind: 'input', example: 1, unit: 1 })), '-1');
  });
});

describe('model/places: lines, for the debugger', () => {
  it('problem 1 (YAML): each layer from its "- " line to its last expect value; the loss line', () => {
    const { text, fileName } = example('problem1.bp.yaml');
    const m = parseOk(text, { fileName });
    const first1 = lineOf(text, '  - W: [[1, -2]'),
      first2 = lineOf(text, '  - W: [[1, 2, -3]');
    const last1 = lineOf(text, '      b_next: [1.99, 3.6]'),
      last2 = lineOf(text, '      b_next: [1.99, 1.01]');
    assert.deepEqual(layerLines(m, 1), { first: first1, last: last1 });
    assert.equal(last1, first2 - 1, 'layer 1 ends on the line before layer 2');
    assert.deepEqual(layerLines(m, 2), { first: first2, last: last2 });
    assert.equal(layerLines(m, 3), undefined);
    assert.equal(lossLine(m), lineOf(text, 'loss: half_sse'));
    for (let line = first1; line <= last1; line++) assert.equal(layerAtLine(m, line), 1, `line ${line}`);
    for (let line = first2; line <= last2; line++) assert.equal(layerAtLine(m, line), 2, `line ${line}`);
    assert.equal(layerAtLine(m, first1 - 1), undefined, 'the layers: key');
    assert.equal(layerAtLine(m, lossLine(m)!), undefined);
  });

  it('the classifier (JSON): each layer from its { to its }', () => {
    const { text, fileName } = example('classifier.bp.json');
    const m = parseOk(text, { fileName });
    const lines = text.split('\n');
    const opens = lines.flatMap((l, i) => (l === '    {' ? [i] : []));
    const closes = lines.flatMap((l, i) => (/^ {4}\},?$/.test(l) ? [i] : []));
    assert.deepEqual(
      [layerLines(m, 1), layerLines(m, 2)],
      [
        { first: opens[0], last: closes[0] },
        { first: opens[1], last: closes[1] },
      ],
    );
    assert.equal(layerAtLine(m, lineOf(text, '"activation": "softmax"')), 2);
    assert.equal(lossLine(m), lineOf(text, '"loss": "cross_entropy"'));
  });

  it('comments and blank lines after a layer belong to no layer; two layers on a line: the first', () => {
    const text = [
      'input: [1, 1]',
      'target: [1]',
      'layers:',
      '  - W: [[1, 2]]',
      '    b: [0]',
      '    activation: identity',
      '',
      '    # a comment after layer 1',
      '',
      '  - {W: [[1]], b: [0], activation: identity}',
      '',
      'loss: half_sse',
      'optimizer: {type: sgd, lr: 0.1}',
      '',
    ].join('\n');
    const m = parseOk(text);
    assert.deepEqual(layerLines(m, 1), { first: 3, last: 5 });
    assert.deepEqual(
      [6, 7, 8].map((l) => layerAtLine(m, l)),
      [undefined, undefined, undefined],
    );
    assert.deepEqual(layerLines(m, 2), { first: 9, last: 9 });
    assert.equal(lossLine(m), 11);
    const flow = parseOk(
      '{"input": [1], "target": [1], "layers": [{"W": [[1]], "b": [0], "activation": "identity"}, {"W": [[2]], "b": [0], "activation": "identity"}], "loss": "half_sse", "optimizer": {"type": "sgd", "lr": 0.1}}',
      { fileName: 'flow.bp.json' },
    );
    assert.equal(layerAtLine(flow, 0), 1);
    assert.deepEqual(layerLines(flow, 2), { first: 0, last: 0 });
  });
});
