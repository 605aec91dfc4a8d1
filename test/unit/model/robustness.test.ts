import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseModel } from '../../../src/model/parse';
import { parseYaml } from '../../../src/model/yaml';
import { checkExpectations } from '../../../src/analysis/expect';
import { ModelDiagnostic, ParseResult, Position } from '../../../src/model/types';
import { Node } from '../../../src/model/nodes';
import { example, problem1Trace } from './helpers';

const EXAMPLES = [
  'problem1.bp.yaml',
  'problem2-square.bp.yaml',
  'problem3-batch.bp.yaml',
  'xor.bp.yaml',
  'classifier.bp.json',
].map(example);

/** Line and column of an offset, counted independently of the code under test. */
function expectedPosition(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  const breaks = before.match(/\r\n|\r|\n/g) ?? [];
  const last = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return [breaks.length, offset - last - 1];
}

function checkPosition(text: string, p: Position, what: string): void {
  assert.ok(
    Number.isInteger(p.offset) && p.offset >= 0 && p.offset <= text.length,
    `${what}: offset ${p.offset} within 0..${text.length}`,
  );
  // A position inside a \r\n pair is not one the editor can show; none should point there.
  assert.ok(!(text[p.offset - 1] === '\r' && text[p.offset] === '\n'), `${what}: not between \\r and \\n`);
  assert.deepEqual(
    [p.line, p.character],
    expectedPosition(text, p.offset),
    `${what}: line/character agree with the offset`,
  );
}

function checkDiagnostics(text: string, ds: readonly ModelDiagnostic[]): void {
  for (const d of ds) {
    checkPosition(text, d.range.start, d.message);
    checkPosition(text, d.range.end, d.message);
    assert.ok(d.range.start.offset <= d.range.end.offset, `${d.message}: start before end`);
    assert.ok(['error', 'warning', 'info'].includes(d.severity));
    assert.ok(typeof d.message === 'string' && d.message.length > 0 && typeof d.code === 'string');
    if (d.fix?.kind === 'add_bias') checkPosition(text, d.fix.insertAt, `${d.message} (fix)`);
  }
}

/** parseModel must return (never throw), with every range inside the text; a model implies no errors. */
function robust(
  text: string,
  format: 'yaml' | 'json',
  limits?: Parameters<typeof parseModel>[1] extends infer O ? (O extends { limits?: infer L } ? L : never) : never,
): ParseResult {
  let r: ParseResult | undefined;
  assert.doesNotThrow(() => {
    r = parseModel(text, { format, ...(limits ? { limits } : {}) });
  });
  assert.ok(r);
  checkDiagnostics(text, r.diagnostics);
  assert.ok(
    !r.diagnostics.some((d) => d.code === 'internal'),
    `no internal errors: ${r.diagnostics.map((d) => d.message).join('; ')}`,
  );
  if (r.model) assert.ok(!r.diagnostics.some((d) => d.severity === 'error'));
  return r;
}

/** Tokens that reach deep into both grammars and the schema. */
const TOKENS = [
  '\n',
  '  ',
  '    ',
  '\t',
  '\r\n',
  '\r',
  ': ',
  ':',
  '- ',
  '-',
  '[',
  ']',
  '{',
  '}',
  ', ',
  ',',
  '#',
  '"',
  "'",
  '|',
  '>',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '!!str ',
  '!x ',
  '? ',
  '---\n',
  '...\n',
  '\ufeff',
  '\u0000',
  '\u2028',
  '😀',
  '\ud800',
  '1',
  '-2',
  '0.5',
  '1e400',
  '.nan',
  '-.inf',
  '0x1F',
  'null',
  'true',
  '~',
  'name',
  'input',
  'target',
  'layers',
  'W',
  'b',
  'activation',
  'units',
  'init',
  'loss',
  'optimizer',
  'type',
  'lr',
  'momentum',
  'steps',
  'seed',
  'expect',
  'step',
  'tolerance',
  'z',
  'delta',
  'W_next',
  'b_next',
  'dL_da',
  'sigma_prime',
  'identity',
  'softmax',
  'sigmoid',
  'square',
  'sgd',
  'adam',
  'half_sse',
  'cross_entropy',
  'xavier_normal',
  'in_out',
  'columns',
  'convention',
  'batch_layout',
  '"W"',
  '"layers"',
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((ts) => ts.join(''));

type Mutation =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; s: string }
  | { kind: 'dupLine'; line: number }
  | { kind: 'dropLine'; line: number }
  | { kind: 'swapLines'; a: number; b: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    s: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: 'binary', maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant('dupLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('dropLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
);

function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    if (m.kind === 'delete') {
      const at = m.at % (t.length + 1);
      t = t.slice(0, at) + t.slice(at + m.len);
    } else if (m.kind === 'insert') {
      const at = m.at % (t.length + 1);
      t = t.slice(0, at) + m.s + t.slice(at);
    } else {
      const lines = t.split('\n');
      if (m.kind === 'dupLine') lines.splice(m.line % lines.length, 0, lines[m.line % lines.length]);
      else if (m.kind === 'dropLine') lines.splice(m.line % lines.length, 1);
      else {
        const a = m.a % lines.length;
        const b = m.b % lines.length;
        [lines[a], lines[b]] = [lines[b], lines[a]];
      }
      t = lines.join('\n');
    }
  }
  return t;
}

