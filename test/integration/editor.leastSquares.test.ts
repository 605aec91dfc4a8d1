/**
 * A linear regression in the real editor (lecture note 000): each weight's and bias's hover gives
 * its closed-form least-squares value, and a rank-deficient input is a warning at `input:`.
 * Numbers by hand: on x = 1..4, y = 2, 3, 5, 4, slope Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = 4/5 and intercept
 * ȳ − slope·x̄ = 3.5 − 2 = 1.5; gradient descent starts at w = 0, b = 0.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { analysed, closeWithoutSaving, hoverText, openModel, positionOf } from './editorHelpers';
import { waitForDiagnostics } from './helpers';
import { DEPENDENT_COLUMNS, lineFit } from '../fixtures/leastSquaresModels';

const FIT = lineFit();

const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

describe('editor: least squares beside gradient descent', () => {
  afterEach(closeWithoutSaving);

  it("a weight's and a bias's hover give their closed-form values", async () => {
    const { document: doc } = await openModel('line.bp.yaml', FIT);
    await analysed(doc);
    const w = await hoverText(doc, positionOf(doc, '  - W: [[0]]', '  - W: [['.length));
    assert.match(w, /\*\*W¹\[1\]\[1\]\*\* = 0 · weight/);
    assert.match(
      w,
      /Least squares \(closed form, β̂ = \(XᵀX\)⁻¹Xᵀy\): \*\*w\\\* = 0\.8\*\*; this step's value is -0\.8 from it/,
    );
    const b = await hoverText(doc, positionOf(doc, '    b: [0]', '    b: ['.length));
    assert.match(b, /\*\*b\\\* = 1\.5\*\*; this step's value is -1\.5 from it/);
  });

  it('Export Worked Solution (Markdown) starts with the least-squares section', async () => {
    const { document: doc } = await openModel('line.bp.yaml', FIT);
    await analysed(doc);
    const md = await vscode.commands.executeCommand<vscode.TextDocument>(
      'backprop.exportWorkedSolution',
      doc.uri,
      'markdown',
    );
    assert.ok(md);
    assert.match(
      md.getText(),
      /## Least squares \(closed form\)\n\n[\s\S]*\$\$b\^\{\*\} = \\begin\{pmatrix\} 1\.5 \\end\{pmatrix\}\$\$/,
    );
    assert.match(md.getText(), /## Step 1: loss [\d.]+, ‖θ − θ\*‖ = 1\.7\n/); // √(0.8² + 1.5²) = 1.7
  });

  it('a rank-deficient input (x₂ = 2x₁ + 1) is a warning at input:', async () => {
    const { document: doc } = await openModel('dependent.bp.yaml', DEPENDENT_COLUMNS);
    const ds = await waitForDiagnostics(doc.uri, (d) => d.some((x) => code(x) === 'least-squares-singular'));
    const d = ds.find((x) => code(x) === 'least-squares-singular')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.line, 1);
    assert.match(doc.getText(d.range), /^- \[0, 1\]\n {2}- \[1, 3\]/);
    assert.match(d.message, /XᵀX is singular — X = \[1 \| input\] has rank 2 < 3 columns/);
  });
});
