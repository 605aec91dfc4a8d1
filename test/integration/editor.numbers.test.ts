/**
 * One rule for numbers (issue 11): with backprop.precision = 3, every view of the editor writes the
 * same value the same way — the Problems view, hovers, CodeLens, inlay hints, the notification of
 * Train N Steps and the exported worked solution. Problem 3 of the notes (examples/problem3-batch):
 * δ³ = (2/3)(38, −11, 20) = (25.333…, −7.333…, 13.333…); ∂L/∂W³[1] = (2/3)·1292 = 861.333…, the
 * notes wrote (2/3)·1252 = 834.666…; ‖δ³‖ = (2/3)·√(38² + 11² + 20²) = (2/3)·√1965 = 29.552…
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { extension, readText, waitFor, waitForDiagnostics } from './helpers';
import { analysed, closeWithoutSaving, hoverText, openModel, positionOf, withSetting } from './editorHelpers';

const W3 = '  - W: [[1, 1]]';

describe('editor: one rule for numbers', () => {
  afterEach(closeWithoutSaving);

  it('backprop.precision = 3: Problems, hovers, CodeLens, inlay hints, notifications and exports agree', async () => {
    const text = await readText(vscode.Uri.joinPath(extension().extensionUri, 'examples', 'problem3-batch.bp.yaml'));
    const { document: doc } = await openModel('problem3-batch.bp.yaml', text);
    await analysed(doc);
    await withSetting('precision', 3, () =>
      withSetting('inlayHints.enabled', true, async () => {
        // Problems: the notes' slip in ∂L/∂W³, as they wrote it, both numbers to 3 digits.
        const diags = await waitForDiagnostics(doc.uri, (d) =>
          d.some((x) => /∂L\/∂W³\[1\] = \(2\/3\)·1252 = 835,/.test(x.message)),
        );
        assert.ok(
          diags.some((x) =>
            /^expected ∂L\/∂W³\[1\] = \(2\/3\)·1252 = 835, computed \(2\/3\)·1292 = 861 \(\|diff\| 26\.7 > tolerance /.test(
              x.message,
            ),
          ),
          diags.map((x) => x.message).join('\n'),
        );
        // Hover over W³[1][1]: ∂L/∂w = Σ over the batch = 861.
        const hover = await hoverText(doc, positionOf(doc, W3, W3.indexOf('1')));
        assert.match(hover, /\| \*\*861\*\* \|/);
        assert.doesNotMatch(hover, /861\.3/);
        // CodeLens: ‖δ³‖ = 29.6.
        const lenses = await waitFor(
          async () => {
            const l = await vscode.commands.executeCommand<vscode.CodeLens[]>(
              'vscode.executeCodeLensProvider',
              doc.uri,
            );
            return l.some((x) => /‖δ³‖ = 29\.6 /.test(x.command?.title ?? '')) ? l : undefined;
          },
          { message: 'CodeLens with ‖δ³‖ = 29.6' },
        );
        assert.ok(lenses.length > 0);
        // Inlay hint beside W³[1][1].
        const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
          'vscode.executeInlayHintProvider',
          doc.uri,
          new vscode.Range(0, 0, doc.lineCount, 0),
        );
        const label = (h: vscode.InlayHint) =>
          typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
        assert.ok(hints.map(label).includes('∇861'), hints.map(label).join(' '));
        // The export: δ³ = (25.3, −7.33, 13.3) in its LaTeX.
        const md = await vscode.commands.executeCommand<vscode.TextDocument>(
          'backprop.exportWorkedSolution',
          doc.uri,
          'markdown',
        );
        assert.match(md.getText(), /\\begin\{pmatrix\} 25\.3 & -7\.33 & 13\.3 \\end\{pmatrix\}\$\$/);
        assert.doesNotMatch(md.getText(), /25\.333/);
        // The notification of Train N Steps: L = (38² + 11² + 20²)/3 = 655 at step 1, then 3 digits.
        const train = await vscode.commands.executeCommand<{ message: string }>('backprop.train', doc.uri, 2);
        const m = /loss 655 → (\S+)\.$/.exec(train.message);
        assert.ok(m, train.message);
        assert.ok(m[1].replace(/^-|\./g, '').replace(/^0+/, '').length <= 3, `${m[1]}: more than 3 digits`);
      }),
    );
  });
});
