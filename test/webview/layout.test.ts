// The panel at 500 px wide (a panel beside the editor on a laptop), issue 11: equations scroll or
// break between terms and are never clipped, the timeline's chips stay where they are at every
// event, the gradient-check names stay on one line, and the diagram's text stays legible.
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import { hostRecord, loadFixture, openPanel, pageErrors, screenshotPath } from './helpers';

const WIDTH = 500;

/** Moves the slider to event `i` and waits until it is drawn (typeset included). */
async function seek(page: Page, i: number): Promise<void> {
  await page.evaluate((k) => {
    const s = document.getElementById('slider') as HTMLInputElement;
    s.value = String(k);
    s.dispatchEvent(new Event('input'));
  }, i);
  await page.waitForSelector(`#app[data-index="${i}"]:not(.loading) .shown .equations[data-typeset="done"]`);
}

interface Frame {
  readonly event: string;
  /** Each chip's box, "x,y,w,h". */
  readonly chips: string;
  /** Equation lines whose content is taller than their box (clipped or given a vertical scrollbar). */
  readonly clipped: string[];
  /** Equation lines wider than the panel that cannot be scrolled sideways. */
  readonly unreachable: string[];
  /** KaTeX pieces broken across lines (a wrap inside a term). */
  readonly brokenTerms: number;
  /** Gradient-check parameter names that wrapped. */
  readonly wrappedNames: string[];
  /** Diagram text size in px as drawn (the SVG is scaled to the panel). */
  readonly diagramFontPx: number;
}

async function frame(page: Page): Promise<Frame> {
  return page.evaluate(() => {
    const shown = document.querySelector('.shown')!;
    const lines = [...shown.querySelectorAll<HTMLElement>('.eq-line')];
    const svg = document.querySelector<SVGSVGElement>('svg.diagram')!;
    const unitText = svg.querySelector('.unit text, .head-name')!;
    return {
      event: document.getElementById('app')!.dataset.event ?? '',
      chips: [...document.querySelectorAll('.chip')]
        .map((c) => {
          const b = c.getBoundingClientRect();
          return [b.x, b.y, b.width, b.height].map(Math.round).join(',');
        })
        .join(' '),
      clipped: lines.filter((l) => l.scrollHeight > l.clientHeight).map((l) => l.dataset.text ?? ''),
      unreachable: lines
        .filter((l) => l.scrollWidth > l.clientWidth && !/auto|scroll/.test(getComputedStyle(l).overflowX))
        .map((l) => l.dataset.text ?? ''),
      brokenTerms: [...shown.querySelectorAll('.katex .base')].filter((b) => b.getClientRects().length > 1).length,
      wrappedNames: [...shown.querySelectorAll<HTMLElement>('.gradcheck-table th[scope="row"]')]
        .filter((th) => {
          const line = parseFloat(getComputedStyle(th).lineHeight) || 20;
          return th.getBoundingClientRect().height > 1.6 * line;
        })
        .map((th) => th.textContent ?? ''),
      diagramFontPx:
        parseFloat(getComputedStyle(unitText).fontSize) *
        (svg.getBoundingClientRect().width / svg.viewBox.baseVal.width),
    };
  });
}

for (const [fixture, layers] of [
  ['classifier', 2],
  ['problem1gc', 2],
  ['problem3', 3],
  ['mnist', 2],
] as const) {
  describe(`panel at ${WIDTH} px: ${fixture}`, () => {
    let page: Page;
    before(async () => {
      page = await openPanel({ theme: 'dark', width: WIDTH, height: 900 });
      await loadFixture(page, fixture);
    });
    after(async () => {
      if (!page) return;
      assert.deepEqual(pageErrors(page), []);
      assert.deepEqual((await hostRecord(page)).cspViolations, []);
      await page.close();
    });

    it('every event of the first two steps: equations reachable and unclipped, chips still, names on one line', async () => {
      const perStep = 3 * layers + 1;
      const total = Number(await page.getAttribute('#slider', 'max')) + 1;
      const frames: Frame[] = [];
      for (let i = 0; i < Math.min(total, 2 * perStep); i++) {
        await seek(page, i);
        frames.push(await frame(page));
        if (frames.at(-1)!.event.endsWith('backward:1'))
          await page.screenshot({ path: screenshotPath(`${fixture}-${WIDTH}px-backward1.png`), fullPage: true });
      }
      for (const f of frames) {
        assert.deepEqual(f.clipped, [], `${f.event}: equation lines clipped vertically`);
        assert.deepEqual(f.unreachable, [], `${f.event}: equation lines wider than the panel, not scrollable`);
        assert.equal(f.brokenTerms, 0, `${f.event}: a term of an equation wrapped`);
        assert.deepEqual(f.wrappedNames, [], `${f.event}: gradient-check names wrapped`);
        assert.equal(f.chips, frames[0].chips, `${f.event}: the timeline's chips moved`);
        assert.ok(f.diagramFontPx >= 9.5, `${f.event}: diagram text drawn at ${f.diagramFontPx.toFixed(1)} px`);
      }
    });
  });
}

describe(`panel at ${WIDTH} px: a large equation not typeset yet`, () => {
  it('shows its text form on one scrollable line, never wrapped inside a number', async () => {
    const page = await openPanel({ theme: 'dark', width: WIDTH, height: 900 });
    try {
      // Typesetting a 784-128-10 event is deferred past the first paint (webview/equations.ts):
      // hold it, so the text form is what is on screen.
      await page.evaluate(() => {
        window.requestAnimationFrame = () => 0;
      });
      await page.evaluate(() =>
        // Backward 1 of 784-128-10: its first line is over the size typeset at once.
        (window as unknown as { harness: { load(n: string, o: unknown): void } }).harness.load('mnist', { index: 4 }),
      );
      await page.waitForSelector('.shown .equations[data-typeset="pending"]');
      const lines = await page.$$eval('.shown .equations[data-typeset="pending"] .eq-line', (ls) =>
        ls.map((l) => ({
          rects: (() => {
            const r = document.createRange();
            r.selectNodeContents(l);
            return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
          })(),
          scrolls: /auto|scroll/.test(getComputedStyle(l).overflowX),
        })),
      );
      assert.ok(lines.length > 0);
      for (const l of lines) {
        assert.equal(l.rects, 1, 'the text form stays on one line');
        assert.ok(l.scrolls, 'and scrolls sideways');
      }
    } finally {
      await page.close();
    }
  });
});
