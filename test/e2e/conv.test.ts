/**
 * The Tiny CNN example in the real workbench (issue 9): open it, open the trace panel, and at the
 * convolution's forward event see its feature maps, its kernels and the receptive field of the
 * picked output cell; pick another cell and the field moves. Expected cells come from the formula
 * (rows y … y + 2, columns x … x + 2 for 3×3 kernels, stride 1, no padding); z¹(1,1,1) = 8 − 3 = 5
 * and the rest by hand in examples/README.md. With BACKPROP_DOCS_IMAGES=1 the screenshot also goes
 * to docs/images/ (the README's layer-kinds section).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { useWorkbench, Workbench } from './workbench';

const REPO = path.resolve(__dirname, '..', '..', '..');
const DOCS_IMAGES = path.join(REPO, 'docs', 'images');
const FILE = 'tiny-cnn-example.bp.yaml';

/** The cells of a feature-map figure carrying `cls`, as "c,y,x", sorted. */
async function marked(panel: Frame, name: string, cls: string): Promise<string[]> {
  const cells = await panel
    .locator(`.shown .conv-view figure.fmaps[data-name="${name}"] td.${cls}`)
    .evaluateAll((tds) => (tds as HTMLElement[]).map((td) => `${td.dataset.c},${td.dataset.y},${td.dataset.x}`));
  return cells.sort();
}

/** The 3×3 field of output (y, x) on the one input channel. */
const field = (y: number, x: number) => [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => `0,${y + i},${x + j}`)).sort();

describe('a conv net in the trace panel, in the workbench', () => {
  const wb = useWorkbench();
  let panel: Frame;

  before(async () => {
    fs.copyFileSync(path.join(REPO, 'examples', 'tiny-cnn.bp.yaml'), path.join(Workbench.workspace, FILE));
    await wb().openFile(FILE);
  });

  it('shows the convolution’s feature maps, kernels and the picked cell’s receptive field', async () => {
    await wb().runCommand('Backprop: Open Trace Panel');
    panel = await wb().findWebviewFrame('#app[data-event="1:forward:1"]');
    assert.equal(await panel.locator('header h1').innerText(), 'Tiny CNN');
    const view = panel.locator('.shown .conv-view[data-kind="conv2d"]');
    await view.waitFor();
    assert.equal(await panel.locator('.shown figure.fmaps[data-name="fm-out"] figure.fmap').count(), 2);
    assert.equal(await panel.locator('.shown figure.kernels figure.kernel').count(), 2);
    assert.equal(await view.getAttribute('data-picked'), '0,0,0');
    assert.deepEqual(await marked(panel, 'fm-in', 'field'), field(0, 0));
    const first = panel.locator('.shown figure.fmaps[data-name="fm-out"] td[data-c="0"][data-y="0"][data-x="0"]');
    assert.equal(Number(await first.getAttribute('data-value')), 5);
    // Pick z¹ channel 2, row 2, column 3 with the keyboard, as a user would.
    await first.focus();
    await wb().page.keyboard.press('PageDown');
    await wb().page.keyboard.press('ArrowDown');
    await wb().page.keyboard.press('ArrowRight');
    await wb().page.keyboard.press('ArrowRight');
    await panel.locator('.shown .conv-view[data-picked="1,1,2"]').waitFor();
    assert.deepEqual(await marked(panel, 'fm-in', 'field'), field(1, 2));
    // z¹₂(2,3) = up + left + right + down − centre = 3 + 2 + 6 + 4 − 8 = 7 (examples/README.md).
    assert.match(await panel.locator('.shown .cell-equation').innerText(), /= 7$/);
    assert.equal(await panel.locator('#app').getAttribute('data-event'), '1:forward:1');
    const file = await wb().screenshot('tiny-cnn-conv');
    if (process.env.BACKPROP_DOCS_IMAGES) {
      fs.mkdirSync(DOCS_IMAGES, { recursive: true });
      fs.copyFileSync(file, path.join(DOCS_IMAGES, 'tiny-cnn-panel.png'));
    }
  });
});
