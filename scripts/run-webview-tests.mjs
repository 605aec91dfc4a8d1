// The trace panel's own tests: the BUILT panel (dist/webview.js + media + dist/webview) in
// headless Chromium, with a fake extension host posting recorded traces (test/webview/harness).
// No VS Code needed. Screenshots go to test-results/panel/.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Mocha from 'mocha';
import { build, ensureNodeModules } from './vscode/build.mjs';
import { parseScriptArgs } from './vscode/args.mjs';
import { REPO_ROOT } from './vscode/install.mjs';

const USAGE = `npm run test:webview [-- --no-build] [-- --grep P] [-- --report F]
  --no-build   skip the build (scripts/test.mjs has just built)
  --grep P     only tests whose full title matches P
  --report F   also write { passed, failed, pending } to F (for scripts/test.mjs)`;
const args = parseScriptArgs(USAGE, {
  'no-build': { type: 'boolean' },
  grep: { type: 'string' },
  report: { type: 'string' },
});
const chromium = process.env.BACKPROP_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `Chromium not found at ${chromium}: install it with\n  sudo apt-get install -y chromium\n(or set BACKPROP_CHROMIUM)`,
  );
  process.exit(2);
}

await ensureNodeModules();
if (!args['no-build']) await build();

const require = createRequire(import.meta.url);
const dir = join(REPO_ROOT, 'out', 'test', 'webview');
const helpers = require(join(dir, 'helpers.js'));
const mocha = new Mocha({
  timeout: 60_000,
  reporter: 'spec',
  grep: args.grep,
  rootHooks: { afterAll: () => helpers.closeBrowser() },
});
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith('.test.js'))
  .sort())
  mocha.addFile(join(dir, f));

const runner = mocha.run((failures) => {
  const { passes, pending } = runner.stats;
  if (args.report) writeFileSync(args.report, JSON.stringify({ passed: passes, failed: failures, pending }) + '\n');
  process.exitCode = failures ? 1 : 0;
});
