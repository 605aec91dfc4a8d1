// The loss chart of a run of several steps: axes and ticks, the log-scale switch, the hovered
// step's loss, a click, a key or the labelled step field that opens a step, theme colours, and
// a run in progress filling it in live (the host's runProgress messages).
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import { currentEvent, hostRecord, keepForDocs, loadFixture, matrixValues, openPanel, screenshotPath } from './helpers';

const XOR = 'file:///work/examples/xor.bp.yaml';

/** The readout's "Step k: L = v" as [k, v]. */
async function readout(page: Page): Promise<[number, number]> {
  const t = (await page.textContent('#loss-readout')) ?? '';
  const m = /^Step ([\d,]+): L = (\S+)$/.exec(t);
  assert.ok(m, `readout ${JSON.stringify(t)}`);
  return [Number(m[1].replace(/,/g, '')), Number(m[2])];
}

const ticks = (page: Page, axis: 'x' | 'y') =>
  page.$$eval(`svg.loss-plot .tick.${axis}`, (els) => els.map((e) => e.textContent ?? ''));

describe('panel: the loss chart', () => {
  let page: Page;
  beforeEach(async () => {
    page = await openPanel({ theme: 'dark', width: 1000, height: 800 });
    await loadFixture(page, 'xorLong');
  });
  afterEach(async () => {
    const rec = await hostRecord(page);
    assert.deepEqual(rec.invalid, []);
    assert.deepEqual(rec.cspViolations, []);
    await page.close();
  });

  it('has axes with round ticks: steps 1 … 1,500 along x, the loss range along y', async () => {
    const xs = (await ticks(page, 'x')).map((t) => Number(t.replace(/,/g, '')));
    assert.ok(xs.length >= 4, `${xs.length} step ticks`);
    for (const x of xs) assert.ok(x >= 1 && x <= 1500 && x % 100 === 0, `step tick ${x}`);
    const ys = (await ticks(page, 'y')).map(Number);
    assert.ok(ys.length >= 2, `${ys.length} loss ticks`);
    // XOR's binary cross-entropy here falls from 0.85 to 0.35: ticks inside that range, evenly spaced.
    for (const y of ys) assert.ok(y >= 0.3 && y <= 0.9, `loss tick ${y}`);
    const gaps = ys.slice(1).map((y, i) => Number((y - ys[i]).toPrecision(6)));
    assert.equal(new Set(gaps).size, 1, `even ticks ${ys.join(', ')}`);
    assert.equal(await page.getAttribute('.loss-plot-box', 'role'), 'slider');
    assert.equal(await page.getAttribute('.loss-plot-box', 'aria-valuemax'), '1500');
  });

  it("hovering shows that step's loss; a click opens the step, whose loss event shows the same L", async () => {
    const box = (await page.$('.loss-plot-box'))!;
    const b = (await box.boundingBox())!;
    await page.mouse.move(b.x + b.width * 0.6, b.y + 40);
    const [k, L] = await readout(page);
    assert.ok(k > 800 && k < 1000, `step ${k} under 60% of the width`);
    await page.mouse.click(b.x + b.width * 0.6, b.y + 40);
    await page.waitForSelector(`#app[data-event="${k}:forward:1"]:not(.loading)`);
    await page.click('.chip.loss');
    await page.waitForSelector(`#app[data-event="${k}:loss:0"]:not(.loading)`);
    const shown = (await matrixValues(page, 'L'))[0][0];
    assert.ok(Math.abs(shown - L) <= 1e-3 * Math.abs(shown), `readout ${L}, loss event ${shown}`);
  });

  it('is keyboard accessible: arrows and Page keys move its cursor (not the panel), Enter opens the step', async () => {
    await page.focus('.loss-plot-box');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    assert.equal((await readout(page))[0], 4);
    assert.equal(await currentEvent(page), '1:forward:1', 'the panel stays where it was');
    await page.keyboard.press('PageUp');
    assert.equal((await readout(page))[0], 19);
    assert.match((await page.getAttribute('.loss-plot-box', 'aria-valuetext')) ?? '', /^step 19 of 1,500, loss /);
    await page.keyboard.press('End');
    assert.equal((await readout(page))[0], 1500);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#app[data-event="2:forward:1"]:not(.loading)');
  });

  it('a labelled step field opens any step of a long run', async () => {
    const field = page.getByRole('spinbutton', { name: 'Step' });
    await field.fill('1234');
    await field.press('Enter');
    await page.waitForSelector('#app[data-event="1234:forward:1"]:not(.loading)');
    assert.equal(await page.textContent('.loss-step'), 'Stepof 1,500');
  });

  it('switches to a log scale and back; the curve takes the theme colour', async () => {
    const before = await page.getAttribute('svg.loss-plot path.curve', 'd');
    assert.equal(await page.isChecked('#loss-log'), false, 'a loss within one decade starts linear');
    await page.getByLabel('Log scale').check();
    const after = await page.getAttribute('svg.loss-plot path.curve', 'd');
    assert.notEqual(after, before);
    for (const y of (await ticks(page, 'y')).map(Number)) assert.ok(y > 0, `log tick ${y}`);
    await page.getByLabel('Log scale').uncheck();
    assert.equal(await page.getAttribute('svg.loss-plot path.curve', 'd'), before);
    const stroke = await page.$eval('svg.loss-plot path.curve', (p) => getComputedStyle(p).stroke);
    assert.equal(stroke, 'rgb(55, 148, 255)', 'charts.blue of the dark theme (#3794ff)');
    // For the picture: step 400 shown, the pointer on step ~900.
    const field = page.getByRole('spinbutton', { name: 'Step' });
    await field.fill('400');
    await field.press('Enter');
    await page.waitForSelector('#app[data-event="400:forward:1"]:not(.loading)');
    const file = screenshotPath('loss-chart-dark.png');
    const b = (await (await page.$('.loss-plot-box'))!.boundingBox())!;
    await page.mouse.move(b.x + b.width * 0.6, b.y + 60);
    await (await page.$('figure.loss-chart'))!.screenshot({ path: file });
    keepForDocs(file, 'loss-chart.png');
  });

  it('fills in live while a long run trains, and goes when the run ends', async () => {
    await page.evaluate((uri) => {
      const h = (window as unknown as { harness: { post(m: unknown): void } }).harness;
      const chunk = (from: number, n: number) => Float64Array.from({ length: n }, (_, i) => 2 / Math.sqrt(from + i));
      h.post({ type: 'runProgress', uri, from: 1, losses: chunk(1, 400), total: 1000 });
      h.post({ type: 'runProgress', uri, from: 401, losses: chunk(401, 200), total: 1000 });
    }, XOR);
    await page.waitForSelector('.live-slot figure.loss-chart.live path.curve[d^="M"]');
    assert.match(
      (await page.textContent('.live-slot .loss-title')) ?? '',
      // 2/√600 = 0.081649658…, to backprop.precision's 6 significant digits like every value the panel writes.
      /^Training: step 600 of 1,000 · L = 0\.0816497$/,
    );
    // While training there is no step to open: no step field in the live chart.
    assert.equal(await page.$('.live-slot #step-field'), null);
    await page.evaluate((uri) => {
      (window as unknown as { harness: { post(m: unknown): void } }).harness.post({ type: 'runEnded', uri });
    }, XOR);
    await page.waitForSelector('.live-slot figure', { state: 'detached' });
  });
});
