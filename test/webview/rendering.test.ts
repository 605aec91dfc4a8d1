// The built panel in headless Chromium, fed by the fake host with recorded traces of the seed
// examples. Numbers come from the lecture notes' worked problems (examples/*.bp.yaml comments and
// test/unit/engine/seed-problems.test.ts), never from the panel itself.
import assert from 'node:assert/strict';
import { Page } from 'playwright-core';
import {
  closeCleanPage,
  currentEvent,
  hostRecord,
  host,
  loadFixture,
  matrixValues,
  openPanel,
  pageErrors,
  press,
  until,
} from './helpers';

function close(actual: number[][], expected: number[][], what: string, tol = 1e-9): void {
  assert.equal(actual.length, expected.length, `${what}: rows`);
  expected.forEach((row, i) =>
    row.forEach((x, j) =>
      assert.ok(Math.abs(actual[i][j] - x) <= tol, `${what}[${i}][${j}] = ${actual[i][j]}, expected ${x}`),
    ),
  );
}

/** The first drawn matrix of that name as it appears on screen, row by row (data-i, data-j: displayed position). */
async function displayed(page: Page, name: string): Promise<number[][]> {
  return page.$eval(`.shown figure.matrix[data-name="${name}"]`, (figure) => {
    const out: number[][] = [];
    for (const c of figure.querySelectorAll<HTMLElement>('[data-i]'))
      (out[Number(c.dataset.i)] ??= [])[Number(c.dataset.j)] = Number(c.dataset.value);
    return out;
  });
}

async function equationTexts(page: Page): Promise<string[]> {
  return page.$$eval('.shown .eq-line', (els) => els.map((e) => (e as HTMLElement).dataset.text ?? ''));
}

