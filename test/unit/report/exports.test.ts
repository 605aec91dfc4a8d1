// The worked solutions as users export them — `backprop trace --format latex`, the editor's
// Export Worked Solution (with the wrong hand-derived values remarked) and the panel's step
// export — compile under pdflatex with no error and no character lost; the Markdown export's
// math parses with KaTeX in strict mode, as the Markdown preview renders it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import katex from 'katex';
import { main } from '../../../src/cli/main';
import { analyze, Analysis } from '../../../src/analysis/analyze';
import { eventsOfStep, Trace } from '../../../src/engine/trace';
import { train } from '../../../src/engine/run';
import { equationsFor } from '../../../src/report/equations';
import { expectationRemarks, remarkKey, renderWorked, workedContext, WorkedFormat } from '../../../src/report/worked';
import { latexText } from '../../../src/report/latexText';
import { wireChecks } from '../../../src/extension/panel/checks';
import { ROOT } from '../model/helpers';
import { network } from '../engine/arbitraries';
import { pdflatexProblems } from './pdflatex';

const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((f) => /\.bp\.(ya?ml|json)$/.test(f));

async function cli(...argv: string[]): Promise<string> {
  let out = '';
  const code = await main(argv, { out: (t) => (out += t), err: () => undefined, isTTY: false });
  assert.equal(code, 0, `backprop ${argv.join(' ')} exited ${code}`);
  return out;
}

function analysed(file: string): Analysis & { model: NonNullable<Analysis['model']>; trace: Trace } {
  const fileName = join(ROOT, 'examples', file);
  const a = analyze(readFileSync(fileName, 'utf8'), { fileName });
  assert.ok(a.model && a.trace, `${file} runs`);
  return a as Analysis & { model: NonNullable<Analysis['model']>; trace: Trace };
}

/** What Export Worked Solution writes (src/extension/editor/commands.ts). */
function editorExport(file: string, format: WorkedFormat): string {
  const a = analysed(file);
  return renderWorked(
    a.trace,
    workedContext(a.model, { digits: 6, remarks: expectationRemarks(a.expectations) }),
    format,
  );
}

/** What the panel's Save this step writes (src/extension/panel/tracePanel.ts: its checks' messages). */
function panelExport(file: string, step: number, format: WorkedFormat): string {
  const a = analysed(file);
  const m = a.model;
  const remarks = new Map<string, string[]>();
  for (const c of wireChecks(m, a.expectations)) {
    if (c.ok || c.step !== step) continue;
    const k = remarkKey(c.event);
    remarks.set(k, [...(remarks.get(k) ?? []), ...c.message.split('\n')]);
  }
  return renderWorked(a.trace, workedContext(m, { digits: 6, remarks, steps: [step] }), format);
}

/** The display math of a Markdown export. */
function displayMath(md: string): string[] {
  return Array.from(md.matchAll(/\$\$([\s\S]+?)\$\$/g), (m) => m[1]);
}

function assertKatexStrict(md: string, what: string): void {
  const math = displayMath(md);
  assert.ok(math.length > 0, `${what}: no math`);
  for (const tex of math)
    assert.doesNotThrow(
      () => katex.renderToString(tex, { displayMode: true, strict: 'error', throwOnError: true }),
      `${what}: ${tex.slice(0, 200)}`,
    );
}

