// A file that stops running mid-edit (issue 11): the panel keeps the last trace that ran, says it
// is not up to date, and lists the errors as links the host takes to the editor.
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import {
  currentEvent,
  loadFixture,
  matrixValues,
  openPanel,
  closeCleanPage,
  screenshotPath,
  sentMessages,
} from './helpers';

const STALE = {
  errors: [
    { message: 'this [ on line 27 is never closed (expected ] before the end of the line)', line: 27, column: 13 },
    { message: 'b¹ has 2 entries, layer 1 has 3 units', line: 17, column: 8 },
  ],
  total: 3,
};

describe('panel: the last trace that ran, while the file does not', () => {
  let page: Page;
  before(async () => {
    page = await openPanel({ theme: 'dark', width: 900, height: 1100 });
    await loadFixture(page, 'problem1', { index: 6 });
  });
  after(() => closeCleanPage(page));

  it('keeps the numbers at the same event, with a banner saying they are not up to date', async () => {
    await page.evaluate(
      (stale) =>
        (window as unknown as { harness: { load(n: string, o: unknown): void } }).harness.load('problem1', {
          index: 6,
          reason: 'rebuilt',
          stale,
        }),
      STALE,
    );
    await page.waitForSelector('#app.stale #stale:not([hidden])');
    assert.equal(await currentEvent(page), '1:update:2');
    // W²' as computed from the notes' W² (examples/problem1.bp.yaml): the trace is still there.
    assert.deepEqual((await matrixValues(page, 'W2_next'))[0], [1, 0.96, -3.13]);
    assert.equal(await page.getAttribute('#stale', 'role'), 'status');
    assert.equal((await page.textContent('#stale h2'))?.trim(), 'Not up to date: problem1.bp.yaml has 3 errors');
    const items = await page.$$eval('#stale li', (li) => li.map((x) => x.textContent));
    assert.deepEqual(items, [
      'Line 27, column 13: this [ on line 27 is never closed (expected ] before the end of the line)',
      'Line 17, column 8: b¹ has 2 entries, layer 1 has 3 units',
      'and 1 more in the Problems view',
    ]);
    await page.screenshot({ path: screenshotPath('stale-banner.png'), clip: { x: 0, y: 0, width: 900, height: 640 } });
  });

  it('an error is a link: clicking it asks the host to put the cursor there', async () => {
    await page.click('#stale li:nth-child(2) button.link');
    const [m] = await sentMessages(page, 'showError');
    // The second load (the stale one) is revision 2 of the fake host.
    assert.deepEqual({ index: m.index, revision: m.revision }, { index: 1, revision: 2 });
  });

  it('once the file runs again the banner goes and the stripe with it', async () => {
    await loadFixture(page, 'problem1', { index: 6 });
    await page.waitForSelector('#app:not(.stale)');
    assert.equal(await page.isVisible('#stale'), false);
  });
});
