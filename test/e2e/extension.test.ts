import { strict as assert } from 'node:assert';
import { plain, useWorkbench } from './workbench';

describe('workbench with Backprop Stepper', () => {
  const wb = useWorkbench();

  it('opens a model file with Quick Open', async () => {
    await wb().openFile('tiny.bp.yaml');
    const text = wb().page.locator('.editor-instance .view-lines', { hasText: 'name: tiny' });
    await text.waitFor();
    assert.match(plain(await text.innerText()), /^name: tiny$/m);
    assert.match(plain(await wb().page.locator('.tabs-container .tab.active').innerText()), /tiny\.bp\.yaml/);
    await wb().screenshot('model-file-open');
  });

  it('runs "Backprop: Show Version" from the command palette', async () => {
    await wb().runCommand('Backprop: Show Version');
    const text = await wb().notification(/Backprop Stepper \d+\.\d+\.\d+/);
    assert.match(text, /\(VS Code 1\.100\.3\)/);
    await wb().screenshot('show-version-notification');
  });

  it('logs to the "Backprop Stepper" output channel', async () => {
    await wb().runCommand('Backprop: Show Log');
    const text = await wb().outputContains('Backprop Stepper activated');
    // In the server's Node extension host here; test/e2e/web/ checks the web worker one.
    assert.match(text, /activated on VS Code 1\.100\.3, in the Node extension host/);
    await wb().screenshot('output-channel');
  });
});
