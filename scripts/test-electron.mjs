// npm run test:electron — the same integration suite under @vscode/test-electron, for machines
// that can download VS Code (this project's own machines cannot: use npm run test:integration).
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { main } from './vscode/processes.mjs';
import { REPO_ROOT } from './vscode/install.mjs';
import { ensureNodeModules, build } from './vscode/build.mjs';
import { parseScriptArgs } from './vscode/args.mjs';

const USAGE = `npm run test:electron [-- --grep P] [-- --version V]
  --grep P     only tests whose full title matches P
  --version V  the VS Code version to download (default: stable)`;

main(async () => {
  const args = parseScriptArgs(USAGE, { grep: { type: 'string' }, version: { type: 'string' } });
  await ensureNodeModules();
  await build();
  const code = await runTests({
    version: args.version,
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [join(REPO_ROOT, 'test', 'fixtures', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { BACKPROP_TEST_MODE: 'dev', ...(args.grep ? { BACKPROP_TEST_GREP: args.grep } : {}) },
  });
  return code;
});
