/**
 * The extension in the browser's web worker extension host, as on vscode.dev and github.dev, in
 * the real workbench (scripts/run-e2e.mjs --web moves it there with the user setting
 * remote.extensionKind): the log says which host it activated in, then what a student does with
 * problem 1 — its diagnostics, a hover with the gradient, stepping in the panel, a long run in the
 * Blob-URL Web Worker cancelled from its notification, and the debugger stopping at a breakpoint.
 * The numbers must equal the Node CLI's JSON for the same file (`backprop trace --format json`)
 * and the notes' worked answers: δ² = (13, −7), ∂L/∂W²[1][2] = δ²[1] · a¹[2] = 13 · 8 = 104,
 * W²′[2] = (2, −0.44, 3.07), z² = W² a¹ + b² = (15, −4). With BACKPROP_DOCS_IMAGES=1 the screenshot
 * of the panel also goes to docs/images/ (the README's "Use it in the browser").
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { matrixValues } from '../../webview/helpers';
import { cliTrace } from '../cli';
import { bigModel } from '../models';
import { plain, useWorkbench, Workbench } from '../workbench';

const DOCS_IMAGES = path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'images');

/** Line 26 of problem1.bp.yaml is layer 2's "  - W: [[1, 2, -3], [2, -1, 3]]"; column 13 is W²[1][2]. */
const LAYER2 = 26;

