// YAML syntax errors where the mistake is, in words for a person: each case is a slip a student
// makes, with the place (0-based line and column) a person would point at.
import assert from 'node:assert/strict';
import { parseModel } from '../../../src/model/parse';
import { ModelDiagnostic } from '../../../src/model/types';
import { example, lc } from './helpers';

function syntax(text: string): ModelDiagnostic[] {
  return parseModel(text, { fileName: 'm.bp.yaml' }).diagnostics.filter((d) => d.code === 'yaml-syntax');
}

/** The one syntax error of `text`: its place [line, column] (0-based) and message. */
function only(text: string): [number, number, string] {
  const ds = syntax(text);
  assert.equal(ds.length, 1, ds.map((d) => `${lc(d.range).join(':')} ${d.message}`).join('\n'));
  return [ds[0].range.start.line, ds[0].range.start.character, ds[0].message];
}

describe('model/yaml: syntax errors where the mistake is', () => {
  const p1 = example('problem1.bp.yaml').text;
  const line = (n: number) => p1.split('\n')[n - 1];

  it("a missing `]` on line 27 (problem 1's b²) is reported at its `[` on line 27, once", () => {
    assert.equal(line(27), '    b: [2, 1]');
    const text = p1.replace('    b: [2, 1]\n', '    b: [2, 1\n');
    assert.deepEqual(only(text), [26, 7, 'This `[` on line 27 is never closed (a `]` is missing before line 28)']);
  });
  it('a missing outer `]` of a matrix: the outer `[`', () => {
    const text = p1.replace('dW: [[0, 104, 13], [0, -56, -7]]', 'dW: [[0, 104, 13], [0, -56, -7]');
    assert.deepEqual(only(text), [32, 10, 'This `[` on line 33 is never closed (a `]` is missing before line 34)']);
  });
  it('a `{` closed by a `]`: the `{`', () => {
    assert.deepEqual(only('input: [1, {a: 2]\n'), [0, 11, 'This `{` on line 1 is never closed (add the closing `}`)']);
  });
  it('a `]` that closes nothing', () => {
    assert.deepEqual(only('input: [1, 2]]\n'), [
      0,
      13,
      'This `]` closes nothing: remove it, or add the `[` it should close',
    ]);
  });
  it('a list continued on the next line with too little indentation (closed, but not indented)', () => {
    assert.deepEqual(only('input: [1, 2]\nW: [[1, 2],\n[3, 4]]\n'), [
      2,
      0,
      'The list opened by `[` on line 2 continues here with too little indentation: indent this line more than `W`',
    ]);
  });
  it('a quote never closed: at the opening quote', () => {
    assert.deepEqual(only('input: [1, 1]\nname: "abc\nloss: mse\n'), [
      1,
      6,
      'This double quote `"` on line 2 is never closed (add the closing `"`)',
    ]);
  });
  it('unexpected indentation of a key, and of a list item', () => {
    assert.equal(line(17), '    activation: identity');
    const key = p1.replace('    activation: identity\n    expect:', '     activation: identity\n    expect:');
    assert.deepEqual(only(key), [
      16,
      5,
      'Unexpected indentation: `activation` starts at column 6, but `b` above it at column 5; the keys of one mapping must line up',
    ]);
    assert.deepEqual(only('layers:\n  - W: [[1, 2]]\n    b: [1]\n   - W: [[1]]\n'), [
      3,
      3,
      'Unexpected indentation: this list item starts at column 4, but the item above it (line 2) at column 3; the items of one list must line up',
    ]);
  });
  it('a tab as indentation', () => {
    assert.deepEqual(only('input: [1, 1]\nlayers:\n\t- W: [[1, 2]]\n'), [
      2,
      0,
      'A tab indents this line; YAML indents with spaces only: replace the tab with spaces',
    ]);
  });
  it('a missing colon, and a colon without a space', () => {
    assert.deepEqual(only('input: [1, 1]\ntarget [2, 3]\nloss: mse\n'), [
      1,
      0,
      'A colon is missing after `target`: write `target: …`',
    ]);
    assert.deepEqual(only('input: [1, 1]\nloss:mse\n'), [1, 4, 'Put a space after this colon: `loss: …`']);
  });
  it('a key given twice names the first', () => {
    assert.deepEqual(only('input: [1, 1]\ntarget: [2]\ninput: [2]\n'), [
      2,
      0,
      '`input` is given twice (first on line 1): keep one',
    ]);
  });
  it('two YAML documents: one model per file, at the `---`', () => {
    assert.deepEqual(only('input: [1, 1]\n---\ninput: [2]\n'), [
      1,
      0,
      'A second YAML document starts here: one model per file (remove this `---` and what follows, or move it to a file of its own)',
    ]);
  });
});
