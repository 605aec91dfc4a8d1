/**
 * A syntax error mid-edit (issue 11): hovers and CodeLens go on showing the numbers of the file's
 * last version that ran, marked stale, at the places those numbers now sit. Numbers by hand for
 * problem 1 (editor.hovers.test.ts): ∂L/∂W²[1][2] = δ²[1] · a¹[2] = 13 · 8 = 104, w′ = 0.96.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { waitFor, waitForDiagnostics } from './helpers';
import { analysed, closeWithoutSaving, hoverText, openModel, positionOf } from './editorHelpers';

const W2_ROW1 = '  - W: [[1, 2, -3], [2, -1, 3]]';
const TARGET = 'target: [2, 3]';

async function lenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
}

describe('editor: while the file does not run', () => {
  let doc: vscode.TextDocument;
  beforeEach(async () => {
    doc = (await openModel('problem1.bp.yaml')).document;
    await analysed(doc);
  });
  afterEach(closeWithoutSaving);

  /** Deletes the `]` of `target: [2, 3]`, a line above the layers: every later number moves left by one. */
  async function breakTarget(): Promise<void> {
    const at = positionOf(doc, TARGET, TARGET.length - 1);
    const edit = new vscode.WorkspaceEdit();
    edit.delete(doc.uri, new vscode.Range(at, at.translate(0, 1)));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(doc.uri, (d) =>
      d.some((x) => x.severity === vscode.DiagnosticSeverity.Error && x.range.start.line <= at.line + 1),
    );
    await analysed(doc);
  }

  it('hovers show the last numbers that ran, marked not up to date, over the number as it is now', async () => {
    await breakTarget();
    const col = W2_ROW1.indexOf('2,');
    const at = positionOf(doc, W2_ROW1, col);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(md, /⚠ \*\*Not up to date\*\*: the file has an error \(line \d+: /);
    assert.match(md, /∂L\/∂w = δ²\[1\] · a¹\[2\] \| 13 · 8 \| \*\*104\*\* \|/);
    assert.match(md, /2 − 0\.01 · 104 \| \*\*0\.96\*\* \|/);
    // The hover's range is the literal "2" where it is in the edited text.
    const range = hovers.find((h) => h.range)?.range;
    assert.ok(range);
    assert.equal(doc.getText(range), '2');
    assert.deepEqual([range.start.line, range.start.character], [at.line, at.character]);
  });

  it('CodeLens: each layer summarised from the last run, marked, above where the layer is now', async () => {
    await breakTarget();
    const got = await waitFor(
      async () => {
        const l = await lenses(doc);
        return l.some((x) => /not up to date/.test(x.command?.title ?? '')) ? l : undefined;
      },
      { message: 'stale CodeLens' },
    );
    const titles = got.map((l) => l.command?.title ?? '');
    assert.deepEqual(
      titles.filter((t) => t.startsWith('$(warning)')).map((t) => t.replace(/: .*/, '')),
      ['$(warning) Layer 1, not up to date', '$(warning) Layer 2, not up to date'],
    );
    assert.match(titles[0], /2 → 3 identity/);
    assert.ok(!titles.includes('Step to here'), 'nothing to step through while the file does not run');
    const layer2 = got.find((l) => l.command?.title.startsWith('$(warning) Layer 2'))!;
    assert.equal(layer2.range.start.line, positionOf(doc, W2_ROW1).line);
  });

  it('once the file runs again, hovers are up to date', async () => {
    await breakTarget();
    const at = positionOf(doc, 'target: [2, 3', 'target: [2, 3'.length);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, at, ']');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(async () => (await analysed(doc)).analysis.trace, { message: 'a trace again' });
    const md = await hoverText(doc, positionOf(doc, W2_ROW1, W2_ROW1.indexOf('2,')));
    assert.doesNotMatch(md, /Not up to date/);
    assert.match(md, /\*\*104\*\*/);
  });
});
