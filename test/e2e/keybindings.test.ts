/**
 * The extension's default keybindings, pressed as a user would in the real workbench. Ctrl+K V
 * (Markdown's "preview to the side" chord) opens the trace panel from a model file; it must not
 * shadow a workbench default (an earlier Ctrl+Alt+B did: Toggle Secondary Side Bar).
 */
import { strict as assert } from 'node:assert';
import { useWorkbench } from './workbench';

describe('keybindings', () => {
  const wb = useWorkbench();

  it('Ctrl+K V in a model file opens the trace panel beside it', async () => {
    await wb().openFile('problem1.bp.yaml');
    await wb().editor().locator('.squiggly-error').first().waitFor();
    await wb().editor().locator('.view-lines').click();
    await wb().page.keyboard.press('Control+K');
    await wb().page.keyboard.press('V');
    const panel = await wb().findWebviewFrame('#app[data-event="1:forward:1"]');
    assert.equal(await panel.locator('header h1').innerText(), 'worked problem 1');
    await wb().page.locator('.tabs-container .tab', { hasText: 'Trace: problem1.bp.yaml' }).waitFor();
  });
});
