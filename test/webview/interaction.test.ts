// Stepping with the keyboard, focus and labels, the editor round trip (reveal, select, position)
// and exports — what the panel sends its host, checked against the protocol by the fake host.
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import { currentEvent, host, hostRecord, loadFixture, openPanel, press, sentMessages } from './helpers';

describe('panel: keyboard', () => {
  let page: Page;
  beforeEach(async () => {
    page = await openPanel({ theme: 'dark' });
    await loadFixture(page, 'problem1');
  });
  afterEach(async () => {
    if (!page) return;
    const rec = await hostRecord(page);
    assert.deepEqual(rec.invalid, []);
    assert.deepEqual(rec.cspViolations, []);
    await page.close();
  });

  it('→ ← End Home step through forward 1..2, loss, backward 2..1, update 1..2 and tell the host', async () => {
    const order = ['1:forward:2', '1:loss:0', '1:backward:2', '1:backward:1', '1:update:1', '1:update:2'];
    for (const e of order) await press(page, 'ArrowRight', e);
    await press(page, 'ArrowRight');
    assert.equal(await currentEvent(page), '1:update:2', 'stays at the last event');
    await press(page, 'ArrowLeft', '1:update:1');
    await press(page, 'Home', '1:forward:1');
    await press(page, 'End', '1:update:2');
    const moved = (await hostRecord(page)).sent.filter((m) => m.type === 'moved').map((m) => m.index);
    assert.deepEqual(moved, [1, 2, 3, 4, 5, 6, 5, 0, 6]);
  });

  it('Space plays one event per tick, pauses, and plays on to the end', async () => {
    // The page's timers run on Playwright's clock from here: time passes only when the test says,
    // so "nothing moves while paused" is checked without sleeping.
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 1000);
    const playLabel = () => page.getAttribute('#btn-play', 'aria-label');
    /** Moves the page's clock on in 100 ms ticks until the panel shows `event` (at most a minute of its time). */
    const tickUntil = async (event: string) => {
      for (let ms = 0; (await currentEvent(page)) !== event; ms += 100) {
        assert.ok(ms < 60_000, `still at ${await currentEvent(page)} after a minute of play, expected ${event}`);
        await page.clock.runFor(100);
      }
    };
    await page.keyboard.press(' ');
    assert.equal(await playLabel(), 'Pause (Space)');
    await tickUntil('1:forward:2');
    await page.keyboard.press(' ');
    assert.equal(await playLabel(), 'Play (Space)');
    await page.clock.runFor(60_000);
    assert.equal(await currentEvent(page), '1:forward:2', 'paused: a minute later, still there');
    await page.keyboard.press(' ');
    await tickUntil('1:update:2');
    await page.clock.runFor(60_000);
    assert.equal(await playLabel(), 'Play (Space)', 'stopped at the last event');
    const moved = (await hostRecord(page)).sent.filter((m) => m.type === 'moved').map((m) => m.index);
    assert.deepEqual(moved, [1, 2, 3, 4, 5, 6], 'one move per event, each told to the host');
  });

  it('every control is reachable with Tab, with a visible focus ring', async () => {
    await press(page, 'ArrowRight', '1:forward:2');
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const d = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const name = el.id || el.getAttribute('aria-label') || el.className.toString().split(' ')[0] || el.tagName;
        const style = getComputedStyle(el);
        // The toolkit's buttons draw their ring inside their shadow root.
        const ring = el.tagName.startsWith('VSCODE-')
          ? el.matches(':focus-within')
          : style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        return { name, ring };
      });
      if (!d) continue;
      assert.ok(d.ring, `no visible focus on ${d.name}`);
      seen.push(d.name);
    }
    for (const want of [
      'btn-first',
      'btn-previous',
      'btn-play',
      'btn-next',
      'btn-last',
      'slider',
      'export-markdown',
      'export-png',
      'Forward, layer 2',
      'Layer 1, identity · 3: show in the model file',
      'cell',
      'Loss, not computed yet: show in the model file',
    ]) {
      assert.ok(
        seen.some((s) => s === want || s.startsWith(want)),
        `Tab never reached ${want}; reached ${[...new Set(seen)].join(', ')}`,
      );
    }
  });

  it('arrows inside a matrix move between entries instead of stepping', async () => {
    await page.focus('.shown figure[data-name="W1"] .cell[tabindex="0"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement;
      return `${e.dataset.r},${e.dataset.c}:${e.textContent}`;
    });
    assert.equal(focused, '1,1:4', 'W¹[2][2] = 4');
    assert.equal(await currentEvent(page), '1:forward:1');
    await page.keyboard.press('Enter');
    const [reveal] = await sentMessages(page, 'reveal');
    assert.deepEqual(reveal.target, { kind: 'param', layer: 1, param: 'W', i: 1, j: 1 });
  });

  it('controls and values have screen-reader labels; the event is announced', async () => {
    for (const id of [
      'btn-first',
      'btn-previous',
      'btn-play',
      'btn-next',
      'btn-last',
      'slider',
      'step-picker',
      'example-picker',
    ]) {
      assert.ok(await page.getAttribute(`#${id}`, 'aria-label'), `#${id} has no aria-label`);
    }
    await press(page, 'ArrowRight', '1:forward:2');
    assert.equal(await page.getAttribute('#slider', 'aria-valuetext'), 'Forward, layer 2, event 2 of 7');
    assert.equal(await page.textContent('#announce'), 'Forward, layer 2');
    assert.deepEqual(
      await page.$$eval('.column[data-layer="2"] .unit', (u) => u.map((x) => x.getAttribute('aria-label'))),
      ['a² unit 1: 15', 'a² unit 2: -4'],
    );
    assert.equal(await page.getAttribute('.shown figure[data-name="z2"] [role="grid"]', 'aria-label'), 'z², 2×1');
  });
});

