/**
 * The trace panel in the real workbench, driven like a user: open problem 1, open the panel from
 * the command palette, step with the keyboard through forward, loss, backward and update, and read
 * z, a, δ, L and the updated weights from the webview. They must equal the CLI's JSON for the same
 * file (`backprop trace --format json`), an independent view of the same engine run. With
 * BACKPROP_DOCS_IMAGES=1 the screenshot also goes to docs/images/ (the README's).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { matrixValues } from '../webview/helpers';
import { cliTrace } from './cli';
import { useWorkbench, Workbench } from './workbench';

const REPO = path.resolve(__dirname, '..', '..', '..');
const DOCS_IMAGES = path.join(REPO, 'docs', 'images');

function same(actual: number[][], expected: number[][], what: string): void {
  assert.deepEqual(
    actual.map((r) => r.length),
    expected.map((r) => r.length),
    `${what}: shape`,
  );
  expected.forEach((row, i) =>
    row.forEach((x, j) =>
      assert.ok(
        Math.abs(actual[i][j] - x) <= 1e-12 * Math.max(1, Math.abs(x)),
        `${what}[${i}][${j}] = ${actual[i][j]}, CLI ${x}`,
      ),
    ),
  );
}

describe('trace panel in the workbench', () => {
  const wb = useWorkbench();
  let panel: Frame;

  /** Presses a key in the panel and waits for the event it should show. */
  async function step(key: string, event: string): Promise<void> {
    await wb().page.keyboard.press(key);
    await panel.locator(`#app[data-event="${event}"]:not(.loading) .detail .shown h2`).waitFor();
  }

  before(async () => {
    await wb().openFile('problem1.bp.yaml');
    await wb().editor().locator('.squiggly-error').first().waitFor();
  });

  it('opens from the command palette beside the editor', async () => {
    await wb().runCommand('Backprop: Open Trace Panel');
    panel = await wb().findWebviewFrame('#app[data-event="1:forward:1"]');
    assert.equal(await panel.locator('header h1').innerText(), 'worked problem 1');
    await wb().page.locator('.tabs-container .tab', { hasText: 'Trace: problem1.bp.yaml' }).waitFor();
  });

  it("steps with the keyboard; z, a, δ, L and W', b' equal the CLI's JSON for the same file", async () => {
    const cli = cliTrace(path.join(Workbench.workspace, 'problem1.bp.yaml')).steps[0];
    // Keys go to the webview once it has focus, as after a click in it.
    await panel.locator('#event-title').click();
    for (const l of [1, 2]) {
      if (l > 1) await step('ArrowRight', `1:forward:${l}`);
      same(await matrixValues(panel, `z${l}`), cli.layers[l - 1].z, `z${l}`);
      same(await matrixValues(panel, `a${l}`), cli.layers[l - 1].a, `a${l}`);
    }
    await step('ArrowRight', '1:loss:0');
    same(await matrixValues(panel, 'L'), [[cli.loss]], 'L');
    for (const l of [2, 1]) {
      await step('ArrowRight', `1:backward:${l}`);
      same(await matrixValues(panel, `delta${l}`), cli.layers[l - 1].delta, `δ${l}`);
    }
    for (const l of [1, 2]) {
      await step('ArrowRight', `1:update:${l}`);
      // problem 1 is out_in: the CLI writes W as the file does, out × in, as the panel's engine coordinates.
      same(await matrixValues(panel, `W${l}_next`), cli.layers[l - 1].W_next, `W${l}'`);
      same(await matrixValues(panel, `b${l}_next`), [cli.layers[l - 1].b_next], `b${l}'`);
    }
    // And the notes' numbers, as a sanity check of the comparison itself.
    assert.deepEqual(
      (await matrixValues(panel, 'W2_next'))[1].map((x) => Math.round(x * 100) / 100),
      [2, -0.44, 3.07],
    );
    await step('Home', '1:forward:1');
    await step('End', '1:update:2');
    const file = await wb().screenshot('trace-panel');
    if (process.env.BACKPROP_DOCS_IMAGES) {
      fs.mkdirSync(DOCS_IMAGES, { recursive: true });
      fs.copyFileSync(file, path.join(DOCS_IMAGES, 'panel-vscode.png'));
    }
  });

  it("selects the layer the editor's cursor moves into", async () => {
    // The cursor moves to layer 2's "- W: [[1, 2, -3], [2, -1, 3]]" (line 26), then to layer 1's "b: [1, 2, 3]"
    // (line 16), by Go to Line: a click on a text line can land on sticky scroll's copy of a layer's head.
    const selected = () =>
      panel.locator('.column.selected').evaluateAll((cols) => cols.map((c) => (c as HTMLElement).dataset.layer));
    await wb().goTo(26, 5);
    await panel.locator('.column.selected[data-layer="2"]').waitFor();
    assert.deepEqual(await selected(), ['2'], 'layer 2 alone');
    await wb().goTo(16, 5);
    await panel.locator('.column.selected[data-layer="1"]').waitFor();
    assert.deepEqual(await selected(), ['1'], 'layer 1 alone');
  });

  it("clicking a weight in the panel puts the editor's cursor on it", async () => {
    await panel.locator('.shown figure[data-name="W2"] .cell[data-r="1"][data-c="1"]').first().click();
    // W²[2][2] = -1 is on line 26, "  - W: [[1, 2, -3], [2, -1, 3]]": the line becomes the
    // editor's current one, with the number selected (focus stays in the panel, for stepping on).
    await wb().editor().locator('.line-numbers.active-line-number', { hasText: /^26$/ }).waitFor();
    assert.equal((await wb().editor().locator('.selected-text').count()) > 0, true);
  });

  it('editing the file re-runs it, and the panel stays at the same event with the new numbers', async () => {
    await panel.locator('#event-title').click();
    await step('ArrowLeft', '1:update:1');
    // b¹ = (1, 2, 3) → (1, 2, 4). By hand: a¹ = (0, 8, 2), z² = (12, −1), δ² = (10, −4),
    // δ¹ = (W²)ᵀδ² = (2, 24, −42), so b¹' = b¹ − 0.01 δ¹ = (0.98, 1.76, 4.42).
    await wb().goTo(16, 5); // "    b: [1, 2, 3]"
    // Select the 3 and type over it: one edit, so one Undo takes it back.
    await wb().page.keyboard.press('End');
    await wb().page.keyboard.press('ArrowLeft');
    await wb().page.keyboard.press('Shift+ArrowLeft');
    await wb().page.keyboard.type('4');
    const b1 = async () => (await matrixValues(panel, 'b1_next'))[0].map((x) => Math.round(x * 1e9) / 1e9);
    await panel.locator('.shown figure[data-name="b1_next"] .cell[data-value="4.42"]').waitFor();
    assert.equal(await panel.locator('#app').getAttribute('data-event'), '1:update:1');
    assert.deepEqual(await b1(), [0.98, 1.76, 4.42]);
    // Undo: the numbers of the file as written come back, still at the same event.
    await wb().page.keyboard.press('Control+Z');
    await panel.locator('.shown figure[data-name="b1_next"] .cell[data-value="3.6"]').waitFor();
    assert.deepEqual(await b1(), [1.01, 1.67, 3.6]);
    assert.equal(await panel.locator('#app').getAttribute('data-event'), '1:update:1');
  });

  it('a syntax error keeps the last trace, marked not up to date, each error a link to it in the editor', async () => {
    await panel.locator('#event-title').click();
    await step('ArrowRight', '1:update:2');
    const before = await matrixValues(panel, 'W2_next');
    // Delete the "]" of "target: [2, 3]" (line 13): the file no longer parses.
    await wb()
      .editor()
      .locator('.view-line', { hasText: 'target: [2, 3]' })
      .click({ position: { x: 40, y: 5 } });
    await wb().page.keyboard.press('End');
    await wb().page.keyboard.press('Backspace');
    const link = panel.locator('#stale:not([hidden]) li button.link').first();
    await link.waitFor();
    assert.equal(await panel.locator('#app').getAttribute('data-event'), '1:update:2', 'still at the same event');
    assert.deepEqual(await matrixValues(panel, 'W2_next'), before, 'with the numbers of the last run');
    assert.match(
      await panel.locator('#stale h2').innerText(),
      /Not up to date: problem1\.bp\.yaml has (an error|\d+ errors)/,
    );
    const file = await wb().screenshot('stale-banner-workbench');
    if (process.env.BACKPROP_DOCS_IMAGES) fs.copyFileSync(file, path.join(DOCS_IMAGES, 'stale-vscode.png'));
    // The link names the error's place; following it puts the editor's cursor on that line.
    const [, line] = /^Line (\d+), column \d+$/.exec(await link.innerText()) ?? [];
    assert.ok(line, 'the link names a line');
    await wb()
      .editor()
      .locator('.view-line', { hasText: 'loss: half_sse' })
      .click({ position: { x: 40, y: 5 } });
    await link.click();
    await wb()
      .editor()
      .locator('.line-numbers.active-line-number', { hasText: new RegExp(`^${line}$`) })
      .waitFor();
    // Undo the deletion: the panel is up to date again.
    await wb().page.keyboard.press('Control+Z');
    await panel.locator('#app:not(.stale)').waitFor();
    assert.equal(await panel.locator('#stale').isVisible(), false);
    await panel.locator('#event-title').click();
    await step('ArrowLeft', '1:update:1');
  });

  it('comes back after a window reload, at the same event', async () => {
    await panel.locator('#event-title').click();
    await step('ArrowLeft', '1:backward:1');
    await wb().runCommand('Developer: Reload Window');
    await wb().page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    panel = await wb().findWebviewFrame('#app[data-event="1:backward:1"]', 60_000);
    assert.equal(await panel.locator('header h1').innerText(), 'worked problem 1');
  });
});
