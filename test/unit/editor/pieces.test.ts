import assert from 'node:assert/strict';
import { formatNumber } from '../../../src/engine/numberFormat';
import { gradientShares, layerSummary, percent } from '../../../src/extension/editor/summary';
import { orderTemplates, templateInfo, uniqueName } from '../../../src/extension/editor/templateInfo';
import { gradCheckMarkdown } from '../../../src/extension/editor/gradReport';
import { DEFAULT_NUMBER_FORMAT, matrixTable, pick } from '../../../src/extension/editor/markdown';
import { estimateRun, planRun, toWorkerOptions } from '../../../src/extension/workerProtocol';
import { fromTransferable, toTransferable } from '../../../src/extension/transfer';
import { analyze } from '../../../src/analysis/analyze';
import { gradientCheck } from '../../../src/engine/gradcheck';
import { PROBLEM1, run } from './fixtures';

describe('editor: formatNumber styles', () => {
  it('auto is unchanged; fixed has digits after the point; scientific always an exponent', () => {
    assert.equal(formatNumber(0.9600000000000001), '0.96');
    assert.equal(formatNumber(104, 3, 'fixed'), '104.000');
    assert.equal(formatNumber(-0.0001, 2, 'fixed'), '0.00');
    assert.equal(formatNumber(1e22, 2, 'fixed'), '1e22');
    assert.equal(formatNumber(104, 3, 'scientific'), '1.04e2');
    assert.equal(formatNumber(-0.00012345, 2, 'scientific'), '-1.2e-4');
    assert.equal(formatNumber(0, 3, 'scientific'), '0e0');
    assert.equal(formatNumber(NaN, 3, 'fixed'), 'NaN');
  });
});

describe('editor: CodeLens summary', () => {
  const p = run(PROBLEM1);
  it('gradient shares: ‖∇W¹‖² + ‖∇b¹‖² = 9380 + 4690 vs 14170 + 218 for layer 2', () => {
    const [s1, s2] = gradientShares(p.trace.steps.get(1));
    const l1 = 9380 + 4690,
      l2 = 14170 + 218;
    assert.ok(Math.abs(s1 - l1 / (l1 + l2)) < 1e-12);
    assert.ok(Math.abs(s1 + s2 - 1) < 1e-12);
  });
  it('one line: shape, activation, ‖δ‖ and share', () => {
    // ‖δ²‖ = √(13² + 7²) = √218 = 14.7648…, to backprop.precision's 6 digits as in every view (3 digits: 14.8).
    assert.equal(layerSummary(p.trace, 2, 1, DEFAULT_NUMBER_FORMAT), '3 → 2 identity · ‖δ²‖ = 14.7648 · 51% of ‖∇L‖²');
    assert.match(layerSummary(p.trace, 2, 1, { digits: 3, style: 'auto' }), /‖δ²‖ = 14\.8 · /);
    assert.equal(percent(0.0004), '<0.1%');
    assert.equal(percent(NaN), '—');
    assert.match(layerSummary(run(PROBLEM1, 4).trace, 1, 3, DEFAULT_NUMBER_FORMAT), /step 3\/4$/);
  });
});

describe('editor: templates', () => {
  it('reads the label from name: (YAML) or "name" (JSON) and the first comment', () => {
    assert.deepEqual(templateInfo('a.bp.yaml', '# Hello there\nname: worked problem 1   # c\n'), {
      fileName: 'a.bp.yaml',
      label: 'worked problem 1',
      detail: 'Hello there',
    });
    assert.equal(templateInfo('c.bp.json', '{\n  "name": "3-class \\"x\\"",\n}').label, '3-class \\"x\\"');
    assert.equal(templateInfo('noname.bp.yaml', 'input: [1]\n').label, 'noname');
  });
  it('orders the seed problems first, numerically', () => {
    const names = [
      'xor.bp.yaml',
      'problem10.bp.yaml',
      'classifier.bp.json',
      'problem2-square.bp.yaml',
      'problem1.bp.yaml',
    ];
    assert.deepEqual(
      orderTemplates(names.map((fileName) => ({ fileName }))).map((t) => t.fileName),
      ['problem1.bp.yaml', 'problem2-square.bp.yaml', 'problem10.bp.yaml', 'classifier.bp.json', 'xor.bp.yaml'],
    );
  });
  it('picks a free name: xor.bp.yaml, xor-2.bp.yaml, …', () => {
    const taken = new Set(['xor.bp.yaml', 'xor-2.bp.yaml']);
    assert.equal(
      uniqueName('xor.bp.yaml', (n) => taken.has(n)),
      'xor-3.bp.yaml',
    );
    assert.equal(
      uniqueName('new.bp.json', () => false),
      'new.bp.json',
    );
  });
});

