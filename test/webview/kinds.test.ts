// A conv net in the panel: every event of the example (conv2d, maxpool2d, flatten,
// dense) steps and draws without a page error or a message the host could not validate; image
// quantities show flat, with their numbers (their own views are a later change).
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import { currentEvent, loadFixture, matrixValues, openPanel, press, closeCleanPage } from './helpers';

describe('panel: a conv net steps through every event', function () {
  let page: Page;
  before(async () => {
    page = await openPanel({ theme: 'light' });
    await loadFixture(page, 'tinyCnn');
  });
  after(() => closeCleanPage(page));

  it('forward 1 shows z¹ of the convolution flat: (−0.4 ×4, 0.7, 0.9, 1.3, 1.5) by hand', async () => {
    assert.equal(await currentEvent(page), '1:forward:1');
    const z = (await matrixValues(page, 'z1')).flat();
    const byHand = [-0.4, -0.4, -0.4, -0.4, 0.7, 0.9, 1.3, 1.5];
    assert.equal(z.length, byHand.length);
    z.forEach((x, i) => assert.ok(Math.abs(x - byHand[i]) < 1e-12, `z¹[${i}] = ${x}`));
  });

  it('every event, forward 1 to update 4, then back to the start', async () => {
    const order = [
      '1:forward:2',
      '1:forward:3',
      '1:forward:4',
      '1:loss:0',
      '1:backward:4',
      '1:backward:3',
      '1:backward:2',
      '1:backward:1',
      '1:update:1',
      '1:update:2',
      '1:update:3',
      '1:update:4',
    ];
    for (const e of order) await press(page, 'ArrowRight', e);
    await press(page, 'Home', '1:forward:1');
  });
});
