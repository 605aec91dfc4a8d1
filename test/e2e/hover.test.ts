/**
 * The editor features as a user meets them in the workbench: hover a weight and read its
 * gradient in the hover widget; see the squiggles and the Problems view; see the CodeLens.
 * Numbers by hand for problem 1: ∂L/∂W²[1][2] = δ²[1] · a¹[2] = 13 · 8 = 104,
 * w′ = 2 − 0.01 · 104 = 0.96. With BACKPROP_DOCS_IMAGES=1 the screenshots also go to
 * docs/images/ (the README's).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { plain, useWorkbench, Workbench } from './workbench';

const DOCS_IMAGES = path.resolve(__dirname, '..', '..', '..', 'docs', 'images');

/** A screenshot of the region around `parts` (union of their boxes, padded), kept in test-results and maybe docs. */
async function shot(wb: Workbench, name: string, parts: Locator[]): Promise<void> {
  const file = await wb.screenshot(name);
  const boxes = (await Promise.all(parts.map((p) => p.boundingBox()))).filter((b): b is NonNullable<typeof b> => !!b);
  if (!process.env.BACKPROP_DOCS_IMAGES || boxes.length === 0) return;
  const pad = 8;
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad),
    y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + pad,
    bottom = Math.max(...boxes.map((b) => b.y + b.height)) + pad;
  fs.mkdirSync(DOCS_IMAGES, { recursive: true });
  await wb.page.screenshot({
    path: path.join(DOCS_IMAGES, `${name}.png`),
    clip: { x, y, width: right - x, height: bottom - y },
  });
  console.log(
    `      docs image: ${path.relative(process.cwd(), path.join(DOCS_IMAGES, `${name}.png`))} (full window: ${path.relative(process.cwd(), file)})`,
  );
}

describe('editor features in the workbench', () => {
  const wb = useWorkbench();

  before(async () => {
    await wb().openFile('problem1.bp.yaml');
    // Squiggles mean the model has been analysed: hovers and CodeLens will answer.
    await wb().editor().locator('.squiggly-error').first().waitFor();
  });

  it('hovering a weight shows its gradient, where it came from, and the update', async () => {
    // Line 26 is "  - W: [[1, 2, -3], [2, -1, 3]]"; column 13 is the "2": W²[1][2].
    const text = await wb().hoverText(26, 13, /104/);
    assert.match(text, /W²\[1\]\[2\] = 2 · weight from a¹\[2\] to z²\[1\]/);
    assert.match(text, /∂L\/∂w = δ²\[1\] · a¹\[2\]\s+13 · 8\s+104/);
    assert.match(text, /w′ = w − α · ∂L\/∂w\s+2 − 0\.01 · 104\s+0\.96/);
    await shot(wb(), 'hover', [
      wb().page.locator('.monaco-hover:not(.hidden)').first(),
      wb().editor().locator('.view-line', { hasText: '- W: [[1, 2, -3]' }),
    ]);
    await wb().page.keyboard.press('Escape');
  });

  it('wrong hand-derived values are squiggled and listed in the Problems view', async () => {
    await wb().page.keyboard.press('Control+Shift+M');
    const problems = wb().page.locator('.markers-panel .monaco-list-row', { hasText: 'computed -0.44' });
    await problems.first().waitFor();
    const rows = plain(await wb().page.locator('.markers-panel').innerText());
    assert.match(rows, /expected W²'\[2\]\[2\] = -0\.94, computed -0\.44/);
    assert.match(rows, /expected b²'\[1\] = 1\.99, computed 1\.87/);
    assert.doesNotMatch(rows, /matches/);
    await wb().goTo(35, 38);
    await shot(wb(), 'diagnostics', [wb().page.locator('.part.editor'), wb().page.locator('.part.panel')]);
  });

  it('CodeLens above each layer: summary, Show in panel, Step to here', async () => {
    // Hide the bottom panel (if the previous test left the Problems view open) so that both layers
    // fit, then put layer 2 on screen. Ctrl+J toggles, so press it only when the panel shows:
    // the test must also stand alone (e.g. under --grep).
    if (await wb().page.locator('.part.panel').isVisible()) {
      await wb().page.keyboard.press('Control+J');
      await wb().page.locator('.part.panel').waitFor({ state: 'hidden' });
    }
    await wb().goTo(30, 1);
    const lens = wb().editor().locator('.codelens-decoration', { hasText: 'Layer 2:' });
    await lens.waitFor();
    const text = plain(await lens.innerText());
    // ‖δ²‖ = √(13² + 7²) = 14.7648…, to backprop.precision's 6 digits as in every view.
    assert.match(text, /Layer 2: 3 → 2 identity · ‖δ²‖ = 14\.7648 · 51% of ‖∇L‖²/);
    assert.match(text, /Show in panel/);
    assert.match(text, /Step to here/);
    await shot(wb(), 'codelens', [
      wb().editor().locator('.codelens-decoration').first(),
      lens,
      wb().editor().locator('.view-line', { hasText: '- W: [[1, 2, -3]' }),
    ]);
  });
});
