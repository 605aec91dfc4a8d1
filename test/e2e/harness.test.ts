// Checks of the e2e helpers themselves, on VS Code's built-in features (settings hover, Markdown
// preview webview), so that feature tests can rely on hoverText() and findWebviewFrame().
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useWorkbench, Workbench } from './workbench';

describe('e2e harness', () => {
  const wb = useWorkbench();

  before(() => {
    const ws = Workbench.workspace;
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    // A wrong type on purpose: its warning shows when the settings schema has loaded (and VS Code
    // ignores the value). The file exists only to be hovered.
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), '{\n  "editor.tabSize": "four"\n}\n');
    fs.writeFileSync(path.join(ws, 'notes.md'), '# Harness notes\n\nA webview test page.\n');
  });

  after(() => {
    // The workspace is shared with the other e2e files: leave it as it was.
    fs.rmSync(path.join(Workbench.workspace, '.vscode'), { recursive: true, force: true });
    fs.rmSync(path.join(Workbench.workspace, 'notes.md'), { force: true });
  });

  it('hoverText() reads a hover', async () => {
    await wb().openFile('.vscode/settings.json');
    // The squiggle under "four" means the JSON server has the settings schema: hovers will work.
    await wb().editor().locator('.squiggly-warning, .squiggly-error').first().waitFor();
    // Line 2, column 6 is inside "editor.tabSize"; the settings schema describes it.
    const text = await wb().hoverText(2, 6, /tab/i);
    assert.match(text, /tab/i);
  });

  it('findWebviewFrame() finds a webview document', async () => {
    await wb().openFile('notes.md');
    await wb().runCommand('Markdown: Open Preview to the Side');
    const frame = await wb().findWebviewFrame('h1');
    assert.equal((await frame.locator('h1').innerText()).trim(), 'Harness notes');
    await wb().screenshot('harness-webview');
  });
});
