/**
 * Long runs as a user meets them: Check Gradients on a model big enough to take seconds runs in
 * the worker thread behind a progress notification, and its Cancel button stops it (the worker
 * is terminated, no report opens, the log says so). Train 100,000 steps of a 784-128-10 network
 * shows its time estimate first, fills the panel's loss chart in live, and Cancel halfway keeps
 * the steps done: step 40,000 opens in the panel with the numbers of an uninterrupted run (the
 * CLI's, run to that step on its own).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { matrixValues } from '../webview/helpers';
import { bigModel, mnistModel } from './models';
import { plain, useWorkbench, Workbench } from './workbench';

const REPO = path.resolve(__dirname, '..', '..', '..');

describe('long runs in the workbench', () => {
  const wb = useWorkbench();

  before(() => {
    fs.writeFileSync(path.join(Workbench.workspace, 'big.bp.yaml'), bigModel());
    fs.writeFileSync(path.join(Workbench.workspace, 'mnist.bp.yaml'), mnistModel());
  });

  it('Check Gradients shows its progress in a notification, and Cancel stops it', async () => {
    await wb().openFile('big.bp.yaml');
    // The CodeLens appears once the model has been analysed (below the fold: attached, not visible).
    await wb().editor().locator('.codelens-decoration', { hasText: 'Layer 1:' }).waitFor({ state: 'attached' });
    await wb().runCommand('Backprop: Check Gradients');
    const toast = wb().page.locator('.notification-toast', { hasText: 'Backprop: big.bp.yaml' }).first();
    await toast.locator(':text-matches("gradient check: \\\\d+ of 2000 parameters")').first().waitFor();
    assert.match(plain(await toast.innerText()), /gradient check: \d+ of 2000 parameters/);
    await wb().screenshot('gradient-check-progress');
    await toast.getByRole('button', { name: 'Cancel' }).click();
    await toast.waitFor({ state: 'hidden' });
    await wb().runCommand('Backprop: Show Log');
    assert.match(
      await wb().outputContains('worker run cancelled by the user'),
      /big\.bp\.yaml: worker run cancelled by the user/,
    );
    // No report was opened: the model file is still the only editor.
    assert.deepEqual(
      await wb()
        .page.locator('.tabs-container .tab')
        .allInnerTexts()
        .then((t) => t.map((x) => plain(x).trim())),
      ['big.bp.yaml'],
    );
  });

  it('Train 100,000 steps of 784-128-10: an estimate first, Cancel halfway keeps the steps, step 40,000 opens in the panel', async function () {
    // About 40,000 steps here, and as many for the reference alongside: up to a minute or two on a busy machine.
    this.timeout(240_000);
    // The uninterrupted run of the same file to step 40,000, from the CLI, on the other core meanwhile.
    const reference = new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          path.join(REPO, 'dist', 'cli.js'),
          'trace',
          path.join(Workbench.workspace, 'mnist.bp.yaml'),
          '--steps',
          '40000',
          '--only-steps',
          '40000',
          '--format',
          'ndjson',
        ],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
        (err, stdout) => (err ? reject(new Error(`the reference run failed: ${err.message}`)) : resolve(stdout)),
      ),
    );
    await wb().openFile('mnist.bp.yaml');
    await wb().editor().locator('.codelens-decoration', { hasText: 'Layer 1:' }).waitFor({ state: 'attached' });
    await wb().runCommand('Backprop: Train N Steps…');
    const input = wb().page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('100000');
    // The estimate, before anything runs (Escape here would cancel).
    const estimate = wb().page.locator('.quick-input-widget .quick-input-message', { hasText: /^About / });
    await estimate.waitFor();
    assert.match(plain(await estimate.innerText()), /^About .+ \(.+ ms a step here\)/);
    await wb().page.keyboard.press('Enter');
    // The panel, open while it trains: its loss chart fills in live.
    await wb().runCommand('Backprop: Open Trace Panel');
    const panel = await wb().findWebviewFrame('#app');
    await panel.locator('.live-slot figure.loss-chart.live path.curve').waitFor({ timeout: 60_000 });
    const toast = wb().page.locator('.notification-toast', { hasText: 'Backprop: mnist.bp.yaml' }).first();
    const done = async () =>
      Number(/step ([\d,]+) of 100,000/.exec(plain(await toast.innerText()))?.[1].replace(/,/g, '') ?? 0);
    const deadline = Date.now() + 120_000;
    while ((await done()) < 40_500) {
      assert.ok(Date.now() < deadline, 'the run reaches step 40,500 within two minutes');
      await wb().page.waitForTimeout(250);
    }
    assert.match(plain(await toast.innerText()), /about .* left/);
    await wb().screenshot('train-100000-progress');
    await toast.getByRole('button', { name: 'Cancel' }).click();
    const kept = await wb().notification(/Backprop: [\d,]+ steps, loss .* \(cancelled after \d+ steps\)/);
    const n = Number(/cancelled after (\d+) steps/.exec(kept)![1]);
    assert.ok(n >= 40_500 && n < 100_000, `${n} steps kept`);
    // The panel shows the kept run; its step field opens step 40,000.
    await panel
      .locator(`.timeline figure.loss-chart .loss-title:text-matches("^Loss over ${n.toLocaleString('en-US')} steps")`)
      .waitFor();
    await panel.locator('#step-field').fill('40000');
    await panel.locator('#step-field').press('Enter');
    await panel.locator('#app[data-event="40000:forward:1"]:not(.loading) .detail .shown h2').waitFor();
    await panel.locator('.chip.loss').click();
    await panel.locator('#app[data-event="40000:loss:0"]:not(.loading) .detail .shown h2').waitFor();
    const L = (await matrixValues(panel, 'L'))[0][0];
    await wb().screenshot('train-100000-step-40000');
    const line = await reference;
    const cli = JSON.parse(line) as { step: number; loss: number; layers: { a: number[][] }[] };
    assert.equal(cli.step, 40_000);
    assert.ok(Math.abs(L - cli.loss) <= 1e-12 * Math.abs(cli.loss), `panel L = ${L}, CLI ${cli.loss}`);
    await panel.locator('.chip.forward[data-offset="1"]').click();
    await panel.locator('#app[data-event="40000:forward:2"]:not(.loading) .detail .shown h2').waitFor();
    const a2 = await matrixValues(panel, 'a2');
    cli.layers[1].a[0].forEach((x, j) =>
      assert.ok(Math.abs(a2[0][j] - x) <= 1e-12 * Math.max(1, Math.abs(x)), `a²[${j}] = ${a2[0][j]}, CLI ${x}`),
    );
  });
});
