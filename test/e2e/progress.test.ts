/**
 * A long run as a user meets it: Check Gradients on a model big enough to take seconds runs in
 * the worker thread behind a progress notification, and its Cancel button stops it (the worker
 * is terminated, no report opens, the log says so).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { plain, useWorkbench, Workbench } from './workbench';

/** 200 examples of 100 inputs into 200-200-1 tanh/sigmoid layers: ~60,000 parameters, ~5 ms per loss evaluation. */
function bigModel(): string {
  const N = 200,
    nIn = 100;
  const rows = Array.from(
    { length: N },
    (_, n) => `[${Array.from({ length: nIn }, (_, j) => (((n * 7 + j * 13) % 17) / 16 - 0.5).toFixed(3)).join(', ')}]`,
  );
  return [
    '# Big enough that the gradient check (2,000 sampled parameters, 2 passes each) takes seconds.',
    'name: big',
    'seed: 1',
    `input: [${rows.join(',\n  ')}]`,
    `target: [${Array.from({ length: N }, (_, n) => n % 2).join(', ')}]`,
    'layers:',
    '  - units: 200',
    '    init: xavier_normal',
    '    activation: tanh',
    '  - units: 200',
    '    init: xavier_normal',
    '    activation: tanh',
    '  - units: 1',
    '    init: xavier_normal',
    '    activation: sigmoid',
    'loss: binary_cross_entropy',
    'optimizer: {type: sgd, lr: 0.1}',
    '',
  ].join('\n');
}

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
