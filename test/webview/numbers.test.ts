// One rule for every number the panel writes (issue 11): backprop.precision and backprop.numberFormat,
// in the matrices, the diagram's pills, the equations and the pickers alike. Problem 3's δ³ is
// (2/3)(38, −11, 20) = (25.333…, −7.333…, 13.333…) (examples/problem3-batch.bp.yaml): 25.3, −7.33,
// 13.3 to 3 significant digits; 25.3333, −7.3333, 13.3333 with 4 digits after the point.
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import { loadFixture, openPanel } from './helpers';

/** Backward 3 of problem 3 (3 layers: forward 1..3, loss, then backward 3 is event 4). */
const BACKWARD_3 = 4;

async function texts(page: Page): Promise<{ cells: string[]; pills: string[]; equation: string }> {
  return page.evaluate(() => ({
    cells: [...document.querySelectorAll('.shown figure[data-name="delta3"] .cell')].map((c) => c.textContent ?? ''),
    pills: [...document.querySelectorAll('.column[data-layer="3"] .unit text')].map((t) => t.textContent ?? ''),
    equation: (document.querySelector('.shown .eq-line') as HTMLElement).dataset.text ?? '',
  }));
}

describe('panel numbers: one rule from the settings', () => {
  let page: Page;
  before(async () => {
    page = await openPanel({ theme: 'dark' });
  });
  after(async () => {
    await page?.close();
  });

  for (const [settings, want] of [
    [{ digits: 3, numberFormat: 'auto' }, ['25.3', '-7.33', '13.3']],
    [{ digits: 4, numberFormat: 'fixed' }, ['25.3333', '-7.3333', '13.3333']],
    [{ digits: 2, numberFormat: 'scientific' }, ['2.5e1', '-7.3e0', '1.3e1']],
  ] as const) {
    it(`${settings.numberFormat}, ${settings.digits} digits: matrices, pills and equations write δ³ the same way`, async () => {
      await loadFixture(page, 'problem3', { index: BACKWARD_3, settings });
      const t = await texts(page);
      assert.deepEqual(t.cells.slice(0, 3), want, 'δ³ in its matrix');
      // The diagram shows example 1: δ³ of the first example.
      assert.deepEqual(t.pills, [want[0]], 'δ³ on its unit');
      assert.ok(t.equation.endsWith(`(${want.join(', ')})`), t.equation);
      // Every pill has room for its text.
      const overflow = await page.$$eval(
        '.column .unit',
        (us) =>
          us.filter((u) => u.querySelector('text')!.getBBox().width > u.querySelector('rect')!.getBBox().width - 4)
            .length,
      );
      assert.equal(overflow, 0, 'values wider than their pill');
    });
  }
});
