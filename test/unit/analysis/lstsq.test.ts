// The least-squares solver and the closed form beside gradient descent (lecture note 000).
// Expected values: a fit worked by hand with the textbook slope/intercept formulas, and
// torch.linalg.lstsq's float64 solutions recorded by lstsq_torch.py (checked in beside this file).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { lstsq } from '../../../src/analysis/lstsq';
import { designMatrix, solveLeastSquares } from '../../../src/analysis/leastSquares';
import { analyze } from '../../../src/analysis/analyze';
import { fromRows, Matrix, toRows } from '../../../src/engine/tensor';
import { DEPENDENT_COLUMNS, lineFit } from '../../fixtures/leastSquaresModels';

const root = resolve(__dirname, '../../../..');

const closeTo = (a: number, e: number, tol: number, what = '') =>
  assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what} ${a} vs ${e}`);

describe('analysis/lstsq: least squares by Householder QR', () => {
  it('a 2-parameter fit by hand: slope Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = 4/5, intercept ȳ − slope·x̄ = 1.5', () => {
    // x̄ = 2.5, ȳ = 3.5; Σ(x−x̄)(y−ȳ) = 2.25 + 0.25 + 0.75 + 0.75 = 4; Σ(x−x̄)² = 2.25 + 0.25 + 0.25 + 2.25 = 5.
    // Fitted 2.3, 3.1, 3.9, 4.7; residuals −0.3, −0.1, 1.1, −0.7; Σ r² = 0.09 + 0.01 + 1.21 + 0.49 = 1.8.
    // Learning rates under 2/λ_max of each loss's Hessian (XᵀX's largest eigenvalue is 33.4).
    for (const [loss, L, lr] of [
      ['sse', 1.8, 0.02],
      ['half_sse', 0.9, 0.04],
      ['mse', 0.45, 0.08],
    ] as const) {
      const a = analyze(lineFit({ loss, lr, steps: 200 }));
      const ls = a.leastSquares;
      assert.ok(ls, `${loss}: a linear regression has the closed form`);
      closeTo(ls.W.data[0], 0.8, 1e-14, 'slope');
      closeTo(ls.b[0], 1.5, 1e-14, 'intercept');
      closeTo(ls.loss, L, 1e-14, `${loss} at the optimum`);
      assert.equal(ls.rank, 2);
      assert.equal(ls.warning, undefined);
      // Gradient descent approaches it: the distance falls and the loss nears L*.
      const d = ls.distances;
      assert.equal(d.length, 200);
      assert.ok(d[199] < d[0] / 10, `${loss}: ‖θ − θ*‖ ${d[0]} → ${d[199]}`);
      assert.ok(a.trace!.steps.loss(200) >= L - 1e-12, 'no step beats the optimum');
    }
  });

  it('distance per step is ‖(W_t, b_t) − (W*, b*)‖ at the parameters step t starts from', () => {
    const a = analyze(lineFit({ lr: 0.08, steps: 200 }));
    const ls = a.leastSquares!;
    for (const t of [1, 2, 50, 200]) {
      const u = a.trace!.steps.get(t).update[0];
      const expected = Math.hypot(u.W.data[0] - 0.8, u.b[0] - 1.5);
      closeTo(ls.distances[t - 1], expected, 1e-12, `step ${t}`);
    }
    closeTo(ls.distances[0], Math.hypot(0.8, 1.5), 1e-14, 'step 1 starts at W = 0, b = 0');
  });

  describe("torch.linalg.lstsq's solutions (lstsq_torch.py, float64)", () => {
    const recorded = JSON.parse(readFileSync(resolve(root, 'test/unit/analysis/lstsq-torch.json'), 'utf8')) as {
      cases: { name: string; X: number[][]; Y: number[][]; solution: number[][]; rank: number; mse?: number }[];
    };
    it('examples/linear-regression.bp.yaml: W*, b* and the mse at the optimum', () => {
      const c = recorded.cases.find((x) => x.name === 'examples/linear-regression.bp.yaml')!;
      const text = readFileSync(resolve(root, c.name), 'utf8');
      const a = analyze(text);
      assert.deepEqual(
        toRows(a.model!.spec.input),
        c.X.map((r) => r.slice(1)),
        "the script has the file's data",
      );
      const ls = a.leastSquares!;
      closeTo(ls.b[0], c.solution[0][0], 1e-12, 'b*');
      closeTo(ls.W.data[0], c.solution[1][0], 1e-12, 'W*[1]');
      closeTo(ls.W.data[1], c.solution[2][0], 1e-12, 'W*[2]');
      closeTo(ls.loss, c.mse!, 1e-12, 'L*');
    });
    for (const c of recorded.cases)
      it(c.name, () => {
        const r = lstsq(fromRows(c.X), fromRows(c.Y));
        assert.equal(r.rank, c.rank, 'rank');
        const x = toRows(r.x);
        c.solution.forEach((row, i) => row.forEach((e, j) => closeTo(x[i][j], e, 1e-9, `x[${i}][${j}]`)));
      });
  });

  it('rank-deficient X: a warning at input: naming the dependent column, and the minimum-norm optimum', () => {
    const a = analyze(DEPENDENT_COLUMNS, { fileName: 'dep.bp.yaml' });
    const ls = a.leastSquares!;
    assert.equal(ls.rank, 2);
    assert.match(ls.warning!, /XᵀX is singular/);
    const d = a.diagnostics.filter((x) => x.code === 'least-squares-singular');
    assert.equal(d.length, 1);
    assert.equal(d[0].severity, 'warning');
    assert.deepEqual(d[0].range, a.model!.ranges.input!.value, 'at the input');
    assert.match(d[0].message, /rank 2 < 3 columns/);
    assert.match(d[0].message, /linear combination/);
    // Still an optimum: the residual is orthogonal to X's columns, and no other solution is shorter.
    const X = designMatrix(
      fromRows([
        [0, 1],
        [1, 3],
        [2, 5],
        [3, 7],
      ]),
    );
    const beta = [ls.b[0], ls.W.data[0], ls.W.data[1]];
    const y = [1, 2.5, 2, 4];
    const r = y.map((yi, i) => [0, 1, 2].reduce((s, j) => s + X.data[i * 3 + j] * beta[j], 0) - yi);
    for (let j = 0; j < 3; j++)
      closeTo(
        [0, 1, 2, 3].reduce((s, i) => s + X.data[i * 3 + j] * r[i], 0),
        0,
        1e-12,
      );
    // x₂ = 2x₁ + 1: the null space of X is (1, 2, −1); the minimum-norm β is orthogonal to it.
    closeTo(beta[0] + 2 * beta[1] - beta[2], 0, 1e-12, 'β ⟂ null space');
  });

  it('fewer examples than parameters: no diagnostic, the warning in the solution; data that is not finite: no closed form', () => {
    const one = lineFit()
      .replace('input: [[1], [2], [3], [4]]', 'input: [[1]]')
      .replace('target: [2, 3, 5, 4]', 'target: [2]');
    const a = analyze(one);
    assert.equal(a.leastSquares!.rank, 1);
    assert.match(a.leastSquares!.warning!, /1 example for 2 parameters per unit/);
    assert.deepEqual(
      a.diagnostics.filter((x) => x.code === 'least-squares-singular'),
      [],
    );
    // 1e308 · 10 overflows in the run; the data itself is finite, and the solve does not overflow.
    const big = analyze(one.replace('input: [[1]]', 'input: [[1e308]]'));
    assert.ok(Number.isFinite(big.leastSquares!.W.data[0]), String(big.leastSquares!.W.data[0]));
    assert.equal(analyze(one.replace('input: [[1]]', 'input: [[.nan]]')).leastSquares, undefined);
  });

  it('several outputs are solved column by column; W* is out × in whatever the file writes', () => {
    const rows = `input: [[1, 0], [0, 1], [1, 1], [2, 1], [0, 3]]
