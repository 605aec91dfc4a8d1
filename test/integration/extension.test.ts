import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { closeAllEditors, extension, openFixture, readText, waitFor } from './helpers';
import { deps } from './editorHelpers';
import { HOST, testConfig } from './host';

interface CommandContribution {
  readonly command: string;
  readonly title: string;
  readonly category?: string;
}

describe('extension', () => {
  afterEach(closeAllEditors);

  it('runs in the expected VS Code', () => {
    console.log(`VS Code ${vscode.version}`);
    // The offline runner pins the version it installed; under @vscode/test-electron it is unset.
    const expected = testConfig().expectVSCodeVersion;
    if (expected) assert.equal(vscode.version, expected);
    else assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('runs in the extension host the runner chose, and the extension knows which', async () => {
    // Only the browser's web worker extension host has no `process`.
    const here = typeof process === 'undefined' ? 'webworker' : 'node';
    assert.equal(HOST, here);
    const { host } = testConfig();
    if (host) assert.equal(here, host, `the runner chose the ${host} host`);
    assert.equal((await deps()).platform.host, here);
  });

  it('activates when a .bp.yaml model file is opened', async () => {
    const editor = await openFixture('workspace/tiny.bp.yaml');
    assert.ok(editor.document.fileName.endsWith('tiny.bp.yaml'));
    await waitFor(() => extension().isActive, { message: 'the extension to activate' });
  });

  it('registers backprop.showVersion under the category Backprop', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('backprop.showVersion'), 'backprop.showVersion is not registered');
    const contributed = (extension().packageJSON.contributes?.commands ?? []) as CommandContribution[];
    const entry = contributed.find((c) => c.command === 'backprop.showVersion');
    assert.ok(entry, 'backprop.showVersion is not in contributes.commands');
    assert.equal(entry.category, 'Backprop');
  });

  it('backprop.showVersion says the version of package.json and of VS Code', async () => {
    await extension().activate();
    const manifest = await readText(vscode.Uri.joinPath(extension().extensionUri, 'package.json'));
    const version = JSON.parse(manifest).version as string;
    assert.match(version, /^\d+\.\d+\.\d+/);
    const shown = await vscode.commands.executeCommand<string>('backprop.showVersion');
    assert.equal(shown, `Backprop Stepper ${version} (VS Code ${vscode.version})`);
  });

  it('is the copy under test (development folder or installed .vsix)', () => {
    const where = extension().extensionUri.path;
    const { mode, repoRoot, extensionsDir } = testConfig();
    const repo = repoRoot && vscode.Uri.parse(repoRoot).path;
    if (mode === 'vsix') {
      assert.notEqual(where, repo, 'the development folder is active, not the installed .vsix');
      const dir = extensionsDir && vscode.Uri.parse(extensionsDir).path;
      if (dir) assert.ok(where.startsWith(`${dir}/`), `${where} is not inside ${dir}`);
    } else if (mode === 'dev') {
      assert.equal(where, repo);
    }
  });
});