const mutatedExample = fc
  .record({ i: fc.nat({ max: EXAMPLES.length - 1 }), ms: fc.array(mutation, { minLength: 1, maxLength: 6 }) })
  .map(({ i, ms }) => ({
    text: mutate(EXAMPLES[i].text, ms),
    format: EXAMPLES[i].fileName.endsWith('.json') ? ('json' as const) : ('yaml' as const),
  }));

/** A plain-data view of a node tree, for comparing the two YAML paths. */
function plain(n: Node | undefined): unknown {
  if (!n) return n;
  switch (n.kind) {
    case 'numbers':
      return {
        k: 'numbers',
        s: n.start,
        e: n.end,
        v: Array.from(n.values),
        st: Array.from(n.starts),
        en: Array.from(n.ends),
      };
    case 'seq':
      return { k: 'seq', s: n.start, e: n.end, f: n.flow, items: n.items.map(plain) };
    case 'map':
      return {
        k: 'map',
        s: n.start,
        e: n.end,
        f: n.flow,
        entries: n.entries.map((x) => [x.key, x.keySpan.start, x.keySpan.end, plain(x.value)]),
      };
    case 'scalar':
      return { k: 'scalar', s: n.start, e: n.end, v: n.value, q: n.quoted };
  }
}

function timed<T>(budgetMs: number, what: string, f: () => T): T {
  const t0 = Date.now();
  const out = f();
  const dt = Date.now() - t0;
  assert.ok(dt < budgetMs, `${what} took ${dt} ms (budget ${budgetMs} ms)`);
  return out;
}

