import { strict as assert } from 'node:assert';
import { CellCheck, checkExpectations, expectationDiagnostics, ExpectationResult } from '../../../src/analysis/expect';
import { Model } from '../../../src/model/types';
import { train } from '../../../src/engine/run';
import { Trace } from '../../../src/engine/trace';
import { example, find, handTrace, lc, mat, only, P1, parseOk, problem1Trace, rows } from '../model/helpers';

const model = (text: string, fileName?: string): Model => parseOk(text, fileName ? { fileName } : {});
const NET = P1;

/** NET with an expect block added to layer `layer` (1 or 2) and/or the file. */
function withExpect(layer: 1 | 2, block: string, fileBlock?: string): string {
  const anchor = layer === 1 ? '    b: [1, 2, 3]\n' : '    b: [2, 1]\n';
  return NET.replace(anchor, `${anchor}    expect: ${block}\n`) + (fileBlock ? `expect: ${fileBlock}\n` : '');
}

describe('analysis/expect: hand-derived values against the trace', () => {
  describe('problem 1 of the notes, against a trace built by hand from the verified values', () => {
    const { text, fileName } = example('problem1.bp.yaml');
    const m = model(text, fileName);
    const results = checkExpectations(m, problem1Trace());
    const ds = expectationDiagnostics(results);

    it("finds exactly the notes' slips, each at its own number", () => {
      const errors = only(ds, 'error');
      assert.deepEqual(
        errors.map((d) => lc(d.range)),
        [
          find(text, '[1.99, 3.6]'), // b¹' — two numbers for three units
          find(text, '-0.94', 'W_next: [[1, 0.96'), // W²'[2][2]
          find(text, '1.99', '[1.99, 1.01]'), // b²'[1]
          find(text, '1.01', '[1.99, 1.01]'), // b²'[2]
        ],
      );
    });

    it('says what was expected and computed, with the tolerance, and offers the computed value', () => {
      const errors = only(ds, 'error');
      assert.equal(errors[0].message, "b¹' has 3 entries, you wrote 2; computed (1.01, 1.67, 3.6)");
      assert.equal(errors[0].code, 'expect-shape');
      assert.equal(errors[1].message, "expected W²'[2][2] = -0.94, computed -0.44 (|diff| 0.5 > tolerance 1e-6)");
      assert.deepEqual(errors[1].fix, { kind: 'replace_expected', text: '-0.44' });
      assert.match(errors[2].message, /^expected b²'\[1\] = 1\.99, computed 1\.87 /);
      assert.deepEqual(errors[2].fix, { kind: 'replace_expected', text: '1.87' });
      assert.deepEqual(errors[3].fix, { kind: 'replace_expected', text: '1.07' });
    });

    it('reports each matching key once, as info', () => {
      const infos = only(ds, 'info');
      assert.equal(infos.length, 12, infos.map((d) => d.message).join('\n'));
      assert.ok(infos.every((d) => d.code === 'expect-match'));
      assert.ok(infos.some((d) => d.message === 'z¹ matches (3 values)'));
      assert.ok(infos.some((d) => d.message === 'L matches (109)'));
      const z1 = infos.find((d) => d.message.startsWith('z¹'));
      assert.deepEqual(z1 && lc(z1.range), find(text, 'z', '      z: [0, 8, 1]'));
    });

    it('gives cells in the written layout, and the shape error without cells', () => {
      const w2 = results.find((r) => r.expectation.layer === 2 && r.expectation.key === 'W_next');
      assert.ok(w2);
      assert.equal(w2.cells.length, 6);
      assert.deepEqual(
        w2.cells.filter((c) => !c.ok).map((c) => [c.row, c.col, c.expected, c.computed]),
        [[1, 1, -0.94, -0.44]],
      );
      assert.deepEqual(w2.computed, [
        [1, 0.96, -3.13],
        [2, -0.44, 3.07],
      ]);
      const b1 = results.find((r) => r.expectation.layer === 1 && r.expectation.key === 'b_next');
      assert.ok(b1?.shapeError);
      assert.deepEqual(b1.cells, []);
      assert.equal(b1.ok, false);
    });

    it('results survive structured cloning (posting to a worker or a webview)', () => {
      const copy = structuredClone(results.map((r) => ({ ...r })));
      assert.equal(copy.length, results.length);
      assert.equal(copy[0].cells.length, results[0].cells.length);
    });
  });

  describe('the examples against the real engine', () => {
    it('problem 1: the same four slips', () => {
      const { text, fileName } = example('problem1.bp.yaml');
      const m = model(text, fileName);
      const errors = only(expectationDiagnostics(checkExpectations(m, train(m.spec))), 'error');
      assert.deepEqual(
        errors.map((d) => lc(d.range)),
        [
          find(text, '[1.99, 3.6]'),
          find(text, '-0.94', 'W_next: [[1, 0.96'),
          find(text, '1.99', '[1.99, 1.01]'),
          find(text, '1.01', '[1.99, 1.01]'),
        ],
      );
    });

    it("problem 2: only the worked-line slips (∂L/∂a², σ'(z¹), the worked δ²)", () => {
      const { text, fileName } = example('problem2-square.bp.yaml');
      const m = model(text, fileName);
      const errors = only(expectationDiagnostics(checkExpectations(m, train(m.spec))), 'error');
      assert.deepEqual(
        errors.map((d) => [lc(d.range), d.fix?.kind === 'replace_expected' ? d.fix.text : undefined]),
        [
          [find(text, '1', '      sigma_prime: [1, 1]'), '-2'],
          [find(text, '1', '      sigma_prime: [1, 1]', 1), '4'],
          [find(text, '-6', '        delta: [-6, -4]'), '-42'],
          [find(text, '1', '  dL_da: [1, 1]'), '7'],
        ],
      );
    });

    it('problem 3: z³ and a³ = 39, ∂L/∂W³ 1252, both 169s of ∂L/∂W², written as the notes write them', () => {
      const { text, fileName } = example('problem3-batch.bp.yaml');
      const m = model(text, fileName);
      const errors = only(expectationDiagnostics(checkExpectations(m, train(m.spec))), 'error');
      assert.deepEqual(
        errors.map((d) => lc(d.range)),
        [
          find(text, '(2/3)*169', '      dW: [[(2/3)*261'),
          find(text, '(2/3)*169', '      dW: [[(2/3)*261', 1),
          find(text, '39', '      z: [39'),
          find(text, '39', '      a: [39'),
          find(text, '(2/3)*1252', '      dW: [(2/3)*1252'),
        ],
      );
      // Shown back as written, the computed value in the same form: 2/3 · 167 = 111.33…, 2/3 · 1292 = 861.33….
      assert.equal(
        errors[4].message,
        'expected ∂L/∂W³[1] = (2/3)·1252 = 834.6666667, computed (2/3)·1292 = 861.3333333 (|diff| 26.7 > tolerance 8.6e-4)',
      );
      assert.match(
        errors[0].message,
        /^expected ∂L\/∂W²\[1\]\[3\] = \(2\/3\)·169 = 112\.66666667, computed \(2\/3\)·167 = 111\.33333333 /,
      );
      // The fixes keep the form the user wrote: (2/3)*167, 37, (2/3)*1292.
      assert.deepEqual(
        errors.map((d) => (d.fix?.kind === 'replace_expected' ? d.fix.text : undefined)),
        ['(2/3)*167', '(2/3)*167', '37', '37', '(2/3)*1292'],
      );
    });
  });

  describe('tolerance', () => {
    const trace = problem1Trace();
    const check = (block: string) => expectationDiagnostics(checkExpectations(model(withExpect(2, block)), trace));

    it('by default 1e-6 × max(1, |computed|): 0.96 matches 0.9600000000000001', () => {
      const t = handTrace({
        ...p1Params(),
        layers: p1Params().layers.map((l, i) =>
          i === 1
            ? {
                ...l,
                WNext: [
                  [1, 0.9600000000000001, -3.13],
                  [2, -0.44, 3.07],
                ],
              }
            : l,
        ),
      });
      const ds = expectationDiagnostics(
        checkExpectations(model(withExpect(2, '{W_next: [[1, 0.96, -3.13], [2, -0.44, 3.07]]}')), t),
      );
      assert.deepEqual(
        ds.map((d) => d.severity),
        ['info'],
      );
      assert.equal(only(check('{W_next: [[1, 0.961, -3.13], [2, -0.44, 3.07]]}'), 'error').length, 1);
    });

    it('scales with the value: 1e6-sized values compare relatively', () => {
      const t = handTrace({ ...p1Params(), lossValue: 1234567.891 });
      const ok = expectationDiagnostics(
        checkExpectations(model(withExpect(2, '{z: [15, -4]}', '{loss: 1234567.8915}')), t),
      );
      assert.ok(
        ok.every((d) => d.severity === 'info'),
        JSON.stringify(ok),
      );
    });

    it('an explicit tolerance is absolute: 0.005 accepts values rounded to 2 decimals, even at the boundary', () => {
      const t = handTrace({
        ...p1Params(),
        layers: p1Params().layers.map((l, i) => (i === 1 ? { ...l, bNext: [1.865, 1.0666] } : l)),
      });
      const m = model(withExpect(2, '{tolerance: 0.005, b_next: [1.87, 1.07]}'));
      assert.deepEqual(
        expectationDiagnostics(checkExpectations(m, t)).map((d) => d.severity),
        ['info'],
      );
      const strict = model(withExpect(2, '{tolerance: 0.001, b_next: [1.87, 1.07]}'));
      const errs = only(expectationDiagnostics(checkExpectations(strict, t)), 'error');
      assert.equal(errs.length, 2);
      assert.match(errs[0].message, /tolerance 0\.001\)$/);
    });
  });

  describe('shapes and layouts', () => {
    const trace = problem1Trace();

    it('a scalar for a 1×1 value, a flat list for a single row or column, a column for a vector', () => {
      const ds = expectationDiagnostics(
        checkExpectations(model(withExpect(2, '{b_next: [[1.87], [1.07]], db: [[13, -7]]}', '{loss: [109]}')), trace),
      );
      assert.deepEqual(
        ds.map((d) => d.severity),
        ['info', 'info', 'info'],
      );
    });

    it('a matrix written transposed: one shape error that says so', () => {
      const ds = expectationDiagnostics(
        checkExpectations(model(withExpect(2, '{dW: [[0, 0], [104, -56], [13, -7]]}')), trace),
      );
      assert.equal(ds.length, 1);
      assert.equal(
        ds[0].message,
        '∂L/∂W² is 2×3 (n_2 × n_1, convention out_in), you wrote 3×2 (the transpose); computed [[0, 104, 13], [0, -56, -7]]',
      );
    });

    it("in_out: W-shaped values are compared in the file's convention", () => {
      const text = withExpect(2, '{dW: [[0, 0], [104, -56], [13, -7]], W_next: [[1, 2], [0.96, -0.44], [-3.13, 3.07]]}')
        .replace('[[1, -2], [2, 4], [-3, 1]]', '[[1, 2, -3], [-2, 4, 1]]')
        .replace('[[1, 2, -3], [2, -1, 3]]', '[[1, 2], [2, -1], [-3, 3]]')
        .replace('input:', 'convention: in_out\ninput:');
      const ds = expectationDiagnostics(checkExpectations(model(text), trace));
      assert.deepEqual(
        ds.map((d) => d.message),
        ['∂L/∂W² matches (6 values)', "W²' matches (6 values)"],
      );
    });

    it('batch_layout columns: batch values are [unit][example]; a flat list serves a 1-unit layer', () => {
      // One identity layer, W = [[1, 2]], b = 0, two examples (1, 0) and (0, 1) written as columns:
      // z = (1, 2); with sse and target (0, 0), ∂L/∂a = 2(z − t) = (2, 4), δ = (2, 4),
      // ∂L/∂W = δᵀ a⁰ = [[2·1 + 4·0, 2·0 + 4·1]] = [[2, 4]].
      const text =
        'batch_layout: columns\ninput: [[1, 0], [0, 1]]\ntarget: [0, 0]\nlayers:\n  - W: [[1, 2]]\n    b: [0]\n    activation: identity\n    expect: {z: [1, 2], delta: [[2, 4]], dW: [2, 4]}\nloss: sse\noptimizer: {lr: 0.1}\n';
      const m = model(text);
      const t = handTrace({
        input: [
          [1, 0],
          [0, 1],
        ],
        target: [[0], [0]],
        loss: 'sse',
        lossValue: 5,
        dA: [[2], [4]],
        lr: 0.1,
        layers: [
          {
            activation: 'identity',
            z: [[1], [2]],
            a: [[1], [2]],
            dA: [[2], [4]],
            sigmaPrime: [[1], [1]],
            delta: [[2], [4]],
            dW: [[2, 4]],
            db: [6],
            W: [[1, 2]],
            b: [0],
            WNext: [[0.8, 1.6]],
            bNext: [-0.6],
          },
        ],
      });
      const ds = expectationDiagnostics(checkExpectations(m, t));
      assert.deepEqual(
        ds.map((d) => d.message),
        ['z¹ matches (2 values)', 'δ¹ matches (2 values)', '∂L/∂W¹ matches (2 values)'],
      );
      // Written as rows (2 examples × 1 unit) it does not fit the columns layout.
      const wrong = model(text.replace('delta: [[2, 4]]', 'delta: [[2], [4]]'));
      const shape = only(expectationDiagnostics(checkExpectations(wrong, t)), 'error');
      assert.equal(shape.length, 1);
      assert.match(shape[0].message, /^δ¹ has 2 entries \(one per example\), you wrote 2×1/);
    });
  });

  describe('values the trace cannot give', () => {
    it('a step that was not run: an error at the step key', () => {
      const text = withExpect(2, '{step: 3, z: [15, -4]}');
      const ds = expectationDiagnostics(checkExpectations(model(text), problem1Trace()));
      assert.equal(ds.length, 1);
      assert.deepEqual(lc(ds[0].range), find(text, '3', 'step: 3'));
      assert.equal(ds[0].message, 'Step 3 was not run: the trace has 1 step');
      assert.equal(ds[0].code, 'expect-unavailable');
    });

    it("σ' of a softmax output fused with cross-entropy: an error saying why", () => {
      const text =
        'input: [1, 0]\ntarget: [1, 0]\nlayers:\n  - W: [[1, 0], [0, 1]]\n    b: [0, 0]\n    activation: softmax\n    expect: {sigma_prime: [1, 1]}\nloss: cross_entropy\noptimizer: {lr: 0.1}\n';
      const m = model(text);
      const ds = expectationDiagnostics(checkExpectations(m, train(m.spec)));
      assert.equal(ds.length, 1);
      assert.match(
        ds[0].message,
        /^σ'\(z¹\) is not available: with softmax and cross_entropy, δ¹ is computed directly from z¹/,
      );
      assert.deepEqual(lc(ds[0].range), find(text, 'sigma_prime'));
    });
  });
});

