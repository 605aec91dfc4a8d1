// The panel in light, dark and high-contrast themes (VS Code's variables, test/webview/harness/
// themes.ts) and with reduced motion. Screenshots go to test-results/panel/ to be looked at; the
// assertions check what a screenshot cannot be trusted to: text contrast (WCAG AA, 4.5:1), that
// heatmaps draw in the theme's colours, and that nothing is animated when the user asks for less motion.
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import { hostRecord, keepForDocs, loadFixture, openPanel, press, screenshotPath } from './helpers';
import { THEMES } from './harness/themes';

type Theme = 'light' | 'dark' | 'high-contrast';

/** WCAG contrast ratio of the computed text colour against the nearest opaque background behind it. */
async function contrast(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (el) => {
    const rgba = (s: string) => {
      const v = (s.match(/[\d.]+/g) ?? []).map(Number);
      return [v[0], v[1], v[2], v[3] ?? 1];
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (c: number) => {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    // Translucent backgrounds (highlights) are composited over what is behind them, up to an opaque one.
    const layers: number[][] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse())
      bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
    const fg = lum(rgba(getComputedStyle(el).color));
    const back = lum(bg);
    return (Math.max(fg, back) + 0.05) / (Math.min(fg, back) + 0.05);
  });
}

type RGB = [number, number, number];

function hex(color: string): RGB {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) throw new Error(`not a #rrggbb colour: ${color}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

interface HeatmapCheck {
  readonly label: string;
  /** The first pixel that is neither background + t·(positive − background) nor the same towards negative, t ∈ [0, 1]. */
  readonly offScale: string | null;
  readonly positive: number;
  readonly negative: number;
  /** Pixels at t = 1 (|value| = the heatmap's scale). */
  readonly full: number;
}

/** Every diagram heatmap's pixels, placed on the diverging scale from the background to either colour. */
async function heatmapPixels(
  page: Page,
  scale: { background: RGB; positive: RGB; negative: RGB },
): Promise<HeatmapCheck[]> {
  return page.$$eval(
    '.diagram canvas.heat',
    (canvases, { background: bg, positive, negative }) =>
      canvases.map((el, k) => {
        const c = el as HTMLCanvasElement;
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        /** t such that p = bg + t·(end − bg) on every channel (±1 for rounding), or null. */
        const along = (p: number[], end: number[]): number | null => {
          const ch = [0, 1, 2].reduce((a, b) => (Math.abs(end[b] - bg[b]) > Math.abs(end[a] - bg[a]) ? b : a));
          const t = (p[ch] - bg[ch]) / (end[ch] - bg[ch]);
          if (t < -0.01 || t > 1.01) return null;
          return [0, 1, 2].every((i) => Math.abs(bg[i] + t * (end[i] - bg[i]) - p[i]) <= 1.5) ? t : null;
        };
        let offScale: string | null = null,
          pos = 0,
          neg = 0,
          full = 0;
        for (let i = 0; i < px.length; i += 4) {
          const p = [px[i], px[i + 1], px[i + 2]];
          const tp = along(p, positive),
            tn = along(p, negative);
          if (tp === null && tn === null) {
            offScale ??= `pixel ${i / 4} = rgb(${p.join(', ')})`;
            continue;
          }
          if (tp !== null && tp > 0.02) pos++;
          if (tn !== null && tn > 0.02) neg++;
          if ((tp ?? 0) > 0.99 || (tn ?? 0) > 0.99) full++;
        }
        return { label: `heatmap ${k + 1} (${c.width}×${c.height})`, offScale, positive: pos, negative: neg, full };
      }),
    scale,
  );
}

for (const theme of ['light', 'dark', 'high-contrast'] as Theme[]) {
  describe(`panel: ${theme} theme`, () => {
    let page: Page;
    before(async () => {
      page = await openPanel({ theme, width: 1000, height: 1000 });
    });
    after(async () => {
      if (!page) return;
      assert.deepEqual((await hostRecord(page)).cspViolations, []);
      await page.close();
    });

    it('problem 1, backward 1 and update 2: screenshots, readable text', async () => {
      await loadFixture(page, 'problem1', { index: 4 });
      await page.click('.shown figure[data-name="delta1"] .cell[data-c="1"]');
      await page.waitForSelector('.shown figure[data-name="W2T"] .cell.emph');
      await page.screenshot({ path: screenshotPath(`problem1-backward-${theme}.png`), fullPage: true });
      if (theme === 'light') keepForDocs(screenshotPath(`problem1-backward-${theme}.png`), 'panel-backward-light.png');
      await press(page, 'End', '1:update:2');
      await page.screenshot({ path: screenshotPath(`problem1-update-${theme}.png`), fullPage: true });
      if (theme !== 'light') keepForDocs(screenshotPath(`problem1-update-${theme}.png`), `panel-update-${theme}.png`);
      for (const sel of [
        '.shown figure[data-name="W2"] .cell',
        '#event-title',
        '.diagram .head-name',
        '.chip:not(.current)',
        '.chip.current',
      ]) {
        const c = await contrast(page, sel);
        assert.ok(c >= 4.5, `${sel}: contrast ${c.toFixed(2)} < 4.5`);
      }
    });

    it("784-128-10 update: every heatmap pixel on the theme's diverging scale, the largest at full colour", async () => {
      await loadFixture(page, 'mnist', { index: 5 });
      await page.screenshot({ path: screenshotPath(`mnist-update-${theme}.png`), fullPage: false });
      if (theme === 'dark') keepForDocs(screenshotPath(`mnist-update-${theme}.png`), 'panel-784-128-10.png');
      // The colours the theme defines (VS Code's variables, harness/themes.ts), not the panel's palette.
      const vars = THEMES[theme].vars;
      const scale = {
        background: hex(vars['editor-background']),
        positive: hex(vars['charts-blue']),
        negative: hex(vars['charts-orange']),
      };
      const heatmaps = await heatmapPixels(page, scale);
      assert.equal(heatmaps.length, 4, 'x, W¹/∂W¹, a¹ or δ¹, W²/∂W² blocks');
      for (const h of heatmaps) {
        assert.equal(
          h.offScale,
          null,
          `${h.label}: a pixel off the scale from the background to ${theme}'s blue or orange`,
        );
        assert.ok(h.full > 0, `${h.label}: the largest |value| at full colour`);
      }
      // The input (pixels in [0, 1]) is all blue; weights and gradients have both signs.
      assert.ok(
        heatmaps.every((h) => h.positive > 0) && heatmaps.some((h) => h.negative > 0),
        heatmaps.map((h) => `${h.label}: ${h.positive} blue, ${h.negative} orange`).join('; '),
      );
    });
  });
}

describe('panel: reduced motion', () => {
  it('turns transitions off when the user prefers reduced motion', async () => {
    const page = await openPanel({ theme: 'dark', reducedMotion: true });
    try {
      await loadFixture(page, 'problem1');
      const d = await page.$eval('.diagram .column', (e) => getComputedStyle(e).transitionDuration);
      assert.equal(d, '0s');
    } finally {
      await page.close();
    }
    const normal = await openPanel({ theme: 'dark' });
    try {
      await loadFixture(normal, 'problem1');
      assert.notEqual(await normal.$eval('.diagram .column', (e) => getComputedStyle(e).transitionDuration), '0s');
    } finally {
      await normal.close();
    }
  });
});