describe('model/parse: robustness (never throws, ranges inside the text, bounded time)', function () {
  this.timeout(60_000);

  it('random binary strings, as YAML and as JSON', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        robust(s, 'yaml');
        robust(s, 'json');
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes decoded as UTF-8 and Latin-1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        robust(Buffer.from(bytes).toString('utf8'), 'yaml');
        robust(Buffer.from(bytes).toString('latin1'), 'json');
      }),
      { numRuns: 200 },
    );
  });

  it('soups of YAML/JSON tokens and model keys', () => {
    fc.assert(
      fc.property(tokenSoup, (s) => {
        robust(s, 'yaml');
        robust(s, 'json');
      }),
      { numRuns: 400 },
    );
  });

  it('mutated example files (deleted, inserted, duplicated, dropped and swapped characters and lines)', () => {
    const trace = problem1Trace();
    fc.assert(
      fc.property(mutatedExample, ({ text, format }) => {
        const r = robust(text, format);
        // Whatever still parses can be checked against a trace of another shape without throwing.
        if (r.model) assert.doesNotThrow(() => checkExpectations(r.model!, trace).forEach((x) => x.diagnostics()));
      }),
      { numRuns: 300 },
    );
  });

  it('the YAML fast path for number lists reads exactly what the full parse reads', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedExample.filter((x) => x.format === 'yaml').map((x) => x.text),
          tokenSoup,
        ),
        (text) => {
          const slow = parseYaml(text);
          const fast = parseYaml(text, { fastPathMinChars: 0, fastListMinNumbers: 1 });
          assert.deepEqual(plain(fast.root), plain(slow.root));
          assert.deepEqual(fast.problems, slow.problems);
        },
      ),
      { numRuns: 400 },
    );
    for (const e of EXAMPLES.filter((x) => x.fileName.endsWith('.yaml'))) {
      assert.deepEqual(
        plain(parseYaml(e.text, { fastPathMinChars: 0, fastListMinNumbers: 1 }).root),
        plain(parseYaml(e.text).root),
      );
    }
    // Lists inside block scalars, quotes and comments are not lists; keys, tagged lists, lists with
    // comments or special values and unterminated lists are left to yaml; anchors still resolve.
    const tricky = [
      'name: |\n  [1, 2, 3]\nnote: "[4, 5]"\n# [6, 7]\nx: [8, 9]\ny: [[1, 2],\n    [3, 4]]\nz: [[1, 2],\n[3, 4]]\n',
      '[1, 2]: x\n[3, 4]: y\n',
      '? [1, 2]\n: x\n? [3, 4]\n: y\n',
      'a: !!omap [1, 2]\n',
      'a: &x [1, 2]\nb: *x\nc: [*x, *x]\n',
      'a: [1, # c\n  2]\n',
      'a: [1, .nan, 0x1F]\n',
      'a: [1,, 2]\n',
      'a: [, 1]\n',
      'a: [1, 2',
      'a: [[1, 2], 3]\n',
      'a: [[], [1]]\n',
      'a: [1, 2,]\nb: [[1],]\n',
      '[1, 2]',
      '- [1,\n 2]\n',
      'a:\n  - [1,\n  2]\n',
      'a: [1, 2] # c\nb: [3]  \n',
      '--- [1]\n--- [2]\n',
    ];
    for (const t of tricky)
      assert.deepEqual(parseYaml(t, { fastPathMinChars: 0, fastListMinNumbers: 1 }), parseYaml(t), t);
  });

  it('a billion laughs: refused quickly at the alias', () => {
    const levels = ['a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${new Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`,
      );
    const bomb = levels.join('\n') + '\ninput: *i\ntarget: *i\nlayers: [*i]\nloss: sse\noptimizer: {lr: 1}\n';
    const r = timed(5000, 'billion laughs', () => robust(bomb, 'yaml'));
    const alias = r.diagnostics.find((d) => d.code === 'alias');
    assert.ok(alias, 'an alias error');
    assert.match(bomb.slice(alias.range.start.offset, alias.range.end.offset), /^\*[a-i]$/);
  });

  it('deep nesting: 10k and 100k brackets, deep indentation, long "- - -" chains', () => {
    for (const n of [10_000, 100_000]) {
      for (const [open, close] of [
        ['[', ']'],
        ['{"a":', '}'],
      ]) {
        const r = timed(5000, `${n} × ${open}`, () =>
          robust('input: ' + open.repeat(n) + '1' + close.repeat(n), 'yaml'),
        );
        assert.ok(r.diagnostics.some((d) => d.code === 'depth' || d.code === 'yaml-syntax'));
        const j = timed(5000, `${n} × ${open} (JSON)`, () => robust(open.repeat(n) + '1' + close.repeat(n), 'json'));
        assert.ok(j.diagnostics.some((d) => d.code === 'json-syntax'));
      }
    }
    let indented = '';
    for (let i = 0; i < 5000; i++) indented += ' '.repeat(i) + `k${i}:\n`;
    timed(5000, 'deep indentation', () =>
      assert.ok(robust(indented, 'yaml').diagnostics.some((d) => d.code === 'depth')),
    );
    timed(5000, 'dash chain', () =>
      assert.ok(robust('- '.repeat(10_000) + '1\n', 'yaml').diagnostics.some((d) => d.code === 'depth')),
    );
  });

  it('huge texts: over maxBytes refused at once; a 250k-number matrix within the limits read in about a second', () => {
    timed(5000, 'over maxBytes', () => {
      const r = robust('#'.repeat(2_000_001), 'yaml', { maxBytes: 2_000_000 });
      assert.equal(r.diagnostics[0].code, 'limit');
    });
    const n = 500;
    const row = (i: number) =>
      '[' + Array.from({ length: n }, (_, j) => ((i * 7 + j * 13) % 97) / 10 - 4.8).join(', ') + ']';
    const W = '[' + Array.from({ length: n }, (_, i) => row(i)).join(',\n        ') + ']';
    const text = `input: [${new Array(n).fill(1).join(', ')}]\ntarget: [${new Array(n).fill(0).join(', ')}]\nlayers:\n  - W: ${W}\n    b: [${new Array(n).fill(0).join(', ')}]\n    activation: tanh\nloss: mse\noptimizer: {lr: 0.01}\n`;
    const r = timed(15000, '250k-number YAML', () => robust(text, 'yaml'));
    assert.ok(r.model);
    assert.equal(r.model.spec.layers[0].W.data[n * n - 1], (((n - 1) * 7 + (n - 1) * 13) % 97) / 10 - 4.8);
    const json = timed(15000, '250k-number JSON', () =>
      robust(
        JSON.stringify({
          input: new Array(n).fill(1),
          target: new Array(n).fill(0),
          layers: [
            { W: Array.from({ length: n }, (_, i) => JSON.parse(row(i))), b: new Array(n).fill(0), activation: 'tanh' },
          ],
          loss: 'mse',
          optimizer: { lr: 0.01 },
        }),
        'json',
      ),
    );
    assert.ok(json.model);
    // Past the limits: an error at the key, not a long wait.
    const big = timed(15000, 'over maxParameters', () => robust(text, 'yaml', { maxParameters: 10_000 }));
    assert.equal(big.diagnostics.find((d) => d.code === 'limit')?.range.start.line, 3);
  });

  it('many values outside number lists in a large text: refused, not composed', () => {
    const text = 'input:\n' + Array.from({ length: 300_000 }, (_, i) => `  - ${i % 10}`).join('\n') + '\n';
    const r = timed(5000, 'block scalars', () => robust(text, 'yaml'));
    assert.equal(r.diagnostics[0].code, 'limit');
  });
});