describe('analysis/expect: where each checked number is in the trace', () => {
  /** The checked cells of `key` at `layer`, as [written row, written column] → place in the trace. */
  const cellsOf = (results: readonly ExpectationResult[], key: string, layer: number) => {
    const r = results.find((x) => x.expectation.key === key && x.expectation.layer === layer);
    assert.ok(r, `${key} of layer ${layer}`);
    return r;
  };
  const placeOf = (c: CellCheck) => [c.at.event.kind, c.at.event.layer, c.at.quantity, c.at.row, c.at.col];

  describe('problem 1 (out_in, one example), against the trace built from the notes', () => {
    const { text, fileName } = example('problem1.bp.yaml');
    const trace = problem1Trace();
    const results = checkExpectations(model(text, fileName), trace);

    it("W²' row 2, column 2 (the −0.94 slip) is W_next² at update 2, engine [out 1][in 1] = −0.44", () => {
      const w = cellsOf(results, 'W_next', 2);
      assert.deepEqual(w.at, { event: { step: 1, kind: 'update', layer: 2 }, quantity: 'W_next' });
      const wrong = w.cells.filter((c) => !c.ok);
      assert.deepEqual(wrong.map(placeOf), [['update', 2, 'W_next', 1, 1]]);
      assert.equal(trace.steps.get(1).update[1].WNext.data[1 * 3 + 1], -0.44);
      // out_in writes W as the engine holds it: every written (row, column) is the engine's.
      assert.ok(w.cells.every((c) => c.at.row === c.row && c.at.col === c.col));
    });

    it("b²' (both entries wrong) is b_next² [0][unit]; the loss is [0][0] at the loss event", () => {
      assert.deepEqual(
        cellsOf(results, 'b_next', 2)
          .cells.filter((c) => !c.ok)
          .map(placeOf),
        [
          ['update', 2, 'b_next', 0, 0],
          ['update', 2, 'b_next', 0, 1],
        ],
      );
      assert.deepEqual(cellsOf(results, 'loss', 0).cells.map(placeOf), [['loss', 0, 'loss', 0, 0]]);
    });

    it("z¹, δ¹ and ∂L/∂W¹ are read at forward 1 and backward 1; a vector's k-th number is unit k of the one example", () => {
      assert.deepEqual(
        cellsOf(results, 'z', 1).cells.map(placeOf),
        [0, 1, 2].map((u) => ['forward', 1, 'z', 0, u]),
      );
      assert.deepEqual(cellsOf(results, 'delta', 1).cells[2].at, {
        event: { step: 1, kind: 'backward', layer: 1 },
        quantity: 'delta',
        row: 0,
        col: 2,
      });
      // ∂L/∂W¹ = [[-1, -1], [33, 33], [-60, -60]]: the −60 in row 3, column 1 is engine [out 2][in 0].
      const dW = cellsOf(results, 'dW', 1).cells.find((c) => c.row === 2 && c.col === 0)!;
      assert.deepEqual(placeOf(dW), ['backward', 1, 'dW', 2, 0]);
      assert.equal(trace.steps.get(1).backward[0].dW.data[2 * 2 + 0], -60);
    });

    it("a value that could not be compared still says where it is (b¹' has the wrong shape)", () => {
      const b1 = cellsOf(results, 'b_next', 1);
      assert.ok(b1.shapeError);
      assert.deepEqual(b1.at, { event: { step: 1, kind: 'update', layer: 1 }, quantity: 'b_next' });
    });
  });

  describe('problem 3 (batch_layout: columns, three examples), against the engine', () => {
    const { text, fileName } = example('problem3-batch.bp.yaml');
    const m = model(text, fileName);
    const trace = train(m.spec);
    const results = checkExpectations(m, trace);
    const s = trace.steps.get(1);

    it('z³ written (39, −11, 21) for one unit: number k is example k; the slip is example 1 (37, not 39)', () => {
      const z3 = cellsOf(results, 'z', 3);
      assert.deepEqual(
        z3.cells.map(placeOf),
        [0, 1, 2].map((n) => ['forward', 3, 'z', n, 0]),
      );
      assert.deepEqual(z3.cells.filter((c) => !c.ok).map(placeOf), [['forward', 3, 'z', 0, 0]]);
      // The notes: z³ = (25 + 12, −2 − 9, 16 + 5) = (37, −11, 21), one number per example.
      assert.deepEqual(
        z3.cells.map((c) => s.forward[2].z.data[c.at.row * s.forward[2].z.cols + c.at.col]),
        [37, -11, 21],
      );
    });

    it("δ¹ written units × examples: written [unit 1][example 2] is the engine's [example 2][unit 1] = 2/3 · (−44)", () => {
      const c = cellsOf(results, 'delta', 1).cells.find((x) => x.row === 0 && x.col === 1)!;
      assert.deepEqual(placeOf(c), ['backward', 1, 'delta', 1, 0]);
      const d = s.backward[0].delta;
      assert.ok(Math.abs(d.data[c.at.row * d.cols + c.at.col] - (2 / 3) * -44) < 1e-12);
    });

    it('∂L/∂W² (out_in) keeps its written cells: the two 169 slips are [out 0..1][in 2]; ∂L/∂W³ as a list is [0][in]', () => {
      assert.deepEqual(
        cellsOf(results, 'dW', 2)
          .cells.filter((c) => !c.ok)
          .map(placeOf),
        [
          ['backward', 2, 'dW', 0, 2],
          ['backward', 2, 'dW', 1, 2],
        ],
      );
      const dW3 = cellsOf(results, 'dW', 3).cells;
      assert.deepEqual(dW3.map(placeOf), [
        ['backward', 3, 'dW', 0, 0],
        ['backward', 3, 'dW', 0, 1],
      ]);
      // The notes' corrected ∂L/∂W³ = 2/3 · (38·25 + 11·2 + 20·16, …) = 2/3 · (1292, …).
      assert.ok(Math.abs(s.backward[2].dW.data[0] - (2 / 3) * 1292) < 1e-9);
    });
  });

  describe('problem 1 in the in_out convention', () => {
    // W written n_(l−1) × n_l, the transpose of problem 1's; W²' with one slip in row 3, column 1
    // (−3.31 for −3.13), ∂L/∂W² = a¹ δ²ᵀ = (0, 8, 1)ᵀ (13, −7).
    const text = P1.replace('[[1, -2], [2, 4], [-3, 1]]', '[[1, 2, -3], [-2, 4, 1]]')
      .replace('[[1, 2, -3], [2, -1, 3]]', '[[1, 2], [2, -1], [-3, 3]]')
      .replace('input:', 'convention: in_out\ninput:')
      .replace(
        '    b: [2, 1]\n',
        '    b: [2, 1]\n    expect: {dW: [[0, 0], [104, -56], [13, -7]], W_next: [[1, 2], [0.96, -0.44], [-3.31, 3.07]], delta: [13, -7]}\n',
      );
    const trace = problem1Trace();
    const results = checkExpectations(model(text), trace);

    it("the file's W²'[3][1] is the engine's W_next²[out 0][in 2] = −3.13", () => {
      const wrong = cellsOf(results, 'W_next', 2).cells.filter((c) => !c.ok);
      assert.deepEqual(
        wrong.map((c) => [c.row, c.col]),
        [[2, 0]],
      );
      assert.deepEqual(wrong.map(placeOf), [['update', 2, 'W_next', 0, 2]]);
      assert.equal(trace.steps.get(1).update[1].WNext.data[0 * 3 + 2], -3.13);
    });

    it('∂L/∂W²: written [in][out], so the 104 (row 2, column 1) is engine [out 0][in 1] = 13 · 8; δ² is not transposed', () => {
      const dW = cellsOf(results, 'dW', 2).cells;
      assert.ok(dW.every((c) => c.at.row === c.col && c.at.col === c.row));
      const c104 = dW.find((c) => c.expected === 104)!;
      assert.deepEqual(placeOf(c104), ['backward', 2, 'dW', 0, 1]);
      assert.equal(trace.steps.get(1).backward[1].dW.data[0 * 3 + 1], 13 * 8);
      assert.deepEqual(cellsOf(results, 'delta', 2).cells.map(placeOf), [
        ['backward', 2, 'delta', 0, 0],
        ['backward', 2, 'delta', 0, 1],
      ]);
    });
  });

  it("∂L/∂a: the output's at the loss event, a hidden layer's at its backward event; a step not run keeps its step", () => {
    const text = withExpect(1, '{dL_da: [-1, 33, -60]}', '{dL_da: [13, -7]}').replace(
      '    b: [2, 1]\n',
      '    b: [2, 1]\n    expect: {step: 2, z: [15, -4]}\n',
    );
    const results = checkExpectations(model(text), problem1Trace());
    assert.deepEqual(cellsOf(results, 'dL_da', 1).at, {
      event: { step: 1, kind: 'backward', layer: 1 },
      quantity: 'dA',
    });
    assert.deepEqual(cellsOf(results, 'dL_da', 0).at, { event: { step: 1, kind: 'loss', layer: 0 }, quantity: 'dA' });
    assert.ok(results.every((r) => r.ok || r.error));
    assert.deepEqual(cellsOf(results, 'z', 2).at.event, { step: 2, kind: 'forward', layer: 2 });
  });
});

/** The parameters behind problem1Trace(), to vary one value at a time. */
function p1Params(): Parameters<typeof handTrace>[0] {
  const t: Trace = problem1Trace();
  const s = t.steps.get(1);
  return {
    input: rows(s.input),
    target: rows(s.target),
    loss: 'half_sse',
    lossValue: s.loss.value,
    dA: rows(s.loss.dA),
    lr: 0.01,
    layers: s.forward.map((f, i) => ({
      activation: f.activation,
      z: rows(f.z),
      a: rows(f.a),
      dA: rows(s.backward[i].dA),
      sigmaPrime: rows(s.backward[i].sigmaPrime ?? mat([[0]])),
      delta: rows(s.backward[i].delta),
      dW: rows(s.backward[i].dW),
      db: Array.from(s.backward[i].db),
      W: rows(s.update[i].W),
      b: Array.from(s.update[i].b),
      WNext: rows(s.update[i].WNext),
      bNext: Array.from(s.update[i].bNext),
    })),
  };
}
