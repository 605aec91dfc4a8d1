// The CLI's least-squares output (lecture note 000's closed form beside gradient descent).
// Expected numbers: the fit y = 1.5 + 0.8x worked by hand in test/unit/analysis/lstsq.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main';
import { DEPENDENT_COLUMNS } from '../../fixtures/leastSquaresModels';

const root = resolve(__dirname, '../../../..');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'backprop-lsq-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

// Two outputs: y₁ = 1.5 + 0.8x (by hand: slope 4/5, intercept 1.5, Σr² = 1.8) and y₂ = 2x exactly.
const ROWS = `input: [[1], [2], [3], [4]]
target: [[2, 2], [3, 4], [5, 6], [4, 8]]
layers:
  - W: [[0], [0]]
    b: [0, 0]
    activation: identity
loss: sse
optimizer: {type: sgd, lr: 0.02}
steps: 5
`;
// The same problem written in_out with examples as columns.
const COLUMNS = `convention: in_out
batch_layout: columns
input: [[1, 2, 3, 4]]
target: [[2, 3, 5, 4], [2, 4, 6, 8]]
layers:
  - W: [[0, 0]]
    b: [0, 0]
    activation: identity
loss: sse
optimizer: {type: sgd, lr: 0.02}
steps: 5
`;

interface LsqJson {
  least_squares: { W: number[][]; b: number[]; loss: number; rank: number; warning: string | null };
  steps: { step: number; least_squares_distance: number; layers: { W: number[][]; b: number[] }[] }[];
}

const near = (a: number, e: number, what: string) => assert.ok(Math.abs(a - e) < 1e-12, `${what}: ${a} vs ${e}`);

describe('backprop trace: least squares beside gradient descent', () => {
  it('--format json: a top-level least_squares {W, b, loss} in the file convention, each step its distance', async () => {
    for (const [name, text, W] of [
      ['rows.bp.yaml', ROWS, [[0.8], [2]]],
      ['cols.bp.yaml', COLUMNS, [[0.8, 2]]],
    ] as const) {
      const r = await run('trace', file(name, text), '--format', 'json');
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out) as LsqJson;
      const ls = j.least_squares;
      assert.equal(ls.W.length, W.length, `${name}: W in the file's convention`);
      ls.W.forEach((row, i) => row.forEach((x, k) => near(x, W[i][k], `${name} W[${i}][${k}]`)));
      near(ls.b[0], 1.5, 'b₁');
      near(ls.b[1], 0, 'b₂');
      near(ls.loss, 1.8, 'sse at the optimum: 1.8 + 0');
      assert.equal(ls.rank, 2);
      assert.equal(ls.warning, null);
      for (const s of j.steps) {
        const w = s.layers[0].W.flat(),
          b = s.layers[0].b;
        const expected = Math.hypot(w[0] - 0.8, w[1] - 2, b[0] - 1.5, b[1]);
        near(s.least_squares_distance, expected, `step ${s.step}`);
      }
      assert.ok(j.steps[4].least_squares_distance < j.steps[0].least_squares_distance);
    }
  });

  it('--format ndjson: the first line carries least_squares once', async () => {
    const r = await run('trace', file('nd.bp.yaml', ROWS), '--format', 'ndjson', '--only-steps', '2-4');
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Partial<LsqJson> & { step: number });
    assert.deepEqual(
      lines.map((l) => [l.step, 'least_squares' in l]),
      [
        [2, true],
        [3, false],
        [4, false],
      ],
    );
    near(lines[0].least_squares!.b[0], 1.5, 'b₁');
  });

  it('table and Markdown: a least-squares section, and ‖θ − θ*‖ in each step heading', async () => {
    const f = file('md.bp.yaml', ROWS);
    const md = (await run('trace', f, '--format', 'markdown')).out;
    assert.match(md, /## Least squares \(closed form\)/);
    assert.match(md, /\$\$L\(W\^\{\*\}, b\^\{\*\}\) = 1\.8\$\$/);
    assert.match(md, /## Step 1: loss [\d.]+, ‖θ − θ\*‖ = 2\.6/); // √(0.8² + 2² + 1.5²) = √6.89 = 2.62488
    const table = (await run('trace', f)).out;
    assert.match(table, /b\* = \(1\.5, 0\)/);
    assert.match(table, /Step 1: loss [\d.]+ · ‖θ − θ\*‖ = 2\.62488/);
  });

  it('a rank-deficient X: one warning line at the input, the exit status unchanged', async () => {
    const f = file('dep.bp.yaml', DEPENDENT_COLUMNS);
    const r = await run('trace', f, '--format', 'json');
    assert.equal(r.code, 0);
    const lines = r.err.trim().split('\n');
    assert.equal(lines.length, 1, r.err);
    assert.match(
      lines[0],
      /dep\.bp\.yaml:2:3: warning: least squares: XᵀX is singular — X = \[1 \| input\] has rank 2 < 3/,
    );
    assert.equal((JSON.parse(r.out) as LsqJson).least_squares.rank, 2);
  });

  it('the example linear-regression.bp.yaml: gradient descent ends within 2% of the optimum loss', async () => {
    const r = await run('trace', join(root, 'examples', 'linear-regression.bp.yaml'), '--format', 'json');
    const j = JSON.parse(r.out) as LsqJson & { steps: { loss: number }[] };
    const d = j.steps.map((s) => s.least_squares_distance);
    assert.ok(
      d.every((x, i) => i === 0 || x < d[i - 1]),
      'the distance shrinks at every step',
    );
    const last = j.steps[j.steps.length - 1].loss;
    assert.ok(last >= j.least_squares.loss && last < 1.02 * j.least_squares.loss, `${last} vs ${j.least_squares.loss}`);
  });

  const pdflatex = spawnSync('pdflatex', ['--version']).status === 0;
  (pdflatex ? it : it.skip)('--format latex: the section compiles with pdflatex', async function () {
    this.timeout(60_000);
    for (const [name, text] of [
      ['ex', join(root, 'examples', 'linear-regression.bp.yaml')],
      ['dep', file('dep2.bp.yaml', DEPENDENT_COLUMNS)],
    ]) {
      const tex = (await run('trace', text, '--format', 'latex')).out;
      assert.match(tex, /\\subsection\*\{Least squares \(closed form\)\}/);
      writeFileSync(join(dir, `${name}.tex`), tex);
      const r = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', `${name}.tex`], {
        cwd: dir,
        encoding: 'utf8',
      });
      assert.equal(
        r.status,
        0,
        r.stdout
          .split('\n')
          .filter((l) => l.startsWith('!'))
          .join('\n'),
      );
    }
  });
});
