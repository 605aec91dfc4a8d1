/**
 * The extension's contributed theme colours (package.json contributes.colors) reach the trace
 * panel: VS Code defines --vscode-backprop-* in the webview, and the panel's own --bp-* colours
 * resolve to them, so a theme or workbench.colorCustomizations can re-colour the panel.
 */
import { strict as assert } from 'node:assert';
import { useWorkbench } from './workbench';

describe('contributed theme colours', () => {
  const wb = useWorkbench();

  it('are defined in the panel and drive its colours', async () => {
    await wb().openFile('problem1.bp.yaml');
    await wb().editor().locator('.squiggly-error').first().waitFor();
    await wb().runCommand('Backprop: Open Trace Panel');
    const panel = await wb().findWebviewFrame('#app[data-event]');
    const vars = await panel.evaluate(() => {
      const root = getComputedStyle(document.documentElement);
      const ids = ['positiveValue', 'negativeValue', 'increase', 'decrease', 'wrongValue'];
      const probe = document.createElement('div');
      document.body.appendChild(probe);
      const resolve = (v: string) => {
        probe.style.color = `var(${v})`;
        return getComputedStyle(probe).color;
      };
      const out = ids.map((id) => ({ id, contributed: root.getPropertyValue(`--vscode-backprop-${id}`).trim() }));
      const pairs = [
        ['--bp-positive', 'positiveValue'],
        ['--bp-negative', 'negativeValue'],
        ['--bp-up', 'increase'],
        ['--bp-down', 'decrease'],
        ['--bp-invalid', 'wrongValue'],
      ].map(([bp, id]) => ({ bp, panel: resolve(bp), contributed: resolve(`--vscode-backprop-${id}`) }));
      probe.remove();
      return { out, pairs };
    });
    for (const v of vars.out)
      assert.match(
        v.contributed,
        /^#[0-9a-f]{6,8}$/i,
        `--vscode-backprop-${v.id} is defined (${v.contributed || 'missing'})`,
      );
    for (const p of vars.pairs) assert.equal(p.panel, p.contributed, `${p.bp} resolves to the contributed colour`);
  });
});
