// Feature maps of conv and pooling events (issue 9): the cells highlighted as the receptive field
// of a picked output cell are exactly those the formula gives — rows y·sh − ph … + kh − 1 and
// columns x·sw − pw … + kw − 1, less the padding — with stride and padding (conv-stride: 3×3
// kernels, stride [2, 1], padding [1, 0] on 2×5×5) and without (the tiny CNN, values by
// hand: z¹ = (−0.4 ×4 | 0.7, 0.9, 1.3, 1.5), pooled to (0 | 1.5)); max pooling marks its winner
// and the cell its δ went to. Keys move the picked cell without stepping the event.
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import { currentEvent, loadFixture, openPanel, press, screenshotPath, closeCleanPage } from './helpers';

type Cell = [number, number, number];

/** Cells of a drawn feature-map figure carrying a class, as [c, y, x], sorted. */
async function marked(page: Page, name: string, cls: string): Promise<Cell[]> {
  const cells = await page.$$eval(`.shown .conv-view figure.fmaps[data-name="${name}"] td.${cls}`, (tds) =>
    (tds as HTMLElement[]).map((td) => [Number(td.dataset.c), Number(td.dataset.y), Number(td.dataset.x)]),
  );
  return (cells as Cell[]).sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

async function picked(page: Page): Promise<string> {
  return (await page.getAttribute('.shown .conv-view', 'data-picked')) ?? '';
}

async function cellValue(page: Page, name: string, [c, y, x]: Cell): Promise<number> {
  const v = await page.getAttribute(
    `.shown .conv-view figure.fmaps[data-name="${name}"] td[data-c="${c}"][data-y="${y}"][data-x="${x}"]`,
    'data-value',
  );
  return Number(v);
}

async function pick(page: Page, [c, y, x]: Cell): Promise<void> {
  await page.click(`.shown .conv-view figure.fmaps.pickable td[data-c="${c}"][data-y="${y}"][data-x="${x}"]`);
  await page.waitForSelector(`.shown .conv-view[data-picked="${c},${y},${x}"]`);
  // Focus on the map would take the next arrow key; the tests step events with it.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/** The formula: input cells (every channel) read by output (y, x). */
function field(
  C: number,
  H: number,
  W: number,
  k: number,
  [sh, sw]: number[],
  [ph, pw]: number[],
  y: number,
  x: number,
) {
  const out: Cell[] = [];
  for (let c = 0; c < C; c++)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        const yy = y * sh - ph + i,
          xx = x * sw - pw + j;
        if (yy >= 0 && yy < H && xx >= 0 && xx < W) out.push([c, yy, xx]);
      }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

describe('panel: feature maps and receptive fields (tiny CNN)', function () {
  let page: Page;
  before(async () => {
    page = await openPanel({ theme: 'dark' });
    await loadFixture(page, 'tinyCnn');
  });
  after(() => closeCleanPage(page));

  it('forward 1: maps per channel, kernels as matrices, the first cell and its 2×2 field, z¹(1,1,1) = 1·0.1 − 1·0.5 = −0.4', async () => {
    assert.equal(await currentEvent(page), '1:forward:1');
    assert.equal(await page.getAttribute('.shown .conv-view', 'data-kind'), 'conv2d');
    assert.equal(await page.$$eval('.shown figure.fmaps[data-name="fm-out"] figure.fmap', (f) => f.length), 2);
    assert.equal(await page.$$eval('.shown figure.kernels figure.kernel', (f) => f.length), 2);
    assert.deepEqual(
      await page.$$eval('.shown figure.kernel[data-out="0"] td', (tds) =>
        tds.map((t) => Number(t.getAttribute('data-value'))),
      ),
      [1, 0, 0, -1],
    );
    assert.equal(await picked(page), '0,0,0');
    assert.deepEqual(await marked(page, 'fm-in', 'field'), field(1, 3, 3, 2, [1, 1], [0, 0], 0, 0));
    assert.ok(Math.abs((await cellValue(page, 'fm-out', [0, 0, 0])) - -0.4) < 1e-12);
    assert.match((await page.textContent('.shown .cell-equation')) ?? '', /= [−-]0\.4$/);
    await page.screenshot({ path: screenshotPath('feature-maps-forward1.png'), fullPage: true });
  });

  it('arrow keys and Page Down move the picked cell, not the event: z¹(2,1,2) = 0.5·(0.2+0.3+0.5+0.6) + 0.1 = 0.9', async () => {
    await page.focus('.shown .conv-view figure.fmaps.pickable td[tabindex="0"]');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('.shown .conv-view[data-picked="0,0,1"]');
    assert.deepEqual(await marked(page, 'fm-in', 'field'), field(1, 3, 3, 2, [1, 1], [0, 0], 0, 1));
    await page.keyboard.press('PageDown');
    await page.waitForSelector('.shown .conv-view[data-picked="1,0,1"]');
    assert.equal(await currentEvent(page), '1:forward:1');
    assert.match((await page.textContent('.shown .cell-equation')) ?? '', /= 0\.9$/);
    assert.equal(await page.getAttribute('.shown figure.kernel.active', 'data-out'), '1');
    // Focus stays on the picked cell for the next key.
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.x), '1');
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('.shown .conv-view[data-picked="1,1,1"]');
    assert.deepEqual(await marked(page, 'fm-in', 'field'), field(1, 3, 3, 2, [1, 1], [0, 0], 1, 1));
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
  });

  it('forward 2 (max pool 2×2): channel 2’s window is all of a¹’s channel 2 and its first maximum 1.5 at (2, 2) wins', async () => {
    await press(page, 'ArrowRight', '1:forward:2');
    assert.equal(await page.getAttribute('.shown .conv-view', 'data-kind'), 'maxpool2d');
    await pick(page, [1, 0, 0]);
    assert.deepEqual(await marked(page, 'fm-in', 'field'), [
      [1, 0, 0],
      [1, 0, 1],
      [1, 1, 0],
      [1, 1, 1],
    ]);
    assert.deepEqual(await marked(page, 'fm-in', 'won'), [[1, 1, 1]]);
    assert.ok(Math.abs((await cellValue(page, 'fm-out', [1, 0, 0])) - 1.5) < 1e-12);
    // Channel 1 is all zeros (relu of −0.4): the first of the ties, (1, 1), wins.
    await pick(page, [0, 0, 0]);
    assert.deepEqual(await marked(page, 'fm-in', 'won'), [[0, 0, 0]]);
  });

  it('backward 2: δ² of channel 2 goes to the winner alone in ∂L/∂a¹, the other three get 0', async () => {
    for (const e of ['1:forward:3', '1:forward:4', '1:loss:0', '1:backward:4', '1:backward:3', '1:backward:2'])
      await press(page, 'ArrowRight', e);
    await pick(page, [1, 0, 0]);
    assert.deepEqual(await marked(page, 'fm-grad', 'won'), [[1, 1, 1]]);
    const d = await cellValue(page, 'fm-delta', [1, 0, 0]);
    assert.ok(d !== 0);
    assert.equal(await cellValue(page, 'fm-grad', [1, 1, 1]), d);
    for (const c of [
      [1, 0, 0],
      [1, 0, 1],
      [1, 1, 0],
    ] as Cell[])
      assert.equal(await cellValue(page, 'fm-grad', c), 0);
    await page.screenshot({ path: screenshotPath('feature-maps-backward2.png'), fullPage: true });
  });

  it('backward 1 (conv): the picked δ¹ cell’s field on a⁰ and on ∂L/∂x, ∂L/∂W¹ as kernels', async () => {
    await press(page, 'ArrowRight', '1:backward:1');
    assert.equal(await page.getAttribute('.shown .conv-view', 'data-kind'), 'conv2d');
    await pick(page, [1, 1, 1]);
    const want = field(1, 3, 3, 2, [1, 1], [0, 0], 1, 1);
    assert.deepEqual(await marked(page, 'fm-in', 'field'), want);
    assert.deepEqual(await marked(page, 'fm-grad', 'field'), want);
    assert.equal(await page.$$eval('.shown figure.kernels[data-name="gradients"] figure.kernel', (f) => f.length), 2);
  });
});

describe('panel: receptive fields with stride [2, 1] and padding [1, 0]', function () {
  let page: Page;
  before(async () => {
    page = await openPanel({ theme: 'light' });
    await loadFixture(page, 'convStride');
  });
  after(() => closeCleanPage(page));

  it('every output cell of both channels highlights the formula’s cells of both input channels', async () => {
    assert.equal(await currentEvent(page), '1:forward:1');
    assert.equal(await page.$$eval('.shown figure.fmaps[data-name="fm-out"] td', (t) => t.length), 2 * 3 * 3);
    for (const c of [0, 1])
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 3; x++) {
          await pick(page, [c, y, x]);
          assert.deepEqual(
            await marked(page, 'fm-in', 'field'),
            field(2, 5, 5, 3, [2, 1], [1, 0], y, x),
            `output (${c}, ${y}, ${x})`,
          );
        }
    // Row 0 of the output overhangs the top padding: 2 rows × 3 columns × 2 channels.
    await pick(page, [0, 0, 2]);
    assert.equal((await marked(page, 'fm-in', 'field')).length, 12);
    await page.screenshot({ path: screenshotPath('feature-maps-stride.png'), fullPage: true });
  });
});
