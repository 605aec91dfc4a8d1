// Lecture note 000 in the panel: on examples/linear-regression.bp.yaml's loss chart, the
// closed-form optimum L* as a dashed line in the theme's colour, in the legend, and ‖θ − θ*‖
// beside the loss of each step. Expected values: torch.linalg.lstsq's solution and mse for the
// example's data, recorded by test/unit/analysis/lstsq_torch.py.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Page } from 'playwright-core';
import { hostRecord, keepForDocs, loadFixture, openPanel, REPO_ROOT, screenshotPath } from './helpers';

const recorded = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'test', 'unit', 'analysis', 'lstsq-torch.json'), 'utf8'),
) as { cases: { name: string; solution: number[][]; mse?: number }[] };
const example = recorded.cases.find((c) => c.name === 'examples/linear-regression.bp.yaml')!;
const L_STAR = example.mse!;
// Gradient descent starts at W = 0, b = 0: step 1's distance is ‖β̂‖.
const D1 = Math.hypot(...example.solution.map((r) => r[0]));

describe('panel: least squares beside gradient descent (linear regression)', () => {
  let page: Page;
  beforeEach(async () => {
    page = await openPanel({ theme: 'dark', width: 900, height: 700 });
    await loadFixture(page, 'linearRegression');
    await page.waitForSelector('svg.loss-plot line.optimum', { state: 'attached' });
  });
  afterEach(async () => {
    const rec = await hostRecord(page);
    assert.deepEqual(rec.invalid, []);
    assert.deepEqual(rec.cspViolations, []);
    await page.close();
  });

  it('draws L* as a dashed line at its height on the y axis, in the theme colour, named in the legend', async () => {
    const line = await page.$eval('svg.loss-plot line.optimum', (l) => ({
      y1: Number(l.getAttribute('y1')),
      y2: Number(l.getAttribute('y2')),
      stroke: getComputedStyle(l).stroke,
      dash: getComputedStyle(l).strokeDasharray,
      title: l.querySelector('title')?.textContent ?? '',
    }));
    assert.equal(line.y1, line.y2, 'horizontal');
    assert.equal(line.stroke, 'rgb(137, 209, 133)', 'charts.green of the dark theme (#89d185)');
    assert.notEqual(line.dash, 'none');
    assert.match(line.title, /L\* = 0\.01825/);
    // Its height, read against the y axis: the chart is on a log scale (15.6 → 0.0185), so L*'s y
    // lies between two labelled ticks at the log-interpolated place.
    assert.equal(await page.isChecked('#loss-log'), true);
    const ticks = await page.$$eval('svg.loss-plot .tick.y', (els) =>
      els.map((e) => ({ v: Number(e.textContent), y: Number(e.getAttribute('y')) - 4 })),
    );
    const [a, b] = [ticks[0], ticks[ticks.length - 1]];
    const expected = a.y + ((Math.log10(L_STAR) - Math.log10(a.v)) / (Math.log10(b.v) - Math.log10(a.v))) * (b.y - a.y);
    assert.ok(
      Math.abs(line.y1 - expected) < 1,
      `y ${line.y1} vs ${expected.toFixed(1)} from the ticks ${JSON.stringify(ticks)}`,
    );
    // The curve ends just above it: gradient descent approaches, never beats, the optimum.
    const lastY = await page.$eval('svg.loss-plot path.curve', (p) => {
      const m = /([\d.]+) ([\d.]+)$/.exec(p.getAttribute('d') ?? '');
      return Number(m![2]);
    });
    assert.ok(lastY <= line.y1 && line.y1 - lastY < 8, `last point y ${lastY}, optimum y ${line.y1}`);
    const legend = await page.$$eval('.loss-legend .legend-item', (els) => els.map((e) => e.textContent?.trim()));
    assert.deepEqual(legend, ['gradient descent', 'least squares (closed form) L* = 0.01825']);
    const swatch = await page.$eval('.legend-swatch.optimum line', (l) => getComputedStyle(l).stroke);
    assert.equal(swatch, line.stroke, 'the legend swatch has the line colour');
  });

  it('shows ‖θ − θ*‖ beside the loss of the step under the cursor, falling as training goes', async () => {
    await page.focus('.loss-plot-box');
    await page.keyboard.press('Home');
    const first = (await page.textContent('#loss-distance')) ?? '';
    const m = /^‖θ − θ\*‖ = (\S+)$/.exec(first);
    assert.ok(m, first);
    assert.ok(Math.abs(Number(m[1]) - D1) <= 5e-4 * D1, `step 1: ${m[1]} vs ‖β̂‖ = ${D1} (the panel writes 4 digits)`);
    await page.keyboard.press('End');
    const last = Number(/= (\S+)$/.exec((await page.textContent('#loss-distance')) ?? '')![1]);
    assert.ok(last < D1 / 20, `step 100: ${last}`);
    assert.match((await page.getAttribute('.loss-plot-box', 'aria-valuetext')) ?? '', /, ‖θ − θ\*‖ = /);
  });

  it('screenshot of the chart with the optimum line', async () => {
    const b = (await (await page.$('.loss-plot-box'))!.boundingBox())!;
    await page.mouse.move(b.x + b.width * 0.5, b.y + 60);
    const file = screenshotPath('least-squares-chart-dark.png');
    await (await page.$('figure.loss-chart'))!.screenshot({ path: file });
    keepForDocs(file, 'least-squares-chart.png');
  });
});