describe('panel: each event of problem 1 (2-3-2 identity, half_sse, SGD 0.01)', function () {
  let page: Page;
  before(async () => {
    page = await openPanel({ theme: 'dark' });
    await loadFixture(page, 'problem1');
  });
  after(() => closeCleanPage(page));

  it('forward 1: z¹ = W¹x + b¹ = (0, 8, 1), typeset by KaTeX with symbols then numbers', async () => {
    assert.equal(await currentEvent(page), '1:forward:1');
    assert.equal(await page.textContent('#event-title'), 'Forward, layer 1');
    close(await matrixValues(page, 'z1'), [[0, 8, 1]], 'z¹');
    close(
      await matrixValues(page, 'W1'),
      [
        [1, -2],
        [2, 4],
        [-3, 1],
      ],
      'W¹',
    );
    const lines = await equationTexts(page);
    assert.match(lines[0], /^z¹ = W¹ a⁰ \+ b¹ = .* = \(0, 8, 1\)$/);
    assert.ok((await page.$$eval('.shown .eq-line .katex-html', (e) => e.length)) >= 2, 'KaTeX output');
    // Screen readers get the line as text (KaTeX's visual output is hidden from them).
    assert.equal(await page.getAttribute('.shown .eq-line', 'role'), 'img');
    assert.match((await page.getAttribute('.shown .eq-line', 'aria-label')) ?? '', /= \(0, 8, 1\)$/);
  });

  it('forward 2: z² = (15, −4), and the diagram shows a² on the units', async () => {
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#app[data-event="1:forward:2"]');
    close(await matrixValues(page, 'z2'), [[15, -4]], 'z²');
    close(await matrixValues(page, 'a2'), [[15, -4]], 'a²');
    const units = await page.$$eval('.column[data-layer="2"] .unit text', (t) => t.map((x) => x.textContent));
    assert.deepEqual(units, ['15', '-4']);
  });

  it('loss: L = ½((15 − 2)² + (−4 − 3)²) = 109, ∂L/∂a² = (13, −7)', async () => {
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#app[data-event="1:loss:0"]');
    close(await matrixValues(page, 'L'), [[109]], 'L');
    close(await matrixValues(page, 'dA2'), [[13, -7]], '∂L/∂a²');
    assert.match((await page.textContent('.diagram .loss-value')) ?? '', /L = 109/);
  });

  it("backward 2 and 1: δ² = (13, −7), δ¹ = (W²)ᵀδ² ⊙ σ'(z¹) = (−1, 33, −60), ∂L/∂W¹ = δ¹xᵀ", async () => {
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#app[data-event="1:backward:2"]');
    close(await matrixValues(page, 'delta2'), [[13, -7]], 'δ²');
    close(
      await matrixValues(page, 'dW2'),
      [
        [0, 104, 13],
        [0, -56, -7],
      ],
      '∂L/∂W²',
    );
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#app[data-event="1:backward:1"]');
    close(await matrixValues(page, 'delta1'), [[-1, 33, -60]], 'δ¹');
    close(
      await matrixValues(page, 'dW1'),
      [
        [-1, -1],
        [33, 33],
        [-60, -60],
      ],
      '∂L/∂W¹',
    );
    const lines = await equationTexts(page);
    assert.match(lines[0], /^δ¹ = \(W²\)ᵀ δ² ⊙ σ'\(z¹\) = .* = \(-1, 33, -60\)$/);
    assert.match(lines.at(-1)!, /∂L\/∂x = \(W¹\)ᵀ δ¹ = \(245, 74\)$/);
    // The backward pass colours the edges by ∂L/∂W.
    assert.match(await page.$eval('.edge-layer[data-layer="1"] line.w title', (t) => t.textContent ?? ''), /^∂L\/∂W¹/);
  });

  it('gradient check of a backward layer, when the host has one', async () => {
    // problem1gc is the same file analysed with the gradient check (the host runs one for small networks).
    await loadFixture(page, 'problem1gc', { index: 4 });
    assert.equal(await currentEvent(page), '1:backward:1');
    const rows = await page.$$eval('.shown .gradcheck-table tbody tr', (r) => r.map((x) => x.className));
    assert.equal(rows.length, 9, 'W¹ (6) and b¹ (3)');
    assert.ok(rows.every((c) => c === 'ok'));
  });

  it("update 1: b¹' written with two numbers for three units is reported at the update", async () => {
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#app[data-event="1:update:1"]');
    const bad = await page.$$eval('.shown .checks li.bad', (li) => li.map((x) => x.textContent ?? ''));
    assert.equal(bad.length, 1);
    assert.match(bad[0], /b¹' has 3 entries, you wrote 2/);
  });

  it("update 2: W², ∂L/∂W², W²' side by side; W²' row 2 = (2, −0.44, 3.07), the notes' −0.94 marked wrong", async () => {
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#app[data-event="1:update:2"]');
    const names = await page.$$eval('.shown .operand-line:first-child figure.matrix', (f) =>
      f.map((x) => (x as HTMLElement).dataset.name),
    );
    assert.deepEqual(names, ['W2', 'dW2', 'W2_next']);
    const next = await matrixValues(page, 'W2_next');
    close(
      next,
      [
        [1, 0.96, -3.13],
        [2, -0.44, 3.07],
      ],
      "W²'",
      1e-12,
    );
    const wrong = await page.$$eval('.shown figure[data-name="W2_next"] .cell.wrong', (c) =>
      c.map((x) => `${(x as HTMLElement).dataset.r},${(x as HTMLElement).dataset.c}`),
    );
    assert.deepEqual(wrong, ['1,1']);
    // Changes coloured: 0.96 fell from 2, −0.44 rose from −1, 2 did not change.
    const cls = (r: number, c: number) =>
      page.$eval(`.shown figure[data-name="W2_next"] .cell[data-r="${r}"][data-c="${c}"]`, (e) => e.className);
    assert.match(await cls(0, 1), /\bdown\b/);
    assert.match(await cls(1, 1), /\bup\b/);
    assert.doesNotMatch(await cls(1, 0), /\b(up|down)\b/);
    // The timeline marks the events with wrong values.
    const marked = await page.$$eval('.chip.bad', (c) => c.map((x) => x.getAttribute('aria-label')));
    assert.deepEqual(marked, [
      'Update, layer 1, a value differs from yours',
      'Update, layer 2, a value differs from yours',
    ]);
  });
});

describe('panel: other shapes of network', () => {
  let page: Page;
  beforeEach(async () => {
    page = await openPanel({ theme: 'dark' });
  });
  afterEach(async () => {
    if (!page) return;
    assert.deepEqual((await hostRecord(page)).cspViolations, []);
    await page.close();
  });

  it('gradient check at a kink: not a failure, and says where (relu with z¹[1] = z¹[3] = 0)', async () => {
    await loadFixture(page, 'reluAtZero', { index: 4 });
    assert.equal(await currentEvent(page), '1:backward:1');
    const rows = await page.$$eval('.shown .gradcheck-table tbody tr', (r) =>
      r.map((x) => [x.className, x.querySelector('td:last-child .codicon')?.getAttribute('aria-label') ?? '']),
    );
    assert.equal(rows.length, 9);
    assert.equal(rows.filter(([c]) => c === 'bad').length, 0);
    assert.deepEqual(
      rows.filter(([c]) => c === 'kink').map(([, label]) => label),
      [
        "not differentiable here (z¹[1] = 0: relu's kink)",
        "not differentiable here (z¹[1] = 0: relu's kink)",
        "not differentiable here (z¹[3] = 0: relu's kink)",
        "not differentiable here (z¹[3] = 0: relu's kink)",
        "not differentiable here (z¹[1] = 0: relu's kink)",
        "not differentiable here (z¹[3] = 0: relu's kink)",
      ],
    );
    assert.match(
      (await page.textContent('.shown .gradcheck .sub')) ?? '',
      /^3 of 9 agree with the central difference \(ε = 0\.0001\); 6 not differentiable there \(a kink\)\.$/,
    );
  });

  it('problem 3: a batch of three drawn as columns, with an example picker; the z³ slip marked at example 1', async () => {
    await loadFixture(page, 'problem3', { index: 2 });
    assert.equal(await currentEvent(page), '1:forward:3');
    // z³ = (37, −11, 21): one entry per example, as [example][unit].
    close(await matrixValues(page, 'z3'), [[37], [-11], [21]], 'z³');
    assert.deepEqual(
      await page.$$eval('.shown figure[data-name="z3"] .cell.wrong', (c) => c.map((x) => (x as HTMLElement).dataset.r)),
      ['0'],
    );
    assert.equal(
      await page.$eval('.shown figure[data-name="z3"] figcaption .shape', (e) => e.textContent),
      '1×3',
      'units × examples (out_in)',
    );
    assert.equal(await page.isVisible('#example-picker'), true);
  });

  it('xor (batch_layout: rows): x, z, a and δ drawn with one row per example, as the file writes them', async () => {
    await loadFixture(page, 'xor');
    // examples/xor.bp.yaml: input: [[0, 0], [0, 1], [1, 0], [1, 1]] — four examples as rows.
    assert.deepEqual(await displayed(page, 'x'), [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    for (const name of ['z1', 'a1']) {
      const shown = await displayed(page, name);
      assert.deepEqual([shown.length, shown[0].length], [4, 2], `${name}: 4 examples × 2 units`);
      assert.deepEqual(shown, await matrixValues(page, name), `${name}: row i is example i`);
    }
    assert.equal(
      await page.getAttribute('.shown figure[data-name="x"] [role="grid"]', 'aria-label'),
      'x, 4×2 (examples × units)',
    );
    await press(page, 'ArrowRight', '1:forward:2');
    await press(page, 'ArrowRight', '1:loss:0');
    // target: [0, 1, 1, 0] — one output unit, a number per example: a column of four.
    assert.deepEqual(await displayed(page, 't'), [[0], [1], [1], [0]]);
    await press(page, 'ArrowRight', '1:backward:2');
    const d2 = await displayed(page, 'delta2');
    assert.deepEqual([d2.length, d2[0].length], [4, 1], 'δ² 4 examples × 1 unit');
  });

  it('classifier (in_out, softmax + cross-entropy, momentum, 5 steps): loss curve, step picker, δ from a − t', async () => {
    await loadFixture(page, 'classifier', { index: 10 });
    // 2 layers: 7 events per step; index 10 is step 2, backward 2.
    assert.equal(await currentEvent(page), '2:backward:2');
    assert.ok(await page.$('figure.loss-chart svg path.curve'), 'loss chart');
    const lines = await page.$$eval('.shown .eq-line', (els) => els.map((e) => (e as HTMLElement).dataset.text ?? ''));
    assert.match(lines[0], /^δ² = \(a² − t\) \/ N/);
    assert.equal(
      await page.$eval('.shown figure[data-name="W2"] figcaption .shape', (e) => e.textContent).catch(() => null),
      null,
      'no W² operand at the fused output',
    );
  });

  it('a diverging run: each warning at the event where it arises, the run marked as stopped', async () => {
    // SGD with lr 1 on 3s: ‖∂L/∂W‖ explodes at step 2 (backward), the loss is ∞ at step 5.
    await loadFixture(page, 'diverging');
    assert.match((await page.textContent('header .stopped')) ?? '', /stopped at step 5/);
    await page.keyboard.press('End');
    await page.waitForSelector('#app[data-event="5:update:2"]:not(.loading)');
    assert.deepEqual(await page.$$eval('.chip.bad, .chip.warn', (c) => c.map((x) => x.getAttribute('aria-label'))), [
      'Loss, numeric warning',
    ]);
    await page.click('.chip.warn');
    await page.waitForSelector('#app[data-event="5:loss:0"]:not(.loading)');
    assert.match((await page.textContent('.shown .warning.error')) ?? '', /loss became Infinity at step 5/);
    await page.evaluate(() => {
      const picker = document.getElementById('step-picker') as HTMLElement & { value: string };
      picker.value = '2';
      picker.dispatchEvent(new Event('change'));
    });
    await page.waitForSelector('#app[data-event="2:loss:0"]:not(.loading)');
    await page.click('.chip.backward[data-offset="3"]');
    await page.waitForSelector('#app[data-event="2:backward:2"]:not(.loading)');
    assert.match((await page.textContent('.shown .warning')) ?? '', /‖∂L\/∂W²‖ = 1.94e\+10 at step 2 exceeds 1e\+6/);
  });

  it('1500 steps (Train N Steps…): a step field instead of a 1500-option dropdown, the loss curve thinned', async () => {
    await loadFixture(page, 'xorLong');
    assert.equal(await page.isVisible('#step-picker'), false);
    assert.equal(await page.isVisible('#step-field'), true);
    // One lowest–highest segment per pixel column at most, not one per step.
    const segments = await page.$eval(
      'figure.loss-chart path.curve',
      (p) => (p.getAttribute('d') ?? '').split(/[ML]/).length,
    );
    const width = await page.$eval('svg.loss-plot', (p) => p.getBoundingClientRect().width);
    assert.ok(segments <= width + 2, `${segments} segments drawn, ${width} px wide`);
    await press(page, 'ArrowRight', '1:forward:2');
    await page.fill('#step-field', '1234');
    await page.press('#step-field', 'Enter');
    await page.waitForSelector('#app[data-event="1234:forward:2"]:not(.loading)');
    assert.equal(await page.textContent('.shown .event-title'), 'Forward, layer 2 · step 1234');
  });

  it('784-128-10: wide layers as heatmaps, virtualised matrices (only the visible cells exist)', async () => {
    await loadFixture(page, 'mnist', { index: 5 });
    assert.equal(await currentEvent(page), '1:update:1');
    assert.equal(await page.$$eval('.diagram canvas.heat', (c) => c.length), 4, 'x, W¹/∂W¹, a¹ or δ¹, W²/∂W² blocks');
    const heat = await page.$eval('.edge-layer[data-layer="1"] canvas', (c) => [
      (c as HTMLCanvasElement).width,
      (c as HTMLCanvasElement).height,
    ]);
    assert.deepEqual(heat, [784, 128]);
    const cells = await page.$$eval('.shown figure[data-name="W1_next"] [data-r]', (c) => c.length);
    assert.ok(cells > 0 && cells < 200, `${cells} cells drawn of 100352`);
    assert.equal(
      await page.$eval('.shown figure[data-name="W1_next"] [role="grid"]', (g) => g.getAttribute('aria-rowcount')),
      '128',
    );
  });

  it("a file that cannot run: the host's message instead of a trace; malformed messages are ignored", async () => {
    await loadFixture(page, 'problem1');
    await host(page, 'post', { type: 'position', revision: 1, index: 'three' });
    await host(page, 'post', { type: 'load', doc: {} });
    const ignored = () => pageErrors(page).filter((e) => /ignored a malformed message/.test(e));
    await until(() => ignored().length === 2, 'the panel to report both malformed messages');
    assert.match(ignored()[0], /message\.index: expected an integer ≥ 0/);
    assert.match(ignored()[1], /message\.doc\.revision: missing/);
    assert.equal(await currentEvent(page), '1:forward:1', 'nothing half-applied');
    await host(page, 'unavailable', 'broken.bp.yaml has 2 errors (see Problems)');
    await page.waitForSelector('#app.empty');
    assert.match((await page.textContent('#message')) ?? '', /has 2 errors/);
  });
});
