import { strict as assert } from 'node:assert';
import { parseModel } from '../../../src/model/parse';
import { Limits, ModelDiagnostic } from '../../../src/model/types';
import { find, lc, P1 } from './helpers';

const P1_JSON = `{
  "input": [1, 1],
  "target": [2, 3],
  "layers": [
    {
      "W": [[1, -2], [2, 4], [-3, 1]],
      "b": [1, 2, 3],
      "activation": "identity"
    },
    {
      "W": [[1, 2, -3], [2, -1, 3]],
      "b": [2, 1],
      "activation": "identity"
    }
  ],
  "loss": "half_sse",
  "optimizer": {"type": "sgd", "lr": 0.01}
}
`;

/** The diagnostics of a text that must not build a model (when any is an error). */
function diags(text: string, options: Parameters<typeof parseModel>[1] = {}): ModelDiagnostic[] {
  const r = parseModel(text, options);
  if (r.diagnostics.some((d) => d.severity === 'error')) assert.equal(r.model, undefined, 'errors mean no model');
  return [...r.diagnostics];
}

function single(text: string, code: string, options: Parameters<typeof parseModel>[1] = {}): ModelDiagnostic {
  const ds = diags(text, options).filter((d) => d.code === code);
  assert.equal(ds.length, 1, `one ${code}: ${JSON.stringify(diags(text, options).map((d) => d.message))}`);
  return ds[0];
}

function replaceOnce(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `text has ${from}`);
  return text.replace(from, to);
}