describe('editor: markdown tables', () => {
  it('elides the middle of big matrices', () => {
    assert.deepEqual(pick(20, 5), [0, 1, -1, 18, 19]);
    const m = { rows: 30, cols: 30, data: new Float64Array(900).map((_, k) => k) };
    const md = matrixTable(m, DEFAULT_NUMBER_FORMAT, 'row');
    assert.match(md, /⋯/);
    assert.match(md, /⋮/);
    assert.match(md, /\| \*\*30\*\* \|/);
    assert.match(md, / 899 \|$/);
  });
});

describe('editor: gradient check report', () => {
  it('lists every parameter with analytic, numeric and the verdict', () => {
    const p = run(PROBLEM1);
    const md = gradCheckMarkdown(p.model, gradientCheck(p.model.spec), DEFAULT_NUMBER_FORMAT, 'p1.bp.yaml');
    assert.match(md, /^# Gradient check: p1/);
    assert.match(md, /✓ passed\*\* · 17 parameters · 0 failing/);
    assert.match(md, /\| W²\[1\]\[2\] \| 104 \| 104 \|/);
  });
  it('marks a parameter at a kink (relu, z¹[1] = 0) as not compared, and a refused ε as the reason', () => {
    // Problem 1 with b¹ = (0, 2, 2) and relu: z¹ = (1 − 2 + 0, …) = (−1, 8, 0); unit 3 sits on the kink.
    const p = run(PROBLEM1.replace('b: [1, 2, 3]', 'b: [0, 2, 2]').replace('activation: identity', 'activation: relu'));
    const md = gradCheckMarkdown(p.model, gradientCheck(p.model.spec), DEFAULT_NUMBER_FORMAT, 'p1.bp.yaml');
    assert.match(md, /✓ passed\*\* · 17 parameters · 0 failing · 3 not differentiable there/);
    assert.match(
      md,
      /\| b¹\[3\] \| 0 \| [^|]+ \| [^|]+ \| [^|]+ \| ∠ not differentiable here \(z¹\\\[3\\\] = 0: relu's kink\) \|/,
    );
    const refused = gradCheckMarkdown(
      p.model,
      gradientCheck(p.model.spec, { epsilon: 1e-13 }),
      DEFAULT_NUMBER_FORMAT,
      'p1',
    );
    assert.match(refused, /\*\*Not run\.\*\* ε = 1e-13 is too small for this model/);
  });
});

describe('editor: worker protocol', () => {
  it('estimates cost as parameters × examples × (3·steps + 2·checked parameters)', () => {
    const p = run(PROBLEM1);
    assert.deepEqual(estimateRun(p.model.spec, {}), { cost: 17 * 3, steps: 1, gradcheckParameters: 0 });
    assert.deepEqual(estimateRun(p.model.spec, { steps: 10, gradcheck: true }), {
      cost: 17 * (30 + 34),
      steps: 10,
      gradcheckParameters: 17,
    });
  });
  it('plans: cheap runs in process, runs above the threshold in a worker', () => {
    const here = planRun(PROBLEM1, {}, 1000);
    assert.equal(here.where, 'here');
    // The in-process run reuses the parse the plan was made on.
    assert.ok(here.where === 'here' && here.parsed.model);
    const w = planRun(PROBLEM1, { steps: 100 }, 1000);
    assert.equal(w.where, 'worker');
    assert.equal(planRun('layers: [', {}, 0).where, 'here');
  });
  it("options crossing to a worker keep data only, and no undefined that would hide the file's ε", () => {
    const o = toWorkerOptions({
      fileName: 'x',
      gradcheck: { epsilon: undefined, shouldStop: () => false },
      train: { onStep: () => undefined },
    });
    assert.deepEqual(o, { fileName: 'x', gradcheck: {} });
    assert.doesNotThrow(() => structuredClone(o));
  });
  it('an analysis survives structured clone: expectations keep their diagnostics and identity', () => {
    const a = analyze(PROBLEM1, {});
    const back = fromTransferable(structuredClone(toTransferable(a)));
    assert.deepEqual(
      back.expectations.map((r) => r.diagnostics()),
      a.expectations.map((r) => r.diagnostics()),
    );
    assert.ok(back.expectations.every((r) => back.model!.expectations.includes(r.expectation)));
    assert.deepEqual(
      Array.from(back.trace!.steps.get(1).update[1].WNext.data),
      Array.from(a.trace!.steps.get(1).update[1].WNext.data),
    );
  });
});
