// UI tests: VS Code's server with the extension under development and a scratch copy of
// test/fixtures/workspace, one headless Chromium (a playwright browser server), and mocha running
// out/test/e2e/**/*.test.js in this process. test/e2e/workbench.ts connects to that browser.
// Screenshots go to test-results/e2e/.
// With --web the extension runs in the browser's web worker extension host instead (the user
// setting remote.extensionKind), and the tests are out/test/e2e/web/ (screenshots in
// test-results/e2e-web/); without it, out/test/e2e/ except web/.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Mocha from 'mocha';
import { main, UserError } from './vscode/processes.mjs';
import { ensureVSCodeServer, REPO_ROOT } from './vscode/install.mjs';
import { makeDataDir, runInWebWorker, startServer, workbenchUrl } from './vscode/server.mjs';
import { launchBrowserServer } from './vscode/browser.mjs';
import { ensureNodeModules, build } from './vscode/build.mjs';
import { parseScriptArgs } from './vscode/args.mjs';

const USAGE = `npm run test:e2e [-- --web] [-- --grep P] [-- --no-build] [-- --report F]
  --web        the extension in the browser's web worker extension host (tests in test/e2e/web/)
  --grep P     only tests whose full title matches P
  --no-build   skip the build (scripts/test.mjs has just built)
  --report F   also write { suite, passed, failed, pending } to F (for scripts/test.mjs)`;

function testFiles(dir, skip) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return p === skip ? [] : testFiles(p, skip);
      return e.name.endsWith('.test.js') ? [p] : [];
    })
    .sort();
}

export async function runE2E({ grep, doBuild = true, web = false } = {}) {
  await ensureNodeModules();
  await ensureVSCodeServer();
  if (doBuild) await build();
  const tests = join(REPO_ROOT, 'out', 'test', 'e2e');
  const webTests = join(tests, 'web');
  const files = web ? testFiles(webTests) : testFiles(tests, webTests);
  if (files.length === 0) throw new UserError(`no ${web ? webTests : tests}/**/*.test.js: did the build run?`);
  const artifacts = join(REPO_ROOT, 'test-results', web ? 'e2e-web' : 'e2e');
  mkdirSync(artifacts, { recursive: true });

  const data = makeDataDir(web ? 'e2e-web' : 'e2e');
  if (web) runInWebWorker(data, 'backprop-stepper.backprop-stepper', ['web']);
  const workspace = join(data.dir, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const server = await startServer({ data, logFile: join(artifacts, 'server.log') });
  const browserServer = await launchBrowserServer();

  process.env.BACKPROP_E2E_WS = browserServer.wsEndpoint();
  process.env.BACKPROP_E2E_URL = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: REPO_ROOT });
  process.env.BACKPROP_E2E_WORKSPACE = workspace;
  process.env.BACKPROP_E2E_ARTIFACTS = artifacts;
  console.log(`e2e${web ? ' (web worker extension host)' : ''}: ${process.env.BACKPROP_E2E_URL}`);

  process.setSourceMapsEnabled(true); // stack traces name test/e2e/*.ts lines
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 60_000, color: process.stdout.isTTY });
  if (grep) mocha.grep(grep);
  for (const f of files) mocha.addFile(f);
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  console.log(`  screenshots: ${artifacts}`);
  return { suite: web ? 'e2e-web' : 'e2e', passed: stats.passes, failed: stats.failures, pending: stats.pending };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(async () => {
    const args = parseScriptArgs(USAGE, {
      'no-build': { type: 'boolean' },
      web: { type: 'boolean' },
      grep: { type: 'string' },
      report: { type: 'string' },
    });
    const summary = await runE2E({ grep: args.grep, doBuild: !args['no-build'], web: !!args.web });
    if (args.report) writeFileSync(args.report, JSON.stringify(summary) + '\n');
    // Nothing run is a failure, unless --grep chose nothing in this suite.
    return summary.failed > 0 || (summary.passed === 0 && !args.grep) ? 1 : 0;
  });
}
