/**
 * One edit, many wrong values (issue 11), in the real extension host: typing over W²[1][2] turns
 * 27 of problem 1's hand-derived values wrong (test/unit/analysis/rootCause.test.ts derives them by
 * hand); the Problems view says so once, at the 3 typed, pointing at each. After Apply Updated
 * Weights the values written for the old weights are recomputed, or kept by tracing one step more.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { waitForDiagnostics } from './helpers';
import { analysed, closeWithoutSaving, openModel, positionOf, quickFixes, rangeOf } from './editorHelpers';

const W2 = '  - W: [[1, 2, -3], [2, -1, 3]]';

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
/** What the Problems view lists: hints stay in the editor. */
const listed = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.severity !== vscode.DiagnosticSeverity.Hint);
const root = (d: readonly vscode.Diagnostic[]) => d.find((x) => codeOf(x) === 'expect-changed-parameter');

interface ApplyResult {
  readonly applied: boolean;
  readonly edits: number;
  readonly outdated: number;
  readonly followUp?: string;
}

describe('editor: one edit, many wrong values', () => {
  afterEach(closeWithoutSaving);

  async function typeOverW2(doc: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    await waitForDiagnostics(doc.uri, (d) => d.length === 4);
    const two = positionOf(doc, W2, W2.indexOf('2,'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(two, two.translate(0, 1)), '3');
    assert.ok(await vscode.workspace.applyEdit(edit));
    return waitForDiagnostics(doc.uri, (d) => !!root(d));
  }

  it('W²[1][2] 2 → 3: one error at the 3, related information at each of the 27 values; they become hints', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const diags = await typeOverW2(doc);
    const r = root(diags)!;
    assert.equal(r.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(r.range), '3');
    assert.equal(
      r.message,
      'These 27 hand-derived values depend on W²[1][2], which you changed (2 → 3): they matched before. Recompute them, or put the old value back.',
    );
    assert.equal(r.relatedInformation?.length, 27);
    const z2 = rangeOf(doc, 'z: [15, -4]');
    assert.ok(
      r.relatedInformation.some(
        (x) => x.location.range.start.line === z2.start.line && /expected z²\[1\] = 15, computed 23/.test(x.message),
      ),
      'z²[1]: 1·0 + 3·8 − 3·1 + 2 = 23',
    );
    // Problems: the root and the notes' four slips, not 31 errors.
    assert.deepEqual(
      listed(diags).map(codeOf).sort(),
      ['expect-changed-parameter', 'expect-mismatch', 'expect-mismatch', 'expect-mismatch', 'expect-shape'].sort(),
    );
    assert.equal(diags.filter((x) => x.severity === vscode.DiagnosticSeverity.Hint).length, 27);
  });

  it('at the root: "Put W²[1][2] back to 2" restores the file and its four errors; "Recompute" rewrites the 27', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const original = doc.getText();
    const diags = await typeOverW2(doc);
    const fixes = await quickFixes(doc, root(diags)!.range);
    const titles = fixes.map((f) => f.title);
    assert.ok(titles.includes('Recompute the 27 values that depend on it'), titles.join(', '));
    const back = fixes.find((f) => f.title === 'Put W²[1][2] back to 2');
    assert.ok(back?.edit, titles.join(', '));
    assert.ok(await vscode.workspace.applyEdit(back.edit));
    assert.equal(doc.getText(), original);
    await waitForDiagnostics(doc.uri, (d) => d.length === 4 && !root(d));

    const again = await typeOverW2(doc);
    const recompute = (await quickFixes(doc, root(again)!.range)).find((f) => f.title.startsWith('Recompute'));
    assert.ok(recompute?.edit);
    assert.ok(await vscode.workspace.applyEdit(recompute.edit));
    // By hand (W²[1][2] = 3): z² = (23, −4), L = ½(21² + 7²) = 245, δ¹ = (7, 70, −84).
    assert.match(doc.getText(), /z: \[23, -4\]/);
    assert.match(doc.getText(), /delta: \[7, 70, -84\]/);
    assert.match(doc.getText(), /loss: 245 /);
    // Left: the notes' four slips, errors again.
    const left = await waitForDiagnostics(
      doc.uri,
      (d) => !root(d) && d.every((x) => x.severity === vscode.DiagnosticSeverity.Error),
    );
    assert.equal(left.length, 4);
  });

  it('Apply Updated Weights, then "Recompute Them": every expect value is the new step 1', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    await waitForDiagnostics(doc.uri, (d) => d.length === 4);
    const r = await vscode.commands.executeCommand<ApplyResult>('backprop.applyUpdatedWeights', doc.uri, 'recompute');
    assert.ok(r?.applied);
    assert.equal(r.followUp, 'recompute');
    assert.ok(r.outdated > 27, `${r.outdated} values were right for the old weights`);
    // W¹' and b¹' of the notes are now W¹ and b¹: a¹ = W¹x + b¹ = (1.01 − 1.99 + 1.01, 1.67 + 3.67 + 1.67, −2.4 + 1.6 + 3.6).
    assert.match(doc.getText(), /\n {6}z: \[0\.03, 7\.01, 2\.8\]\n/);
    await waitForDiagnostics(doc.uri, (d) => d.length === 0);
    const a = await analysed(doc);
    assert.ok(a.analysis.expectations.every((x) => x.ok));
  });

  it('Apply Updated Weights, then "Keep Them": the old weights back, traced to step 2; the values right at step 1 again', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const original = doc.getText();
    await waitForDiagnostics(doc.uri, (d) => d.length === 4);
    const r = await vscode.commands.executeCommand<ApplyResult>('backprop.applyUpdatedWeights', doc.uri, 'nextStep');
    assert.equal(r?.followUp, 'nextStep');
    assert.equal(doc.getText(), original.replace(/\nsteps: 1\n/, '\nsteps: 2\n'));
    await waitForDiagnostics(doc.uri, (d) => d.length === 4 && !root(d));
    const a = await analysed(doc);
    assert.equal(a.analysis.trace?.steps.length, 2);
    // Step 2 starts from the weights Apply wrote: W²'[1][2] = 0.96.
    assert.equal(a.analysis.trace?.steps.get(2).update[1].W.data[1], 0.96);
  });
});
