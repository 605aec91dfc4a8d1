/**
 * Hovers, CodeLens and inlay hints on problem 1, asked for the way the editor asks. Numbers by
 * hand: a¹ = W¹x + b¹ = (0, 8, 1), a² = (15, −4), δ² = a² − t = (13, −7), so
 * ∂L/∂W²[1][2] = δ²[1] · a¹[2] = 13 · 8 = 104 and w′ = 2 − 0.01 · 104 = 0.96; L = ½(13² + 7²) = 109.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { analysed, closeWithoutSaving, deps, hoverText, openModel, positionOf, withSetting } from './editorHelpers';

/** The "2" of layer 2's first row: W²[1][2]. */
const W2_ROW1 = '  - W: [[1, 2, -3], [2, -1, 3]]';

describe('editor: hovers', () => {
  let doc: vscode.TextDocument;
  beforeEach(async () => {
    doc = (await openModel('problem1.bp.yaml')).document;
    await analysed(doc);
  });
  afterEach(closeWithoutSaving);

  it('over a weight: its gradient, the product it came from, and w → w′', async () => {
    const md = await hoverText(doc, positionOf(doc, W2_ROW1, W2_ROW1.indexOf('2,')));
    assert.match(md, /\*\*W²\[1\]\[2\]\*\* = 2 · weight from a¹\[2\] to z²\[1\]/);
    assert.match(md, /∂L\/∂w = δ²\[1\] · a¹\[2\] \| 13 · 8 \| \*\*104\*\* \|/);
    assert.match(md, /w′ = w − α · ∂L\/∂w \| 2 − 0\.01 · 104 \| \*\*0\.96\*\* \|/);
    assert.match(md, /SGD, α = 0\.01/);
  });

  it('over a bias: ∂L/∂b²[2] = δ²[2] = −7, b′ = 1 − 0.01 · (−7) = 1.07', async () => {
    const md = await hoverText(doc, positionOf(doc, 'b: [2, 1]', 'b: [2, '.length));
    assert.match(md, /∂L\/∂b = δ²\[2\] \| {2}\| \*\*-7\*\* \|/);
    assert.match(md, /1 − 0\.01 · \(-7\) \| \*\*1\.07\*\* \|/);
  });

  it('over the W key: the gradient matrix and the updated matrix', async () => {
    const md = await hoverText(doc, positionOf(doc, W2_ROW1, 4));
    assert.match(md, /∂L\/∂W²/);
    assert.match(md, /\| \*\*1\*\* \| 0 \| 104 \| 13 \|/);
    assert.match(md, /\| \*\*2\*\* \| 2 \| -0\.44 \| 3\.07 \|/);
  });

  it('over a layer, its activation and the loss', async () => {
    assert.match(
      await hoverText(doc, positionOf(doc, W2_ROW1, 2)),
      /\*\*Layer 2\*\* · 3 → 2 · `identity`[\s\S]*\| 1 \| 15 \| 15 \| 13 \|/,
    );
    assert.match(
      await hoverText(doc, positionOf(doc, 'activation: identity', 'activation: '.length + 2, 1)),
      /σ′\(z²\)/,
    );
    assert.match(await hoverText(doc, positionOf(doc, 'loss: half_sse', 'loss: '.length + 1)), /L = \*\*109\*\*/);
  });

  it('over an expect value: expected vs computed, wrong or matching', async () => {
    const wrong = await hoverText(doc, positionOf(doc, '-0.94', 1, 1));
    assert.match(wrong, /expected \(yours\) \| -0\.94/);
    assert.match(wrong, /computed \| \*\*-0\.44\*\*/);
    assert.match(wrong, /✗ does not match/);
    const right = await hoverText(doc, positionOf(doc, 'W_next: [[1, 0.96', 'W_next: [[1, 0.9'.length));
    assert.match(right, /✓ matches/);
  });

  it('follows backprop.precision and backprop.numberFormat', async () => {
    await withSetting('numberFormat', 'fixed', () =>
      withSetting('precision', 2, async () => {
        const md = await hoverText(doc, positionOf(doc, W2_ROW1, W2_ROW1.indexOf('2,')));
        assert.match(md, /13\.00 · 8\.00 \| \*\*104\.00\*\*/);
      }),
    );
  });

  it("with several steps, says which step it shows (the session's, step 1 at first)", async () => {
    const result = await vscode.commands.executeCommand<{ steps: number }>('backprop.train', doc.uri, 3);
    assert.equal(result?.steps, 3);
    const md = await hoverText(doc, positionOf(doc, W2_ROW1, W2_ROW1.indexOf('2,')));
    assert.match(md, /step 1 of 3/);
    assert.match(md, /13 · 8 \| \*\*104\*\*/);
    // When the stepping session moves to step 2, the hover shows W at step 2.
    const d = await deps();
    const session = await d.sessions.ensure(doc);
    assert.ok(session);
    session.jumpTo({ step: 2, kind: 'forward', layer: 1 });
    assert.match(
      await hoverText(doc, positionOf(doc, W2_ROW1, W2_ROW1.indexOf('2,'))),
      /= 0\.96 \(at step 2\)[\s\S]*step 2 of 3/,
    );
  });
});

