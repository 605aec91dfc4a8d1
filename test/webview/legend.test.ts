// The panel's colours (issue 11): right and wrong never share the channel of increase and
// decrease, and every colour in use is explained by a legend drawn in that very colour. Problem 1's
// numbers are the notes' (examples/problem1.bp.yaml): W²' = (1, 0.96, −3.13; 2, −0.44, 3.07), where
// 0.96 = 2 − 0.01 · 104 is right and fell, and the notes wrote −0.94 for −0.44 = −1 − 0.01 · (−56).
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import { hostRecord, keepForDocs, loadFixture, openPanel, pageErrors, press, screenshotPath } from './helpers';

type Theme = 'light' | 'dark' | 'high-contrast';

/** A CSS colour as [r, g, b] (computed colours are rgb()/rgba()). */
async function resolveColor(page: Page, css: string): Promise<number[]> {
  return page.evaluate((c) => {
    const probe = document.createElement('div');
    probe.style.color = c;
    document.body.append(probe);
    const out = (getComputedStyle(probe).color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    probe.remove();
    return out;
  }, css);
}

/** CIE L*a*b* of an sRGB colour (D65). */
function lab([r, g, b]: number[]): number[] {
  const lin = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const xyz = [
    (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047,
    0.2126 * R + 0.7152 * G + 0.0722 * B,
    (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883,
  ];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = xyz.map(f);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE76 colour difference: about 2 is just noticeable, 40 and more reads as another colour. */
function deltaE(a: number[], b: number[]): number {
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

const cell = (name: string, r: number, c: number) =>
  `.shown figure[data-name="${name}"] .cell[data-r="${r}"][data-c="${c}"]`;

for (const theme of ['dark', 'light', 'high-contrast'] as Theme[]) {
  describe(`panel colours, ${theme} theme: right/wrong apart from increase/decrease`, () => {
    let page: Page;
    before(async () => {
      page = await openPanel({ theme });
      await loadFixture(page, 'problem1', { index: 6 });
    });
    after(async () => {
      if (!page) return;
      assert.deepEqual(pageErrors(page), []);
      assert.deepEqual((await hostRecord(page)).cspViolations, []);
      await page.close();
    });

    it("the right 0.96 carries no mark of wrong; the notes' −0.44 has an icon, a strong border and a label", async () => {
      const right = await page.$eval(cell('W2_next', 0, 1), (e) => ({
        cls: e.className,
        icon: !!e.querySelector('.codicon'),
        shadow: getComputedStyle(e).boxShadow,
        aria: e.getAttribute('aria-label'),
      }));
      assert.match(right.cls, /\bdown\b/, '0.96 fell from 2');
      assert.doesNotMatch(right.cls, /\bwrong\b/);
      assert.equal(right.icon, false);
      assert.equal(right.shadow, 'none');
      assert.equal(right.aria, '0.96, decreased by 1.04');

      const wrong = await page.$eval(cell('W2_next', 1, 1), (e) => ({
        cls: e.className,
        icon: e.querySelector('.codicon-error') !== null,
        label: e.querySelector('.yours')?.textContent,
        aria: e.getAttribute('aria-label'),
        shadow: getComputedStyle(e).boxShadow,
      }));
      assert.match(wrong.cls, /\bwrong\b/);
      assert.match(wrong.cls, /\bup\b/, '−0.44 rose from −1: its fill says so, as for any other entry');
      assert.ok(wrong.icon, 'an error icon');
      assert.equal(wrong.label, 'yours -0.94');
      assert.equal(wrong.aria, '-0.44, increased by 0.56, wrong: you wrote -0.94');
      // inset 0 0 0 3px <wrong colour>: a border of 3 px in the wrong-value colour.
      const m = /^(rgba?\([^)]*\)) 0px 0px 0px (\d+)px inset$/.exec(wrong.shadow);
      assert.ok(m, `box-shadow ${wrong.shadow}`);
      assert.ok(Number(m[2]) >= 3, `border ${m[2]}px`);
      assert.deepEqual(await resolveColor(page, m[1]), await resolveColor(page, 'var(--bp-invalid)'));
    });

    it("marking a value wrong leaves its fill alone: the fill is the update's channel only", async () => {
      const fills = await page.$eval(cell('W2_next', 1, 1), (e) => {
        const withMark = getComputedStyle(e).backgroundImage + getComputedStyle(e).backgroundColor;
        e.classList.remove('wrong');
        const without = getComputedStyle(e).backgroundImage + getComputedStyle(e).backgroundColor;
        e.classList.add('wrong');
        return { withMark, without };
      });
      assert.equal(fills.withMark, fills.without);
    });

    it('increase and decrease are drawn in colours far from the wrong and the right colours', async () => {
      const [up, down, wrong, pass] = await Promise.all(
        ['--bp-up', '--bp-down', '--bp-invalid', '--bp-pass'].map((v) => resolveColor(page, `var(${v})`)),
      );
      for (const [name, c] of [
        ['increase', up],
        ['decrease', down],
      ] as const) {
        const [dw, dp] = [deltaE(c, wrong), deltaE(c, pass)];
        assert.ok(dw >= 40, `${name} ${c.join(',')}: ΔE ${dw.toFixed(0)} from the wrong colour ${wrong.join(',')}`);
        assert.ok(dp >= 40, `${name} ${c.join(',')}: ΔE ${dp.toFixed(0)} from the pass colour ${pass.join(',')}`);
      }
    });
  });
}

describe('panel legend: every colour in use, explained in that colour', () => {
  let page: Page;
  before(async () => {
    page = await openPanel({ theme: 'dark' });
  });
  after(async () => {
    await page?.close();
  });

  /** The legend entries of the shown event's matrices, the diagram and the timeline. */
  async function legendKeys(): Promise<string[]> {
    return page.$$eval(
      '.shown ul.legend:not([hidden]) li, .diagram-legend ul.legend:not([hidden]) li[data-legend]:not([data-legend="heat"]), .timeline ul.legend:not([hidden]) li',
      (li) => li.map((x) => (x as HTMLElement).dataset.legend ?? ''),
    );
  }

  /** Which colour-carrying classes are drawn now. */
  async function usedKeys(): Promise<string[]> {
    return page.evaluate(() => {
      const q = (sel: string) => document.querySelector(sel) !== null;
      const used: string[] = [];
      const pairs: [string, string][] = [
        ['emph', '.shown .operands .cell.emph'],
        ['picked', '.shown .operands .cell.picked'],
        ['up', '.shown .operands .cell.up'],
        ['down', '.shown .operands .cell.down'],
        ['wrong', '.shown .operands .cell.wrong'],
        ['invalid', '.shown .operands .cell.invalid'],
        ['positive', '.diagram line.w.pos'],
        ['negative', '.diagram line.w.neg'],
        ['mark-bad', '.timeline .chip.bad'],
        ['mark-warn', '.timeline .chip.warn'],
      ];
      for (const [k, sel] of pairs) if (q(sel)) used.push(k);
      return used;
    });
  }

  /** The style property that carries each key's colour, read from the drawn element and from its swatch. */
  async function colours(key: string, drawn: string, pseudo?: string): Promise<{ drawn: string; swatch: string }> {
    return page.evaluate(
      ([k, sel, pse]) => {
        const prop: Record<string, string> = {
          emph: 'background-color',
          picked: 'outline-color',
          up: 'background-image',
          down: 'background-image',
          wrong: 'box-shadow',
          positive: 'stroke',
          negative: 'stroke',
          'mark-bad': 'background-color',
          'mark-warn': 'background-color',
        };
        const read = (el: Element | null, p?: string) =>
          el ? getComputedStyle(el, p ?? null).getPropertyValue(prop[k]) : 'missing';
        const sw = document.querySelector(`ul.legend li[data-legend="${k}"] .swatch`);
        const swatchEl = k === 'positive' || k === 'negative' ? (sw?.querySelector('line') ?? null) : sw;
        return { drawn: read(document.querySelector(sel), pse), swatch: read(swatchEl) };
      },
      [key, drawn, pseudo] as const,
    );
  }

  it('problem 1, update 1 and 2: the legend lists exactly the colours drawn, each in its colour', async () => {
    await loadFixture(page, 'problem1', { index: 5 });
    for (const event of ['1:update:1', '1:update:2']) {
      if (event === '1:update:2') await press(page, 'ArrowRight', event);
      const used = await usedKeys();
      assert.deepEqual((await legendKeys()).sort(), used.sort(), `${event}: legend entries = colours in use`);
      // The largest change of an update is drawn at full strength (t = 1), as the swatch is.
      const full = event === '1:update:1' ? ['up', cell('W1_next', 2, 0)] : ['down', cell('W2_next', 0, 1)];
      const checks: [string, string, string?][] = [
        ['emph', '.shown .operands .cell.emph'],
        ['picked', '.shown .operands .cell.picked'],
        [full[0], full[1]],
        ['wrong', '.shown .operands .cell.wrong'],
        ['positive', '.diagram line.w.pos'],
        ['negative', '.diagram line.w.neg'],
        ['mark-bad', '.timeline .chip.bad', '::after'],
      ];
      for (const [k, sel, pseudo] of checks) {
        if (!used.includes(k)) continue;
        const c = await colours(k, sel, pseudo);
        assert.notEqual(c.drawn, 'missing', `${event}: nothing drawn as ${k}`);
        assert.equal(c.swatch, c.drawn, `${event}: the ${k} swatch is drawn as ${sel}`);
      }
      if (event === '1:update:2') {
        const file = screenshotPath('legend-update2.png');
        await page.locator('.shown .operands').screenshot({ path: file });
        keepForDocs(file, 'panel-legend.png');
      }
      // −1 → −0.4: the W¹' entry (3, 1) moved by 0.6, the largest change of update 1.
      if (event === '1:update:1')
        assert.equal(await page.$eval(full[1], (e) => getComputedStyle(e).getPropertyValue('--t')), '1.000');
    }
  });

  it('a diverging run: the numeric-warning mark is in the legend, in its colour', async () => {
    await loadFixture(page, 'diverging');
    // The loss becomes ∞ at step 5 (test/webview/rendering.test.ts): its chip carries the mark.
    await press(page, 'End', '5:update:2');
    const used = await usedKeys();
    assert.ok(used.includes('mark-warn'));
    assert.deepEqual((await legendKeys()).sort(), used.sort());
    const c = await colours('mark-warn', '.timeline .chip.warn', '::after');
    assert.equal(c.swatch, c.drawn);
  });

  it('784-128-10: each heatmap has a colour scale from −max|value| to +max|value| of what it shows', async () => {
    await loadFixture(page, 'mnist', { index: 5 });
    const scales = await page.$$eval('.diagram-legend li[data-legend="heat"]', (li) =>
      li.map((x) => ({
        label: x.querySelector('.heat-name')?.textContent ?? '',
        scale: Number((x as HTMLElement).dataset.scale),
        lo: x.querySelector('.heat-lo')?.textContent ?? '',
        hi: x.querySelector('.heat-hi')?.textContent ?? '',
      })),
    );
    assert.deepEqual(
      scales.map((s) => s.label),
      ['x (784 units × 32 examples)', '∂L/∂W¹ 128×784', 'δ¹ (128 units × 32 examples)', '∂L/∂W² 10×128'],
    );
    // The ranges are the largest |value| of each quantity in the step the host sent.
    const maxAbs = (path: string) =>
      page.evaluate(
        (p) => (window as unknown as { harness: { maxAbs(s: number, p: string): number } }).harness.maxAbs(1, p),
        path,
      );
    const expected = [
      await maxAbs('input'),
      await maxAbs('backward.0.dW'),
      await maxAbs('backward.0.delta'),
      await maxAbs('backward.1.dW'),
    ];
    scales.forEach((s, k) => {
      assert.equal(s.scale, expected[k], `${s.label}: scale`);
      assert.equal(
        Number(s.hi),
        Number(expected[k].toPrecision(6)),
        `${s.label}: upper label (6 digits: backprop.precision)`,
      );
      assert.equal(Number(s.lo), -Number(expected[k].toPrecision(6)), `${s.label}: lower label`);
    });
    // The bar runs from the negative colour through the background to the positive colour.
    const ends = await page.$eval('.diagram-legend li[data-legend="heat"] canvas', (c) => {
      const ctx = (c as HTMLCanvasElement).getContext('2d')!;
      const px = (x: number) => Array.from(ctx.getImageData(x, 0, 1, 1).data.slice(0, 3));
      const w = (c as HTMLCanvasElement).width;
      return [px(0), px((w - 1) / 2), px(w - 1)];
    });
    const [neg, bg, pos] = await Promise.all(
      ['var(--bp-negative)', 'var(--bp-heat-background)', 'var(--bp-positive)'].map((v) => resolveColor(page, v)),
    );
    assert.deepEqual(ends, [neg, bg, pos]);
  });
});
