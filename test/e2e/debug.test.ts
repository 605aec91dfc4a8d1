/**
 * The debugger in the real workbench, as a user drives it: click the gutter beside layer 2 to set
 * a breakpoint, press F5 (no launch.json), read δ² in the Variables view — it must equal the CLI's
 * JSON for the same file (`backprop trace --format json`) — step with F10 and Shift+F11, step
 * back from the debug toolbar, and hover a weight while stopped. With BACKPROP_DOCS_IMAGES=1 the
 * screenshots also go to docs/images/ (the README's).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { plain, useWorkbench, Workbench } from './workbench';

const REPO = path.resolve(__dirname, '..', '..', '..');
const DOCS_IMAGES = path.join(REPO, 'docs', 'images');

/** Line 26 of problem1.bp.yaml is layer 2's "  - W: [[1, 2, -3], [2, -1, 3]]". */
const LAYER2 = 26;

function cliDelta(file: string, layer: number): number[][] {
  const json = JSON.parse(
    execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'trace', file, '--format', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as { steps: { layers: { delta: number[][] }[] }[] };
  return json.steps[0].layers[layer - 1].delta;
}

/** A screenshot of the region around `parts` for the README, when asked for. */
async function docsShot(wb: Workbench, name: string, parts: Locator[]): Promise<void> {
  await wb.screenshot(name);
  if (!process.env.BACKPROP_DOCS_IMAGES) return;
  const boxes = (await Promise.all(parts.map((p) => p.boundingBox()))).filter((b): b is NonNullable<typeof b> => !!b);
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x))),
    y = Math.max(0, Math.min(...boxes.map((b) => b.y)));
  const right = Math.max(...boxes.map((b) => b.x + b.width)),
    bottom = Math.max(...boxes.map((b) => b.y + b.height));
  fs.mkdirSync(DOCS_IMAGES, { recursive: true });
  await wb.page.screenshot({
    path: path.join(DOCS_IMAGES, `${name}.png`),
    clip: { x, y, width: right - x, height: bottom - y },
  });
}

describe('debugger in the workbench', () => {
  const wb = useWorkbench();

  const callStackTop = () => wb().page.locator('.debug-call-stack .monaco-list-row .stack-frame').first();
  async function stoppedAt(name: string): Promise<void> {
    await wb().page.locator('.debug-call-stack .monaco-list-row .stack-frame', { hasText: name }).first().waitFor();
    assert.equal(plain((await callStackTop().locator('.label').first().innerText()).trim()), name);
  }
  /** The value the Variables view shows for `name`, read from its row's accessible label ("δ, value [13, -7]"). */
  async function variable(name: string, expected = ''): Promise<string> {
    // With the value expected, wait for it: the view refreshes a moment after the Call Stack.
    const row = wb()
      .page.locator(`.debug-variables .monaco-list-row[aria-label^="${name}, value ${expected}"]`)
      .first();
    await row.waitFor();
    return plain((await row.getAttribute('aria-label'))!.slice(`${name}, value `.length));
  }

  // Leave no session running for the next test file.
  after(() => wb().stopDebugging());

  it('gutter breakpoint, F5, Variables equal the CLI, F10, Shift+F11, step back, hover while stopped', async () => {
    await wb().openFile('problem1.bp.yaml');
    await wb().editor().locator('.squiggly-error').first().waitFor();
    // Click the glyph margin beside layer 2's first line.
    await wb().toggleBreakpoint(LAYER2);

    // F5 with no launch.json: stops on entry, then at the breakpoint's events.
    await wb().page.keyboard.press('F5');
    await stoppedAt('forward · layer 1 · step 1');
    await wb().page.keyboard.press('F5');
    await stoppedAt('forward · layer 2 · step 1');
    await wb().page.keyboard.press('F5');
    await stoppedAt('backward · layer 2 · step 1');

    // The first scope is the stopped layer's: δ² as the CLI computes it.
    const cli = cliDelta(path.join(Workbench.workspace, 'problem1.bp.yaml'), 2);
    assert.equal(await variable('δ', `[${cli[0].join(', ')}]`), '[13, -7]');
    // The Debug Console evaluates the notes' equation: W² a¹ + b² = z² = (15, −4).
    await wb().page.locator('.repl-input-wrapper .monaco-editor').click();
    await wb().page.keyboard.type('W2 @ a1 + b2');
    await wb().page.keyboard.press('Enter');
    await wb().page.locator('.repl .monaco-list-row', { hasText: '[15, -4]' }).first().waitFor();
    await docsShot(wb(), 'debug-variables', [wb().page.locator('.part.sidebar'), wb().page.locator('.part.editor')]);

    // F10: the next event; Shift+F11: to the end of the pass (backward · layer 1 ends it already, so the update pass).
    await wb().page.keyboard.press('F10');
    await stoppedAt('backward · layer 1 · step 1');
    assert.equal(await variable('δ', '[-1, 33, -60]'), '[-1, 33, -60]');
    await wb().page.keyboard.press('Shift+F11');
    await stoppedAt('update · layer 2 · step 1');
    assert.equal(await variable('W′', '[['), '[[1, 0.96, -3.13], [2, -0.44, 3.07]]');

    // Step back from the debug toolbar.
    await wb().page.locator('.debug-toolbar .action-label[aria-label^="Step Back"]').click();
    await stoppedAt('update · layer 1 · step 1');

    // Hover a weight while stopped: the debugger evaluates W2[1][2] at this event: 2, with
    // ∂L/∂w = δ²[1] a¹[2] = 13 · 8 = 104 (backward is done; its update, layer 2's, is not yet).
    await wb().goTo(LAYER2, 13);
    await wb().page.keyboard.press('Control+K');
    await wb().page.keyboard.press('Control+I');
    const hover = wb().page.locator('.debug-hover-widget', { hasText: /104/ });
    await hover.waitFor();
    assert.match(plain(await hover.innerText()), /^2\s+∂L\/∂w = 104$/);
    await docsShot(wb(), 'debug-hover', [hover, wb().editor().locator('.view-line', { hasText: '- W: [[1, 2, -3]' })]);
    await wb().page.keyboard.press('Escape');
  });
});