describe('editor: CodeLens and inlay hints', () => {
  afterEach(closeWithoutSaving);

  it('a summary and two actions above each layer', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    await analysed(doc);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const head2 = positionOf(doc, W2_ROW1, 2);
    const layer2 = lenses.filter((l) => l.range.start.line === head2.line);
    // ‖δ²‖ = √(13² + 7²) = 14.7648… (backprop.precision: 6 digits); shares of ‖∇L‖²: layer 2 (14170 + 218) of 28458.
    assert.deepEqual(
      layer2.map((l) => l.command?.title),
      ['Layer 2: 3 → 2 identity · ‖δ²‖ = 14.7648 · 51% of ‖∇L‖²', 'Show in panel', 'Step to here'],
    );
    assert.deepEqual(layer2[1].command?.arguments, [doc.uri.toString(), 2]);
    assert.equal(layer2[1].command?.command, 'backprop.revealInPanel');
    assert.deepEqual(layer2[2].command?.arguments, [doc.uri.toString(), { step: 1, kind: 'forward', layer: 2 }]);
    assert.equal(layer2[2].command?.command, 'backprop.stepTo');
    assert.equal(lenses.length, 6);
    // The lens's arguments are what the panel's command takes: running it moves the stepping session.
    await vscode.commands.executeCommand(layer2[2].command.command, ...(layer2[2].command.arguments ?? []));
    assert.deepEqual((await deps()).sessions.get(doc.uri)?.current, { step: 1, kind: 'forward', layer: 2 });
    await withSetting('codeLens.enabled', false, async () => {
      const none = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      assert.equal(none.length, 0);
    });
  });

  it('after an edit, CodeLens waits for the debounced analysis of the new text (lenses move with the layers)', async () => {
    const editor = await openModel('problem1.bp.yaml');
    const doc = editor.document;
    await analysed(doc);
    await withSetting('diagnostics.debounce', 600, async () => {
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# one more line\n# and another\n'));
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      const heads = [positionOf(doc, '  - W: [[1, -2]', 2).line, positionOf(doc, W2_ROW1, 2).line];
      assert.deepEqual([...new Set(lenses.map((l) => l.range.start.line))], heads);
      assert.equal((await deps()).store.get(doc.uri)?.version, doc.version);
    });
  });

  it('inlay hints (off by default): the gradient beside each weight and bias', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    await analysed(doc);
    const all = new vscode.Range(0, 0, doc.lineCount, 0);
    const label = (h: vscode.InlayHint) =>
      typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
    assert.equal(
      (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, all))
        .length,
      0,
    );
    await withSetting('inlayHints.enabled', true, async () => {
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        doc.uri,
        all,
      );
      assert.equal(hints.length, 6 + 3 + 6 + 2);
      const row = positionOf(doc, W2_ROW1).line;
      assert.deepEqual(hints.filter((h) => h.position.line === row).map(label), [
        '∇0',
        '∇104',
        '∇13',
        '∇0',
        '∇-56',
        '∇-7',
      ]);
      const after104 = hints.find((h) => label(h) === '∇104')!;
      assert.deepEqual(after104.position, positionOf(doc, W2_ROW1, W2_ROW1.indexOf('2,') + 1));
    });
  });
});