describe('model/parse: diagnostics at the offending node', () => {
  it('the clean file has no diagnostics', () => {
    assert.deepEqual(diags(P1), []);
    assert.deepEqual(diags(P1_JSON, { format: 'json' }), []);
  });

  it('YAML syntax error: at the `[` that is never closed, not where yaml gave up; no model', () => {
    const text = replaceOnce(P1, 'b: [2, 1]\n', 'b: [2, 1\n');
    const ds = diags(text);
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].code, 'yaml-syntax');
    assert.equal(ds[0].severity, 'error');
    // The `[` of b² (line 8, 1-based; column 8): yaml itself reports line 9, where the next key breaks the list.
    assert.deepEqual(lc(ds[0].range), [7, 7, 7, 8]);
    assert.equal(ds[0].message, 'This `[` on line 8 is never closed (a `]` is missing before line 9)');
  });

  it('unknown key: a warning on the key itself, with a suggestion', () => {
    const text = replaceOnce(P1, '    activation: identity\n  - W', '    activaton: identity\n  - W');
    const d = single(text, 'unknown-key');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(lc(d.range), [5, 4, 5, 13]);
    assert.match(d.message, /"activaton".*did you mean "activation"\?/);
    const top = single(replaceOnce(P1, 'loss: half_sse', 'los: half_sse'), 'unknown-key');
    assert.deepEqual(lc(top.range), [9, 0, 9, 3]);
    assert.match(top.message, /did you mean "loss"/);
    const hint = single(P1 + 'lr: 0.1\n', 'unknown-key');
    assert.match(hint.message, /inside optimizer/);
  });

  it('wrong type: on the value', () => {
    const d = single(replaceOnce(P1, 'lr: 0.01', 'lr: fast'), 'type');
    assert.deepEqual(lc(d.range), [10, 27, 10, 31]);
    assert.equal(d.message, 'lr must be a number, e.g. 0.01; got the string "fast"');
    const q = single(replaceOnce(P1, 'b: [2, 1]', 'b: [2, "1"]'), 'type');
    assert.deepEqual(lc(q.range), [7, 11, 7, 14]);
    const e = single(replaceOnce(P1, 'activation: identity\nloss', 'activation: sigmod\nloss'), 'enum');
    assert.deepEqual(lc(e.range), [8, 16, 8, 22]);
    assert.match(e.message, /did you mean "sigmoid"/);
  });

  it('ragged W: on the row that differs', () => {
    const text = replaceOnce(P1, '[2, 4], [-3, 1]]', '[2, 4, 5], [-3, 1]]');
    const d = single(text, 'ragged');
    assert.deepEqual(lc(d.range), find(text, '[2, 4, 5]'));
    assert.match(d.message, /Row 2 of W¹ has 3 numbers but row 1 has 2/);
  });

  it('shape mismatch: on the W value, saying what the layer needs', () => {
    const text = replaceOnce(P1, '[[1, 2, -3], [2, -1, 3]]', '[[1, 2], [2, -1]]');
    const d = single(text, 'shape');
    assert.deepEqual(lc(d.range), find(text, '[[1, 2], [2, -1]]'));
    assert.equal(d.message, 'W² is 2×2 but layer 2 needs 2×3 (n_2 × n_1, convention out_in): 2 rows of 3 numbers');
    assert.equal(d.fix, undefined, 'not a transpose');
  });

  it('a transposed W: the fix holds the transposed matrix, numbers as written', () => {
    const text = replaceOnce(P1, '[[1, 2, -3], [2, -1, 3]]', '[[1, 2.0], [2, -1], [-3, 3e0]]');
    const d = single(text, 'shape');
    assert.deepEqual(lc(d.range), find(text, '[[1, 2.0], [2, -1], [-3, 3e0]]'));
    assert.match(d.message, /^W² is 3×2 but layer 2 needs 2×3 .* it looks transposed$/);
    assert.deepEqual(d.fix, { kind: 'transpose_matrix', text: '[[1, 2, -3], [2.0, -1, 3e0]]' });
  });

  it('a transposed W¹ is told from the input width, and b¹ is not blamed', () => {
    const text = replaceOnce(P1, '[[1, -2], [2, 4], [-3, 1]]', '[[1, 2, -3], [-2, 4, 1]]');
    const ds = diags(text).filter((d) => d.severity === 'error');
    assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => d.message)));
    assert.deepEqual(ds[0].fix, { kind: 'transpose_matrix', text: '[[1, -2], [2, 4], [-3, 1]]' });
  });

  it('in_out convention: the message speaks of n_(l-1) × n_l', () => {
    const text =
      'convention: in_out\n' +
      replaceOnce(
        replaceOnce(P1, '[[1, -2], [2, 4], [-3, 1]]', '[[1, 2, -3], [-2, 4, 1]]'),
        '[[1, 2, -3], [2, -1, 3]]',
        '[[1, 2, -3], [2, -1, 3]]',
      );
    const d = single(text, 'shape');
    assert.equal(
      d.message,
      'W² is 2×3 but layer 2 needs 3×2 (n_1 × n_2, convention in_out): 3 rows of 2 numbers — it looks transposed',
    );
    assert.deepEqual(d.fix, { kind: 'transpose_matrix', text: '[[1, 2], [2, -1], [-3, 3]]' });
  });

  it('every W written for the other convention: the shape errors suggest switching', () => {
    const ds = diags('convention: in_out\n' + P1).filter((d) => d.code === 'shape');
    assert.equal(ds.length, 2);
    assert.ok(
      ds.every((d) => d.message.endsWith('(every W fits convention out_in: did you mean convention: out_in?)')),
    );
  });

  it('b of the wrong length: on b', () => {
    const text = replaceOnce(P1, 'b: [2, 1]', 'b: [2, 1, 0]');
    const d = single(text, 'shape');
    assert.deepEqual(lc(d.range), find(text, '[2, 1, 0]'));
    assert.match(d.message, /b² has 3 entries but layer 2 has 2 units/);
  });

  it('input and target widths and batch sizes', () => {
    const i = single(replaceOnce(P1, 'input: [1, 1]', 'input: [1, 1, 1]'), 'shape');
    assert.deepEqual(lc(i.range), [0, 7, 0, 16]);
    assert.equal(i.message, 'input has 3 numbers but W¹ takes 2 inputs');
    const t = single(replaceOnce(P1, 'target: [2, 3]', 'target: [[2, 3, 1]]'), 'shape');
    assert.deepEqual(lc(t.range), [1, 8, 1, 19]);
    assert.match(t.message, /target has 3 numbers per example \(row\) but the last layer \(layer 2\) has 2 units/);
    const n = single(replaceOnce(P1, 'target: [2, 3]', 'target: [[2, 3], [1, 1]]'), 'shape');
    assert.equal(n.message, 'target has 2 examples but input has 1');
    const hint = single(replaceOnce(P1, 'input: [1, 1]', 'input: [[1, 1, 1], [2, 2, 2]]'), 'shape');
    assert.match(hint.message, /did you mean batch_layout: columns\?/);
  });

  it('missing b (YAML block layer): error on the W key, fix inserts a full line with the right indent', () => {
    const text = replaceOnce(P1, '    b: [2, 1]\n', '');
    const d = single(text, 'missing-bias');
    assert.deepEqual(lc(d.range), [6, 4, 6, 5]);
    assert.match(d.message, /Layer 2 has W but no b/);
    assert.ok(d.fix && d.fix.kind === 'add_bias');
    assert.equal(d.fix.text, '    b: [0, 0]\n');
    assert.deepEqual([d.fix.insertAt.line, d.fix.insertAt.character], [7, 0]);
    // Applying the fix gives a file that parses.
    const fixed = text.slice(0, d.fix.insertAt.offset) + d.fix.text + text.slice(d.fix.insertAt.offset);
    assert.ok(parseModel(fixed).model);
  });

  it('missing b (flow layer, JSON layer): the fix is valid in place', () => {
    const flow = replaceOnce(
      P1,
      '  - W: [[1, 2, -3], [2, -1, 3]]\n    b: [2, 1]\n    activation: identity\n',
      '  - {W: [[1, 2, -3], [2, -1, 3]], activation: identity}\n',
    );
    const f = single(flow, 'missing-bias');
    assert.ok(f.fix && f.fix.kind === 'add_bias');
    assert.equal(f.fix.text, ', b: [0, 0]');
    const fixedFlow = flow.slice(0, f.fix.insertAt.offset) + f.fix.text + flow.slice(f.fix.insertAt.offset);
    assert.ok(parseModel(fixedFlow).model);

    const json = replaceOnce(P1_JSON, '      "b": [2, 1],\n', '');
    const j = single(json, 'missing-bias', { format: 'json' });
    assert.deepEqual(lc(j.range), [10, 7, 10, 8]);
    assert.ok(j.fix && j.fix.kind === 'add_bias');
    assert.equal(j.fix.text, ',\n      "b": [0, 0]');
    const fixedJson = json.slice(0, j.fix.insertAt.offset) + j.fix.text + json.slice(j.fix.insertAt.offset);
    assert.ok(parseModel(fixedJson, { format: 'json' }).model, fixedJson);
  });

  it('missing required keys: one error each, at the top of the file', () => {
    const ds = diags('input: [1]\n');
    assert.deepEqual(
      ds.map((d) => d.code),
      ['missing', 'missing', 'missing', 'missing'],
    );
    assert.ok(ds.every((d) => d.range.start.line === 0));
    assert.deepEqual(ds.map((d) => /no (\w+)/.exec(d.message)?.[1]).sort(), ['layers', 'loss', 'optimizer', 'target']);
    const noAct = single(replaceOnce(P1, '    activation: identity\nloss', 'loss'), 'missing');
    assert.deepEqual(lc(noAct.range), [6, 2, 6, 31]);
  });

  it('non-finite numbers: .nan, .inf and numbers too large for a double', () => {
    const ds = diags(replaceOnce(replaceOnce(P1, 'b: [2, 1]', 'b: [.nan, 1e400]'), 'lr: 0.01', 'lr: -.inf')).filter(
      (d) => d.code === 'non-finite',
    );
    assert.deepEqual(
      ds.map((d) => lc(d.range)),
      [
        [7, 8, 7, 12],
        [7, 14, 7, 19],
        [10, 27, 10, 32],
      ],
      'in the order of the text',
    );
    assert.ok(ds.every((d) => /not a finite number/.test(d.message)));
    const j = diags('{"input": [1, 1e999]}', { format: 'json' }).find((d) => d.code === 'non-finite');
    assert.deepEqual(j && lc(j.range), [0, 14, 0, 19]);
  });

  it('cross_entropy without softmax, binary_cross_entropy without sigmoid: warnings on the loss', () => {
    const r = parseModel(replaceOnce(P1, 'half_sse', 'cross_entropy').replace('target: [2, 3]', 'target: [0, 1]'));
    assert.ok(r.model, 'a warning does not stop the model');
    const w = r.diagnostics.find((d) => d.code === 'loss-activation');
    assert.deepEqual(w && lc(w.range), [9, 6, 9, 19]);
    assert.match(w?.message ?? '', /softmax.*may leave \(0, 1\)/);
    const b = parseModel(
      replaceOnce(P1, 'half_sse', 'binary_cross_entropy').replace('target: [2, 3]', 'target: [0, 1]'),
    );
    assert.ok(b.diagnostics.some((d) => d.code === 'loss-activation' && /sigmoid/.test(d.message)));
  });

  it('a BOM and CRLF line ends: positions as the editor counts them', () => {
    const text = '\ufeff' + replaceOnce(P1, 'loss:', 'lss:').replace(/\n/g, '\r\n');
    const d = single(text, 'unknown-key');
    assert.deepEqual(lc(d.range), [9, 0, 9, 3]);
    assert.equal(text.slice(d.range.start.offset, d.range.end.offset), 'lss');
    const j = single('\ufeff{\r\n  "input": [1, 1,]\r\n}', 'json-syntax', { format: 'json' });
    assert.deepEqual(lc(j.range), [1, 16, 1, 17]);
  });

  it('tabs for indentation: a YAML error, not a crash', () => {
    const ds = diags(replaceOnce(P1, '    b: [1, 2, 3]', '\tb: [1, 2, 3]'));
    assert.ok(
      ds.some((d) => d.code === 'yaml-syntax' && /A tab indents this line/.test(d.message) && d.range.start.line === 4),
    );
  });

  it('expect blocks: bad values are reported where they are written', () => {
    const text =
      P1.replace(
        '    b: [2, 1]\n',
        '    b: [2, 1]\n    expect: {z: [1, "a"], W_next: [[1, 2], [3]], step: 0, delta: [1, 1]}\n',
      ) + 'expect: [{loss: 109, step: 2, tolerance: 0.5}, {z: 1}]\n';
    const ds = diags(text);
    const byCode = (c: string) =>
      ds.filter((d) => d.code === c).map((d) => text.slice(d.range.start.offset, d.range.end.offset));
    assert.deepEqual(byCode('type'), ['"a"']);
    assert.deepEqual(byCode('ragged'), ['[3]']);
    assert.deepEqual(byCode('range'), ['0']);
    assert.deepEqual(byCode('unknown-key'), ['z']);
    assert.match(ds.find((d) => d.code === 'unknown-key')?.message ?? '', /belongs in a layer's expect block/);
  });
});

