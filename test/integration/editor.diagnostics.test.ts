/**
 * Diagnostics and quick fixes on real model files, in the real extension host. Expected ranges
 * are found in the text itself; expected numbers are worked by hand (problem 1: W²′[2][2] =
 * −1 − 0.01 · (−56) = −0.44, b²′ = (2, 1) − 0.01 · (13, −7) = (1.87, 1.07)).
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { extension, readText, waitFor, waitForDiagnostics } from './helpers';
import { closeWithoutSaving, hoverText, openModel, quickFixes, rangeOf } from './editorHelpers';

/** A diagnostic's code as text (VS Code allows a string, a number or a link with a value). */
function codeOf(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

function summary(d: readonly vscode.Diagnostic[]): string[] {
  return d.map(
    (x) =>
      `${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character} ${codeOf(x)} ${x.message}`,
  );
}

describe('editor: diagnostics', () => {
  afterEach(closeWithoutSaving);

  it('problem 1: each wrong hand-derived value is an error on that very number, with the computed value', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const diags = await waitForDiagnostics(doc.uri, (d) => d.length >= 4);
    const wNext2 = doc.getText().indexOf('W_next: [[1, 0.96, -3.13], [2, -0.94, 3.07]]');
    const bNext2 = doc.getText().indexOf('b_next: [1.99, 1.01]');
    const at = (offset: number, text: string) => {
      const start = doc.positionAt(doc.getText().indexOf(text, offset));
      return `${start.line}:${start.character}-${start.line}:${start.character + text.length}`;
    };
    const b1 = rangeOf(doc, '[1.99, 3.6]');
    assert.deepEqual(summary(diags), [
      `${b1.start.line}:${b1.start.character}-${b1.end.line}:${b1.end.character} expect-shape b¹' has 3 entries, you wrote 2; computed (1.01, 1.67, 3.6)`,
      `${at(wNext2, '-0.94')} expect-mismatch expected W²'[2][2] = -0.94, computed -0.44 (|diff| 0.5 > tolerance 1e-6)`,
      `${at(bNext2, '1.99')} expect-mismatch expected b²'[1] = 1.99, computed 1.87 (|diff| 0.12 > tolerance 1.9e-6)`,
      `${at(bNext2, '1.01')} expect-mismatch expected b²'[2] = 1.01, computed 1.07 (|diff| 0.06 > tolerance 1.1e-6)`,
    ]);
    for (const d of diags) {
      assert.equal(d.source, 'backprop');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    }
  });

  it('values that match are not in the Problems view', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const diags = await waitForDiagnostics(doc.uri, (d) => d.length >= 4);
    assert.ok(!diags.some((d) => d.code === 'expect-match' || /matches/.test(d.message)), summary(diags).join('\n'));
  });

  it('a shape error: W² written transposed, at the matrix, saying what was expected', async () => {
    const { document: doc } = await openModel('shape.bp.yaml');
    const diags = await waitForDiagnostics(doc.uri);
    const r = rangeOf(doc, '[[1, 2], [2, -1], [-3, 3]]');
    assert.deepEqual(summary(diags), [
      `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} shape W² is 3×2 but layer 2 needs 2×3 (n_2 × n_1, convention out_in): 2 rows of 3 numbers — it looks transposed`,
    ]);
  });

  it('a NaN: where it first appeared, as an error at the layer', async () => {
    const { document: doc } = await openModel('nan.bp.yaml');
    const diags = await waitForDiagnostics(doc.uri);
    const r = rangeOf(doc, '- W: [[10, -10]]');
    assert.deepEqual(summary(diags), [
      `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} non-finite z¹ became NaN at step 1 (layer 1, unit 1)`,
    ]);
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
  });

  it('follows typing: fixing a value removes its error, breaking the YAML adds one', async () => {
    const editor = await openModel('problem1.bp.yaml');
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (d) => d.length === 4);
    const wrong = rangeOf(doc, '-0.94', 1); // the first -0.94 is in the header comment
    await editor.edit((b) => b.replace(wrong, '-0.44'));
    const after = await waitForDiagnostics(doc.uri, (d) => d.length === 3);
    assert.ok(!after.some((d) => /W²'\[2\]\[2\]/.test(d.message)));
    await editor.edit((b) => b.insert(rangeOf(doc, 'loss: half_sse').start, 'loss: [\n'));
    const broken = await waitForDiagnostics(doc.uri, (d) =>
      d.some((x) => x.severity === vscode.DiagnosticSeverity.Error && !codeOf(x).startsWith('expect')),
    );
    assert.ok(broken.every((d) => d.source === 'backprop'));
  });
});