describe('exports: LaTeX compiles under pdflatex', function () {
  this.timeout(120_000);
  for (const file of EXAMPLES) {
    it(`backprop trace ${file} --format latex`, async () => {
      assert.deepEqual(pdflatexProblems(await cli('trace', join(ROOT, 'examples', file), '--format', 'latex')), []);
    });
    it(`Export Worked Solution (LaTeX) of ${file}, wrong values remarked`, () => {
      const tex = editorExport(file, 'latex');
      assert.deepEqual(pdflatexProblems(tex), []);
    });
    it(`the panel's step export (LaTeX) of ${file}, last step`, () => {
      const steps = analysed(file).trace.steps.length;
      assert.deepEqual(pdflatexProblems(panelExport(file, steps, 'latex')), []);
    });
  }
  it('the remarks of problem 1 are in the document, in LaTeX (W²′[2][2], −0.94, the tolerance)', () => {
    const tex = editorExport('problem1.bp.yaml', 'latex');
    assert.match(
      tex,
      /\\textbf\{Check:\} expected W\\ensuremath\{\^\{2\}\}'\[2\]\[2\] = -0\.94, computed -0\.44 \(\\textbar\{\}diff\\textbar\{\} 0\.5 \\textgreater\{\} tolerance 1e-6\)/,
    );
  });
  it('every optimizer, L2, every activation, a NaN run and a name with CJK and LaTeX specials', () => {
    const text = [
      'name: "문제 3 — 50% of $x_1$ & {y} #2 ~ ^ \\\\ <a|b> «é»"',
      'input: [[1, -2], [0.5, 3]]',
      'target: [[1, 0, 0], [0, 0, 1]]',
      'layers:',
      ...['sigmoid', 'tanh', 'relu', 'leaky_relu', 'softplus', 'square'].map(
        (act) => `  - W: [[0.5, -0.25], [0.1, 0.2]]\n    b: [0.1, 0]\n    activation: ${act}`,
      ),
      '  - W: [[1, -1], [2, 0.5], [-1, 1]]',
      '    b: [0, 0, 0]',
      '    activation: softmax',
      '    expect: {z: [[9, 9, 9], [9, 9, 9]], sigma_prime: [1, 1, 1]}',
      'loss: cross_entropy',
      'regularization: {l2: 0.01}',
      'steps: 2',
    ].join('\n');
    for (const optimizer of ['{type: sgd, lr: 0.1}', '{type: momentum, lr: 0.1}', '{type: adam, lr: 0.1}']) {
      const a = analyze(`${text}\noptimizer: ${optimizer}\n`, { fileName: 'stress.bp.yaml' });
      assert.ok(a.model && a.trace, JSON.stringify(a.diagnostics));
      const remarks = expectationRemarks(a.expectations);
      assert.ok(remarks.size > 0, 'a remark with σ′, δ and ⊙ in it');
      const ctx = workedContext(a.model, { remarks });
      assert.deepEqual(pdflatexProblems(renderWorked(a.trace, ctx, 'latex')), [], optimizer);
      assertKatexStrict(renderWorked(a.trace, ctx, 'markdown'), optimizer);
    }
    // A run that ends in ∞ and NaN: its last numbers and the "stopped" line are typeset too.
    const diverging = analyze(
      'input: [1e200]\ntarget: [0]\nlayers:\n  - W: [[1e200]]\n    b: [0]\n    activation: identity\nloss: mse\noptimizer: {type: sgd, lr: 0.01}\nsteps: 3\n',
    );
    const ctx = {
      name: 'diverging',
      convention: 'out_in' as const,
      widths: [1, 1],
      activations: ['identity'],
      loss: 'mse',
    };
    assert.deepEqual(pdflatexProblems(renderWorked(diverging.trace!, ctx, 'latex')), []);
  });
});

describe('exports: LaTeX is plain ASCII before it reaches pdflatex', () => {
  it('property: every event of every random network has ASCII-only LaTeX equations', () => {
    fc.assert(
      fc.property(network, (spec) => {
        const t = train(spec);
        for (const e of eventsOfStep(1, spec.layers.length))
          for (const line of equationsFor(t, e).lines)
            assert.match(line.latex, /^[\x20-\x7e]*$/, `${e.kind} ${e.layer}: ${line.latex}`);
      }),
      { numRuns: 100 },
    );
  });
  it('prose: every character a message uses is spelt in LaTeX', () => {
    assert.equal(
      latexText("σ'(z²) = δ ⊙ (W³)ᵀ − 1 ≤ ‖x‖ × ½, m̂ → ∞, β₁ᵗ, 50% & $5_x"),
      "\\ensuremath{\\sigma}'(z\\ensuremath{^{2}}) = \\ensuremath{\\delta} \\ensuremath{\\odot} (W\\ensuremath{^{3}})\\ensuremath{^{\\top}} - 1 \\ensuremath{\\le} \\ensuremath{\\|}x\\ensuremath{\\|} \\ensuremath{\\times} \\ensuremath{\\tfrac{1}{2}}, \\ensuremath{\\hat{m}} \\ensuremath{\\to} \\ensuremath{\\infty}, \\ensuremath{\\beta}\\ensuremath{_{1}}\\ensuremath{^{t}}, 50\\% \\& \\$5\\_x",
    );
    assert.equal(latexText('문제 é'), '[U+BB38][U+C81C] é');
  });
});

describe('exports: Markdown math parses with KaTeX in strict mode', () => {
  for (const file of EXAMPLES) {
    it(`backprop trace ${file} --format markdown, and the editor's export`, async () => {
      assertKatexStrict(await cli('trace', join(ROOT, 'examples', file), '--format', 'markdown'), file);
      assertKatexStrict(editorExport(file, 'markdown'), `${file} (editor)`);
    });
  }
  it("a model's name with $ does not open math in the Markdown", () => {
    const a = analysed('problem1.bp.yaml');
    const md = renderWorked(
      a.trace,
      { name: 'cost in $ and 5*x_1', convention: 'out_in', widths: [2, 3, 2], activations: [], loss: 'half_sse' },
      'markdown',
    );
    assert.match(md, /^# Worked solution: cost in \\\$ and 5\\\*x\\_1$/m);
  });
});
