// The file's layout (convention, batch_layout) against the engine's canonical one.
import { strict as assert } from 'node:assert';
import {
  batchCell,
  fromFileLayoutBatch,
  fromFileLayoutW,
  toFileLayoutBatch,
  toFileLayoutW,
  weightCell,
} from '../../../src/model/layout';
import { mat, parseOk, rows } from './helpers';

const model = (text: string) => parseOk(text);

describe("model/layout: the file's orientation against the engine's", () => {
  const W = mat([
    [1, 2, 3],
    [4, 5, 6],
  ]); // n_out = 2, n_in = 3
  const B = mat([
    [1, 2],
    [3, 4],
    [5, 6],
  ]); // 3 examples × 2 units

  it('W in the file convention and back', () => {
    assert.deepEqual(toFileLayoutW({ convention: 'out_in' }, W), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(toFileLayoutW({ convention: 'in_out' }, W), [
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    for (const convention of ['out_in', 'in_out'] as const)
      assert.deepEqual(fromFileLayoutW({ convention }, toFileLayoutW({ convention }, W)), W);
  });

  it('batches in the file layout and back', () => {
    assert.deepEqual(toFileLayoutBatch({ batchLayout: 'rows' }, B), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.deepEqual(toFileLayoutBatch({ batchLayout: 'columns' }, B), [
      [1, 3, 5],
      [2, 4, 6],
    ]);
    for (const batchLayout of ['rows', 'columns'] as const)
      assert.deepEqual(fromFileLayoutBatch({ batchLayout }, toFileLayoutBatch({ batchLayout }, B)), B);
  });

  it('agree with the parser: a model written either way round-trips to its own text layout', () => {
    const cols = model(
      'batch_layout: columns\nconvention: in_out\ninput: [[1, 0, 3], [1, 2, -1]]\ntarget: [[2, 0, 1]]\nlayers:\n  - W: [[1], [2]]\n    b: [0]\n    activation: identity\nloss: sse\noptimizer: {lr: 0.1}\n',
    );
    assert.deepEqual(toFileLayoutBatch(cols, cols.spec.input), [
      [1, 0, 3],
      [1, 2, -1],
    ]);
    assert.deepEqual(toFileLayoutBatch(cols, cols.spec.target), [[2, 0, 1]]);
    assert.deepEqual(toFileLayoutW(cols, cols.spec.layers[0].W), [[1], [2]]);
    assert.deepEqual(rows(cols.spec.layers[0].W), [[1, 2]]);
  });

  it("one entry: the file's (row, column) of the engine's, and back", () => {
    // W = [[1, 2, 3], [4, 5, 6]] (out × in) is written [[1, 4], [2, 5], [3, 6]] in in_out: the 6 at
    // engine (1, 2) is the file's row 3, column 2 (0-based (2, 1)).
    const written = toFileLayoutW({ convention: 'in_out' }, W);
    const [r, c] = weightCell('in_out', 1, 2);
    assert.equal(written[r][c], 6);
    assert.deepEqual(weightCell('in_out', r, c), [1, 2]);
    assert.deepEqual(weightCell('out_in', 1, 2), [1, 2]);
    // B (3 examples × 2 units) as columns is [[1, 3, 5], [2, 4, 6]]: example 3, unit 1 (the 5) is row 1, column 3.
    const cols = toFileLayoutBatch({ batchLayout: 'columns' }, B);
    const [br, bc] = batchCell('columns', 2, 0);
    assert.deepEqual([br, bc], [0, 2]);
    assert.equal(cols[br][bc], 5);
    assert.deepEqual(batchCell('rows', 2, 0), [2, 0]);
  });
});