target: [[1, 0], [2, 1], [3, 1], [4, 3], [5, 2]]
layers:
  - W: W0
    b: [0, 0]
    activation: identity
loss: sse
optimizer: {type: sgd, lr: 0.01}
`;
    const a = solveLeastSquares(analyze(rows.replace('W0', '[[0, 0], [0, 0]]')).model!.spec)!;
    const cols = `convention: in_out
batch_layout: columns
input: [[1, 0, 1, 2, 0], [0, 1, 1, 1, 3]]
target: [[1, 2, 3, 4, 5], [0, 1, 1, 3, 2]]
layers:
  - W: [[0, 0], [0, 0]]
    b: [0, 0]
    activation: identity
loss: sse
optimizer: {type: sgd, lr: 0.01}
`;
    const b = solveLeastSquares(analyze(cols).model!.spec)!;
    assert.deepEqual(Array.from(b.W.data), Array.from(a.W.data));
    // Each unit on its own: a one-output problem per target column gives the same row of W*.
    for (const [u, t] of [
      [0, '[1, 2, 3, 4, 5]'],
      [1, '[0, 1, 1, 3, 2]'],
    ] as const) {
      const one = solveLeastSquares(
        analyze(
          rows
            .replace(/target: .*/, `target: ${t}`)
            .replace('W0', '[[0, 0]]')
            .replace('[0, 0]\n', '[0]\n'),
        ).model!.spec,
      )!;
      closeTo(a.W.data[u * 2], one.W.data[0], 1e-12);
      closeTo(a.W.data[u * 2 + 1], one.W.data[1], 1e-12);
      closeTo(a.b[u], one.b[0], 1e-12);
    }
  });

  it('no closed form for other networks (hidden layers, a non-identity output, L2, a conv2d layer)', () => {
    const base = lineFit({ lr: 0.08, steps: 200 });
    assert.equal(analyze(base.replace('identity', 'sigmoid')).leastSquares, undefined);
    assert.equal(analyze(base + 'regularization: {l2: 0.1}\n').leastSquares, undefined);
    assert.equal(
      analyze(
        base.replace(
          '    activation: identity',
          '    activation: identity\n  - W: [[1]]\n    b: [0]\n    activation: identity',
        ),
      ).leastSquares,
      undefined,
    );
    // One identity conv2d layer with an mse loss is not a linear regression of this form either.
    const conv = [
      'input: [[[1, 2], [3, 4]]]',
      'target: [[[0.5]]]',
      'layers:',
      '  - type: conv2d',
      '    W: [[[[1, 0], [0, 1]]]]',
      '    b: [0]',
      '    activation: identity',
      'loss: mse',
      'optimizer: {type: sgd, lr: 0.01}',
      '',
    ].join('\n');
    const a = analyze(conv);
    assert.ok(a.trace, a.diagnostics.map((d) => d.message).join('\n'));
    assert.equal(a.leastSquares, undefined);
  });

  it('property: the residual is orthogonal to the columns of X (Xᵀr ≈ 0) on random data', () => {
    // Entries on a 0.01 grid in [−10, 10]: zeros and repeated columns (rank deficiency) come up, denormals do not.
    const entry = fc.integer({ min: -1000, max: 1000 }).map((i) => i / 100);
    const dims = fc
      .record({
        n: fc.integer({ min: 1, max: 12 }),
        p: fc.integer({ min: 1, max: 6 }),
        k: fc.integer({ min: 1, max: 3 }),
      })
      .chain(({ n, p, k }) =>
        fc.record({
          A: fc.array(entry, { minLength: n * p, maxLength: n * p }),
          B: fc.array(entry, { minLength: n * k, maxLength: n * k }),
          n: fc.constant(n),
          p: fc.constant(p),
          k: fc.constant(k),
        }),
      );
    fc.assert(
      fc.property(dims, ({ A, B, n, p, k }) => {
        const a: Matrix = { rows: n, cols: p, data: Float64Array.from(A) };
        const b: Matrix = { rows: n, cols: k, data: Float64Array.from(B) };
        const { x } = lstsq(a, b);
        let scale = 0;
        for (const v of A) scale = Math.max(scale, Math.abs(v));
        for (const v of B) scale = Math.max(scale, Math.abs(v));
        for (let c = 0; c < k; c++) {
          const r = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            let s = -b.data[i * k + c];
            for (let j = 0; j < p; j++) s += a.data[i * p + j] * x.data[j * k + c];
            r[i] = s;
          }
          for (let j = 0; j < p; j++) {
            let s = 0;
            for (let i = 0; i < n; i++) s += a.data[i * p + j] * r[i];
            // Backward stable: Xᵀr is rounding times ‖X‖²‖x‖-ish; scale by the data.
            let xs = 1;
            for (let jj = 0; jj < p; jj++) xs = Math.max(xs, Math.abs(x.data[jj * k + c]));
            assert.ok(Math.abs(s) <= 1e-9 * n * scale * scale * xs, `Xᵀr[${j}] = ${s}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