describe('the web worker extension host', () => {
  const wb = useWorkbench();

  /** Each test stands alone (--grep): problem 1 open and analysed (its squiggles are there). */
  async function problem1(): Promise<void> {
    await wb().openFile('problem1.bp.yaml');
    await wb().editor().locator('.squiggly-error').first().waitFor();
  }

  before(() => {
    fs.writeFileSync(path.join(Workbench.workspace, 'big.bp.yaml'), bigModel());
  });

  after(() => wb().stopDebugging());

  it('activates there, not in the Node one', async () => {
    await wb().openFile('problem1.bp.yaml');
    await wb().runCommand('Backprop: Show Log');
    assert.match(
      await wb().outputContains('activated on VS Code'),
      /Backprop Stepper activated on VS Code [\d.]+, in the web worker extension host/,
    );
    await wb().page.keyboard.press('Control+J'); // hide the panel again
    await wb().page.locator('.part.panel').waitFor({ state: 'hidden' });
  });

  it("diagnostics on problem 1: the notes' wrong values, squiggled and in the Problems view", async () => {
    await problem1();
    await wb().page.keyboard.press('Control+Shift+M');
    await wb().page.locator('.markers-panel .monaco-list-row', { hasText: 'computed -0.44' }).first().waitFor();
    const rows = plain(await wb().page.locator('.markers-panel').innerText());
    assert.match(rows, /expected W²'\[2\]\[2\] = -0\.94, computed -0\.44/);
    assert.match(rows, /expected b²'\[1\] = 1\.99, computed 1\.87/);
    await wb().page.keyboard.press('Control+J');
    await wb().page.locator('.part.panel').waitFor({ state: 'hidden' });
  });

  it('a hover over a weight shows its gradient and where it came from', async () => {
    await problem1();
    const text = await wb().hoverText(LAYER2, 13, /104/);
    assert.match(text, /∂L\/∂w = δ²\[1\] · a¹\[2\]\s+13 · 8\s+104/);
    assert.match(text, /w′ = w − α · ∂L\/∂w\s+2 − 0\.01 · 104\s+0\.96/);
    await wb().page.keyboard.press('Escape');
  });

  it("the trace panel steps through backprop with the keyboard, with the CLI's numbers", async () => {
    const cli = cliTrace(path.join(Workbench.workspace, 'problem1.bp.yaml')).steps[0];
    await problem1();
    await wb().runCommand('Backprop: Open Trace Panel');
    const panel: Frame = await wb().findWebviewFrame('#app[data-event="1:forward:1"]');
    const step = async (event: string) => {
      await wb().page.keyboard.press('ArrowRight');
      await panel.locator(`#app[data-event="${event}"]:not(.loading) .detail .shown h2`).waitFor();
    };
    await panel.locator('#event-title').click(); // keys go to the panel once it has focus
    for (const event of ['1:forward:2', '1:loss:0', '1:backward:2']) await step(event);
    assert.deepEqual(await matrixValues(panel, 'delta2'), cli.layers[1].delta);
    assert.deepEqual(await matrixValues(panel, 'delta2'), [[13, -7]]);
    for (const event of ['1:backward:1', '1:update:1', '1:update:2']) await step(event);
    const W2 = await matrixValues(panel, 'W2_next');
    assert.deepEqual(W2, cli.layers[1].W_next);
    assert.deepEqual(
      W2[1].map((x) => Math.round(x * 100) / 100),
      [2, -0.44, 3.07],
    );
    // The README's picture: the panel beside problem 1, the log below saying which host this is.
    await wb().runCommand('Backprop: Show Log');
    await wb().outputContains('in the web worker extension host');
    const file = await wb().screenshot('web-worker-host');
    if (process.env.BACKPROP_DOCS_IMAGES) {
      fs.mkdirSync(DOCS_IMAGES, { recursive: true });
      fs.copyFileSync(file, path.join(DOCS_IMAGES, 'web-worker-host.png'));
    }
    await wb().page.keyboard.press('Control+J');
    await wb().page.locator('.part.panel').waitFor({ state: 'hidden' });
    await wb().runCommand('View: Close All Editors');
  });

  it('a long run goes to a Web Worker from a Blob URL, with progress, and Cancel stops it', async () => {
    await wb().openFile('big.bp.yaml');
    await wb().editor().locator('.codelens-decoration', { hasText: 'Layer 1:' }).waitFor({ state: 'attached' });
    await wb().runCommand('Backprop: Check Gradients');
    const toast = wb().page.locator('.notification-toast', { hasText: 'Backprop: big.bp.yaml' }).first();
    await toast.locator(':text-matches("gradient check: \\\\d+ of 2000 parameters")').first().waitFor();
    await toast.getByRole('button', { name: 'Cancel' }).click();
    await toast.waitFor({ state: 'hidden' });
    await wb().runCommand('Backprop: Show Log');
    const log = await wb().outputContains('worker run cancelled by the user');
    // (The output view wraps the long blob: URL.)
    assert.match(log, /big\.bp\.yaml: running in a Web Worker \(blob:http:\/\/127\.0\.0\.1:\d+\/\s*[\w-]+\)/);
    assert.match(log, /big\.bp\.yaml: worker run cancelled by the user/);
    // No report was opened: the model file is still the only editor.
    assert.deepEqual(
      (await wb().page.locator('.tabs-container .tab').allInnerTexts()).map((x) => plain(x).trim()),
      ['big.bp.yaml'],
    );
    await wb().page.keyboard.press('Control+J');
    await wb().page.locator('.part.panel').waitFor({ state: 'hidden' });
  });

  it('the debugger stops at a breakpoint beside layer 2 and shows z² = W² a¹ + b²', async () => {
    await problem1();
    await wb().toggleBreakpoint(LAYER2); // beside layer 2's first line
    const top = (name: string) =>
      wb().page.locator('.debug-call-stack .monaco-list-row .stack-frame', { hasText: name }).first().waitFor();
    await wb().page.keyboard.press('F5'); // no launch.json: stops on entry
    await top('forward · layer 1 · step 1');
    await wb().page.keyboard.press('F5');
    await top('forward · layer 2 · step 1');
    await wb().page.locator('.debug-variables .monaco-list-row[aria-label^="z, value [15, -4]"]').first().waitFor();
    await wb().screenshot('web-worker-host-debugger');
    await wb().stopDebugging();
  });
});
