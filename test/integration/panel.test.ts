// The trace panel's commands in a real extension host: they open the panel beside the model file
// and move the shared stepping session through the events in the engine's order.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { closeAllEditors, openFixture, waitFor, waitForDiagnostics } from './helpers';

type Event = { step: number; kind: string; layer: number } | undefined;

function panelTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('backprop.tracePanel'));
}

describe('trace panel commands', () => {
  let uri: vscode.Uri;
  before(async () => {
    const editor = await openFixture('workspace/problem1.bp.yaml');
    uri = editor.document.uri;
  });
  after(closeAllEditors);

  it('Open Trace Panel opens the panel beside the model file', async () => {
    const shown = await vscode.commands.executeCommand<string>('backprop.openPanel', uri);
    assert.equal(shown, uri.toString());
    // The tab model reaches the extension host after the command's answer: wait for the title.
    const titled = () => {
      const t = panelTab();
      return t?.label === 'Trace: problem1.bp.yaml' ? t : undefined;
    };
    const tab = await waitFor(titled, { message: 'the trace panel tab titled Trace: problem1.bp.yaml' });
    assert.notEqual(
      tab.group.viewColumn,
      vscode.window.tabGroups.all.find((g) =>
        g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()),
      )?.viewColumn,
    );
  });

  it('steps forward 1..2, loss, backward 2..1, update 1..2; back; to the end; reset', async () => {
    const step = (cmd: string) => vscode.commands.executeCommand<Event>(cmd, uri);
    await step('backprop.reset');
    const seen: Event[] = [];
    for (let i = 0; i < 6; i++) seen.push(await step('backprop.stepForward'));
    assert.deepEqual(
      seen.map((e) => `${e?.kind}${e?.layer}`),
      ['forward2', 'loss0', 'backward2', 'backward1', 'update1', 'update2'],
    );
    assert.deepEqual(await step('backprop.stepForward'), { step: 1, kind: 'update', layer: 2 }, 'stays at the end');
    assert.deepEqual(await step('backprop.stepBack'), { step: 1, kind: 'update', layer: 1 });
    assert.deepEqual(await step('backprop.reset'), { step: 1, kind: 'forward', layer: 1 });
    assert.deepEqual(await step('backprop.runToEnd'), { step: 1, kind: 'update', layer: 2 });
  });

  it("Step to here (the CodeLens's arguments: a URI string and an event) and Show in panel", async () => {
    const e = await vscode.commands.executeCommand<Event>('backprop.stepTo', uri.toString(), {
      step: 1,
      kind: 'backward',
      layer: 1,
    });
    assert.deepEqual(e, { step: 1, kind: 'backward', layer: 1 });
    assert.equal(
      await vscode.commands.executeCommand<string>('backprop.revealInPanel', uri.toString(), 2),
      uri.toString(),
    );
  });

  it('refuses a malformed event instead of moving', async () => {
    await vscode.commands.executeCommand('backprop.stepTo', uri.toString(), { step: 1, kind: 'loss', layer: 3 });
    assert.deepEqual(
      await vscode.commands.executeCommand<Event>('backprop.stepBack', uri),
      { step: 1, kind: 'backward', layer: 2 },
      'was still at backward 1',
    );
  });

  it('keeps the position while an edit passes through a file that does not run', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.commands.executeCommand('backprop.stepTo', uri.toString(), { step: 1, kind: 'backward', layer: 1 });
    // Delete the 3 of "b: [1, 2, 3]" (b¹ no longer fits layer 1: no trace), then type it back.
    const at = doc.positionAt(doc.getText().indexOf('b: [1, 2, 3]') + 'b: [1, 2, '.length);
    const edit = async (f: (e: vscode.WorkspaceEdit) => void) => {
      const e = new vscode.WorkspaceEdit();
      f(e);
      assert.ok(await vscode.workspace.applyEdit(e));
    };
    const shapeError = (d: readonly vscode.Diagnostic[]) => d.some((x) => /b¹ has 2 entries/.test(x.message));
    await edit((e) => e.delete(uri, new vscode.Range(at, at.translate(0, 1))));
    await waitForDiagnostics(uri, shapeError);
    await edit((e) => e.insert(uri, at, '3'));
    await waitForDiagnostics(uri, (d) => d.length > 0 && !shapeError(d));
    // Stepping back from backward 1 reaches backward 2: the position survived the run without a trace.
    assert.deepEqual(await vscode.commands.executeCommand<Event>('backprop.stepBack', uri), {
      step: 1,
      kind: 'backward',
      layer: 2,
    });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