describe('model/parse: limits', () => {
  it('each limit is an error at the offending key', () => {
    const at = (text: string, limits: Partial<Limits>, needle: string, after?: string): ModelDiagnostic => {
      const ds = diags(text, { limits }).filter((d) => d.code === 'limit');
      assert.equal(ds.length, 1, JSON.stringify(diags(text, { limits }).map((d) => d.message)));
      assert.deepEqual(lc(ds[0].range), find(text, needle, after));
      return ds[0];
    };
    assert.match(at(P1, { maxLayers: 1 }, 'layers').message, /2 layers, above the limit of 1 \(limits\.maxLayers\)/);
    assert.match(at(P1, { maxUnits: 2 }, 'b', '    b: [1, 2, 3]').message, /Layer 1 has 3 units, above the limit of 2/);
    assert.match(at(P1, { maxParameters: 10 }, 'W', '  - W: [[1, 2').message, /more than 10 parameters by layer 2/);
    assert.match(at(P1 + 'steps: 4\n', { maxSteps: 3 }, 'steps').message, /steps is 4, above the limit of 3/);
    const batch = P1.replace('input: [1, 1]', 'input: [[1, 1], [1, 1], [1, 1]]').replace(
      'target: [2, 3]',
      'target: [[2, 3], [2, 3], [2, 3]]',
    );
    assert.match(at(batch, { maxBatch: 2 }, 'input').message, /3 examples, above the limit of 2/);
    const units =
      'input: [1]\ntarget: [1]\nlayers:\n  - {units: 100000, activation: relu}\nloss: sse\noptimizer: {lr: 1}\n';
    assert.match(at(units, {}, 'units').message, /above the limit of 8192/);
    const params =
      'input: [1]\ntarget: [1]\nlayers:\n  - {units: 8000, activation: relu}\n  - {units: 8000, activation: relu}\n  - {units: 1, activation: relu}\nloss: sse\noptimizer: {lr: 1}\n';
    assert.match(at(params, {}, 'units', 'relu}\n  - {units: 8000').message, /more than 5000000 parameters by layer 2/);
  });

  it('bytes: a larger text is refused before it is read', () => {
    const ds = diags(P1 + '#'.repeat(500), { limits: { maxBytes: 400 } });
    assert.equal(ds.length, 1);
    assert.equal(ds[0].code, 'limit');
    assert.deepEqual(lc(ds[0].range), [0, 0, 0, 13]);
    // Counted in UTF-8 bytes: 150 three-byte characters are 450 bytes.
    assert.equal(diags('# ' + '한'.repeat(150), { limits: { maxBytes: 400 } })[0].code, 'limit');
  });
});