describe('editor: quick fixes', () => {
  afterEach(closeWithoutSaving);

  it('replaces a wrong expected value with the computed one (one undoable edit)', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const listed = await waitForDiagnostics(doc.uri, (d) => d.length === 4);
    const range = rangeOf(doc, '-0.94', 1);
    const actions = await quickFixes(doc, range);
    const fix = actions.find((a) => a.title === 'Replace with the computed value -0.44');
    assert.ok(fix?.edit, `no fix among ${actions.map((a) => a.title).join(', ')}`);
    // "Replace all N": N is the number of wrong values the Problems view lists (issue 11: it said 3 with 4 listed).
    assert.ok(
      actions.some((a) => a.title === `Replace all ${listed.length} wrong expected values with the computed ones`),
      actions.map((a) => a.title).join(', '),
    );
    const before = doc.getText();
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(
      doc.getText(),
      before.slice(0, doc.offsetAt(range.start)) + '-0.44' + before.slice(doc.offsetAt(range.end)),
    );
    await waitForDiagnostics(doc.uri, (d) => d.length === 3);
  });

  it('"replace all" fixes every wrong value at once', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    await waitForDiagnostics(doc.uri, (d) => d.length === 4);
    const all = (await quickFixes(doc, rangeOf(doc, '-0.94', 1))).find((a) => a.title.startsWith('Replace all'));
    assert.ok(all?.edit);
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    assert.match(doc.getText(), /W_next: \[\[1, 0\.96, -3\.13\], \[2, -0\.44, 3\.07\]\]/);
    assert.match(doc.getText(), /b_next: \[1\.87, 1\.07\]/);
    // The shape error too: b¹' written with two numbers gets the three computed ones.
    assert.match(doc.getText(), /b_next: \[1\.01, 1\.67, 3\.6\] {8}# slip/);
    await waitForDiagnostics(doc.uri, (d) => d.length === 0);
  });

  it('arithmetic as the notes write it: the message, the hover and the fix keep its form (problem 3)', async () => {
    // ∂L/∂W³ written (2/3)·1252 where 38·25 + 11·2 + 20·16 = 1292: the fix is (2/3)*1292, not 861.333….
    const text = await readText(vscode.Uri.joinPath(extension().extensionUri, 'examples', 'problem3-batch.bp.yaml'));
    const { document: doc } = await openModel('problem3-batch.bp.yaml', text);
    const diags = await waitForDiagnostics(doc.uri, (d) => d.length === 5);
    const range = rangeOf(doc, '(2/3)*1252');
    const d = diags.find((x) => x.range.isEqual(range));
    assert.ok(d, summary(diags).join('\n'));
    // Both values to backprop.precision's 6 digits, as every message writes them.
    assert.match(d.message, /^expected ∂L\/∂W³\[1\] = \(2\/3\)·1252 = 834\.667, computed \(2\/3\)·1292 = 861\.333 /);
    const hover = await hoverText(doc, range.start.translate(0, 2));
    assert.match(hover, /expected \(yours\) \| \(2\/3\)·1252 = 834\.667/);
    assert.match(hover, /computed \| \*\*\(2\/3\)·1292 = 861\.333\*\*/);
    const fix = (await quickFixes(doc, range)).find((a) => a.title === 'Replace with the computed value (2/3)*1292');
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /dW: \[\(2\/3\)\*1292, \(2\/3\)\*655\]/);
    await waitForDiagnostics(doc.uri, (x) => x.length === 4);
  });

  it('transposes a W written the other way round', async () => {
    const { document: doc } = await openModel('shape.bp.yaml');
    const [d] = await waitForDiagnostics(doc.uri);
    const fix = (await quickFixes(doc, d.range)).find((a) => a.title.startsWith('Transpose'));
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), / {2}- W: \[\[1, 2, -3\], \[2, -1, 3\]\]\n/);
    await waitForDiagnostics(doc.uri, (x) => x.length === 0);
  });

  it('adds a missing b with zeros, indented like its layer', async () => {
    const { document: doc } = await openModel('nobias.bp.yaml');
    const [d] = await waitForDiagnostics(doc.uri);
    assert.equal(d.code, 'missing-bias');
    const fix = (await quickFixes(doc, d.range)).find((a) => a.title.startsWith('Add b'));
    assert.ok(fix?.edit, 'no Add b fix');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), / {2}- W: \[\[0\.5, -0\.5\]\]\n {4}b: \[0\]\n {4}activation: sigmoid\n/);
    await waitForDiagnostics(doc.uri, (x) => x.length === 0);
  });
});

describe('editor: the model schema (jsonValidation)', () => {
  afterEach(closeWithoutSaving);

  it('*.bp.json files get completion of activations from the contributed schema', async () => {
    const text =
      '{\n  "input": [1, 1],\n  "target": [1],\n  "layers": [{"W": [[1, 1]], "b": [0], "activation": "sig"}],\n  "loss": "half_sse"\n}\n';
    const { document: doc } = await openModel('schema.bp.json', text);
    const at = doc.positionAt(text.indexOf('"sig"') + 2);
    const labels = await waitFor(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          doc.uri,
          at,
        );
        const l = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        return l.some((x) => x.includes('sigmoid')) ? l : undefined;
      },
      { message: 'schema completions for activation', timeout: 20_000 },
    );
    for (const a of ['"identity"', '"sigmoid"', '"softmax"'])
      assert.ok(labels.includes(a), `${a} not in ${labels.join(', ')}`);
  });
});