describe('panel: in step with the editor', () => {
  let page: Page;
  beforeEach(async () => {
    page = await openPanel({ theme: 'light' });
    await loadFixture(page, 'problem1');
  });
  afterEach(async () => {
    await page?.close();
  });

  it('follows the host\'s position (a step command, CodeLens "Step to here") without echoing it', async () => {
    await host(page, 'position', 4);
    await page.waitForSelector('#app[data-event="1:backward:1"]');
    assert.equal((await hostRecord(page)).sent.filter((m) => m.type === 'moved').length, 0);
  });

  it('selects the layer the editor\'s cursor is in, and focuses it for "Show in panel"', async () => {
    await host(page, 'selectLayer', 2, true);
    await page.waitForSelector('.column.selected[data-layer="2"]');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-head')), '2');
  });

  it('clicking a unit, a weight, the loss or an expect value asks the host to reveal it in the file', async () => {
    await page.click('.column[data-layer="1"] .unit[data-unit="1"]');
    await page.click('.edge-layer[data-layer="2"] line.w[data-i="1"][data-j="2"]', { force: true });
    await press(page, 'End', '1:update:2');
    await page.click('.diagram .loss rect');
    await page.click('.shown .checks li.bad button.link');
    const targets = (await sentMessages(page, 'reveal', 4)).map((m) => m.target);
    assert.deepEqual(targets.slice(0, 3), [
      { kind: 'layer', layer: 1 },
      { kind: 'param', layer: 2, param: 'W', i: 1, j: 2 },
      { kind: 'loss' },
    ]);
    assert.equal((targets[3] as { kind: string }).kind, 'check');
  });

  it('clicking an entry of a result selects its unit: the entries behind it are emphasised', async () => {
    await press(page, 'ArrowRight', '1:forward:2');
    await page.click('.shown figure[data-name="z2"] .cell[data-c="1"]');
    await page.waitForSelector('.shown figure[data-name="W2"] .cell.emph');
    const emph = await page.$$eval('.shown figure[data-name="W2"] .cell.emph', (c) => c.map((x) => x.textContent));
    assert.deepEqual(emph, ['2', '-1', '3'], 'row 2 of W² produces z²₂');
  });

  it('saves its position and selection, and restores them after a reload', async () => {
    await press(page, 'ArrowRight', '1:forward:2');
    await page.click('.shown figure[data-name="z2"] .cell[data-c="1"]');
    const saved = { uri: 'file:///work/examples/problem1.bp.yaml', index: 1, layer: 2, unit: 1, example: 0 };
    await page.waitForFunction(
      (want) =>
        JSON.stringify((window as unknown as { harness: { savedState: unknown } }).harness.savedState) ===
        JSON.stringify(want),
      saved,
    );
    const again = await openPanel({ theme: 'light', state: saved });
    try {
      const ready = (await hostRecord(again)).sent.find((m) => m.type === 'ready');
      assert.deepEqual(ready?.state, saved, 'the panel hands its saved state to the host on load');
      // The host restores the session's position and sends it back with the trace.
      await loadFixture(again, 'problem1', { index: 1 });
      assert.ok(await again.$('.column.selected[data-layer="2"] .unit.picked[data-unit="1"]'), 'selection restored');
    } finally {
      await again.close();
    }
  });

  it('exports the step as Markdown and LaTeX and the diagram as SVG and PNG through the host', async () => {
    for (const what of ['markdown', 'latex', 'svg', 'png']) {
      await page.click(`#export-${what}`);
      await page.waitForFunction(
        (w) => (document.getElementById('toast')?.textContent ?? '').includes(w),
        what === 'markdown' || what === 'latex' ? what : what,
      );
    }
    const sent = await page.evaluate(() =>
      (
        window as unknown as { harness: { sent: { type: string; format?: string; data?: unknown; step?: number }[] } }
      ).harness.sent
        .filter((m) => m.type.startsWith('export'))
        .map((m) => ({
          type: m.type,
          format: m.format,
          step: m.step,
          head:
            typeof m.data === 'string'
              ? m.data.slice(0, 40)
              : m.data instanceof Uint8Array
                ? Array.from(m.data.subarray(0, 4))
                : undefined,
        })),
    );
    assert.deepEqual(
      sent.map((m) => `${m.type}:${m.format}`),
      ['exportWorked:markdown', 'exportWorked:latex', 'exportImage:svg', 'exportImage:png'],
    );
    assert.equal(sent[0].step, 1);
    assert.match(String(sent[2].head), /^<svg/);
    assert.deepEqual(sent[3].head, [0x89, 0x50, 0x4e, 0x47], 'PNG signature');
  });
});
