import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, extension, openFixture, REPO_ROOT, waitFor } from './helpers';

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
    const expected = process.env.BACKPROP_EXPECT_VSCODE_VERSION;
    if (expected) assert.equal(vscode.version, expected);
    else assert.match(vscode.version, /^\d+\.\d+\.\d+/);
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
    const version = JSON.parse(fs.readFileSync(path.join(extension().extensionPath, 'package.json'), 'utf8'))
      .version as string;
    assert.match(version, /^\d+\.\d+\.\d+/);
    const shown = await vscode.commands.executeCommand<string>('backprop.showVersion');
    assert.equal(shown, `Backprop Stepper ${version} (VS Code ${vscode.version})`);
  });

  it('is the copy under test (development folder or installed .vsix)', () => {
    const where = path.resolve(extension().extensionPath);
    if (process.env.BACKPROP_TEST_MODE === 'vsix') {
      assert.notEqual(where, REPO_ROOT, 'the development folder is active, not the installed .vsix');
      const dir = process.env.BACKPROP_EXTENSIONS_DIR;
      if (dir) assert.ok(where.startsWith(path.resolve(dir) + path.sep), `${where} is not inside ${dir}`);
    } else if (process.env.BACKPROP_TEST_MODE === 'dev') {
      assert.equal(where, REPO_ROOT);
    }
  });
});