describe('model/parse: strict JSON', () => {
  const cases: [string, string, [number, number, number, number], RegExp][] = [
    ['trailing comma in a list', '{\n  "input": [1, 1,]\n}', [1, 16, 1, 17], /Trailing comma/],
    ['trailing comma in an object', '{"a": 1,\n}', [0, 7, 0, 8], /Trailing comma/],
    ['line comment', '{\n  // hi\n  "a": 1\n}', [1, 2, 1, 7], /Comments are not allowed/],
    ['block comment', '{"a": /* x */ 1}', [0, 6, 0, 13], /Comments are not allowed/],
    ['single quotes', "{'a': 1}", [0, 1, 0, 2], /double quotes/],
    ['unquoted key', '{a: 1}', [0, 1, 0, 2], /Keys must be double-quoted/],
    ['NaN', '{"a": NaN}', [0, 6, 0, 9], /NaN is not a JSON number/],
    ['leading zero', '{"a": 01}', [0, 6, 0, 8], /Invalid number '01'/],
    ['plus sign', '{"a": +1}', [0, 6, 0, 8], /Invalid number '\+1'/],
    ['missing comma', '{"a": 1 "b": 2}', [0, 8, 0, 9], /expected ',' or '}'/],
    ['unterminated string', '{"a": "x', [0, 6, 0, 8], /Unterminated string/],
    ['text after the value', '{"a": 1} x', [0, 9, 0, 10], /after the JSON value/],
    ['duplicate key', '{"a": 1, "a": 2}', [0, 9, 0, 12], /Duplicate key "a"/],
    ['empty file', '', [0, 0, 0, 0], /empty/],
    ['a line break inside a string (CRLF)', '{"a": "x\r\ny"}', [0, 8, 0, 8], /Unescaped control character U\+000D/],
  ];
  for (const [what, text, range, message] of cases) {
    it(`${what}: error at its position`, () => {
      const d = diags(text, { format: 'json' }).find((x) => x.code === 'json-syntax' || x.code === 'duplicate-key');
      assert.ok(d, `diagnostic for ${what}`);
      assert.deepEqual(lc(d.range), range);
      assert.match(d.message, message);
      assert.equal(d.severity, 'error');
    });
  }
});
