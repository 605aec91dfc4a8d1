/**
 * A long run as a user meets it: Check Gradients on a model big enough to take seconds runs in
 * the worker thread behind a progress notification, and its Cancel button stops it (the worker
 * is terminated, no report opens, the log says so).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bigModel } from './models';
import { plain, useWorkbench, Workbench } from './workbench';

describe('long runs in the workbench', () => {
  const wb = useWorkbench();

  before(() => {
    fs.writeFileSync(path.join(Workbench.workspace, 'big.bp.yaml'), bigModel());
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
});
