// Runs test/integration in a real VS Code 1.100.3 extension host: VS Code's server (offline
// install, scripts/vscode/install.mjs) + headless Chromium opening the workbench with the
// extensionTestsPath payload. The tests' run() writes its results to a JSON file whose path the
// extension host inherits from the server's environment; we wait for that file.
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main, run, UserError } from './vscode/processes.mjs';
import { ensureVSCodeServer, REPO_ROOT, VSCODE_VERSION } from './vscode/install.mjs';
import { makeDataDir, startServer, workbenchUrl, installVsix, tail } from './vscode/server.mjs';
import { launchBrowser } from './vscode/browser.mjs';
import { ensureNodeModules, build } from './vscode/build.mjs';
import { parseScriptArgs } from './vscode/args.mjs';

const USAGE = `npm run test:integration [-- --vsix] [-- --grep P] [-- --no-build] [-- --report F]
  --vsix       package the extension (npm run package), install the .vsix into the server's
               extensions dir and test the installed copy instead of the development folder
  --grep P     only tests whose full title matches P
  --no-build   skip the build (scripts/test.mjs has just built)
  --report F   also write { suite, passed, failed, pending } to F (for scripts/test.mjs)`;

const TIMEOUT_MS = Number(process.env.BACKPROP_INTEGRATION_TIMEOUT_MS ?? 120_000);

async function packageVsix(outFile) {
  rmSync(outFile, { force: true });
  const code = await run('npm', ['run', '--silent', 'package', '--', '--out', outFile], { cwd: REPO_ROOT });
  if (code !== 0 || !existsSync(outFile)) throw new UserError(`npm run package failed (exit ${code})`);
}

function printResults(results, label) {
  console.log(`\n  ${label} — VS Code ${results.vscodeVersion}`);
  for (const t of results.tests) {
    const mark = t.state === 'passed' ? '✓' : t.state === 'pending' ? '-' : '✗';
    const ms = t.durationMs !== undefined && t.durationMs > 75 ? ` (${t.durationMs}ms)` : '';
    console.log(`    ${mark} ${t.fullTitle}${ms}`);
  }
  const failed = results.tests.filter((t) => t.state === 'failed');
  failed.forEach((t, i) => {
    console.log(
      `\n  ${i + 1}) ${t.fullTitle}:\n     ${(t.error?.stack ?? t.error?.message ?? '').split('\n').join('\n     ')}`,
    );
  });
  if (results.error && failed.length === 0)
    console.log(`\n  suite error:\n     ${results.error.split('\n').join('\n     ')}`);
  console.log(
    `\n  ${results.passes} passing, ${results.failures} failing${results.pending ? `, ${results.pending} pending` : ''}\n`,
  );
}

export async function runIntegration({ vsix = false, grep, doBuild = true } = {}) {
  const mode = vsix ? 'vsix' : 'dev';
  await ensureNodeModules();
  await ensureVSCodeServer();
  if (doBuild) await build();
  const outDir = join(REPO_ROOT, 'test-results', 'integration');
  mkdirSync(outDir, { recursive: true });

  const data = makeDataDir(`integration-${mode}`);
  if (vsix) {
    const file = join(data.dir, 'backprop-stepper.vsix');
    await packageVsix(file);
    // Packaging ran the production build (vscode:prepublish); put the development build back.
    await build();
    await installVsix(data, file);
    const installed = readdirSync(data.extensions).filter((n) => n.startsWith('backprop-stepper.'));
    if (installed.length !== 1)
      throw new UserError(
        `expected one installed backprop-stepper in ${data.extensions}, found: ${installed.join(', ') || 'none'}`,
      );
  }

  const resultsFile = join(data.dir, 'results.json');
  const server = await startServer({
    data,
    logFile: join(outDir, `server-${mode}.log`),
    env: {
      BACKPROP_TEST_RESULTS: resultsFile,
      BACKPROP_EXPECT_VSCODE_VERSION: VSCODE_VERSION,
      BACKPROP_TEST_MODE: mode,
      BACKPROP_EXTENSIONS_DIR: data.extensions,
      ...(grep ? { BACKPROP_TEST_GREP: grep } : {}),
    },
  });
  const url = workbenchUrl(server, {
    folder: join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
    // VS Code runs extensionTestsPath only with an extensionDevelopmentPath: in .vsix mode that is
    // an empty stand-in extension, so the installed copy is the only Backprop Stepper.
    extensionDevelopmentPath: vsix ? join(REPO_ROOT, 'test', 'integration', 'vsix-host') : REPO_ROOT,
    extensionTestsPath: join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
  });
  if (!existsSync(join(REPO_ROOT, 'out', 'test', 'integration', 'index.js')))
    throw new UserError('out/test/integration/index.js missing: did the build run?');

  const browser = await launchBrowser();
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  const browserLog = join(outDir, `browser-${mode}.log`);
  const saveConsole = () => writeFileSync(browserLog, consoleLines.join('\n') + '\n');

  console.log(`integration (${mode}): ${url}`);
  const t0 = Date.now();
  await page.goto(url);

  // The results file appearing is the end of the run; a crashed page or server ends it early.
  let crashed = null;
  page.on('crash', () => {
    crashed = 'the browser page crashed';
  });
  const deadline = t0 + TIMEOUT_MS;
  while (!existsSync(resultsFile)) {
    if (crashed) break;
    if (Date.now() > deadline) {
      saveConsole();
      await page.screenshot({ path: join(outDir, `timeout-${mode}.png`) }).catch(() => {});
      throw new UserError(
        `no test results after ${TIMEOUT_MS / 1000} s: the extension host never finished run().\n` +
          `  server log:  ${server.logFile}\n  browser log: ${browserLog}\n  screenshot:  test-results/integration/timeout-${mode}.png\n` +
          `--- last server log lines ---\n${tail(server.logFile, 25)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100)); // polling the file, the condition we wait on
  }
  saveConsole();
  if (crashed) throw new UserError(`${crashed}; see ${browserLog}`);
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  printResults(results, `integration (${mode === 'vsix' ? 'installed .vsix' : 'development folder'})`);
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s in the workbench)`);
  if (results.vscodeVersion !== VSCODE_VERSION) {
    throw new UserError(`ran in VS Code ${results.vscodeVersion}, expected ${VSCODE_VERSION}`);
  }
  return { suite: `integration-${mode}`, passed: results.passes, failed: results.failures, pending: results.pending };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(async () => {
    const args = parseScriptArgs(USAGE, {
      vsix: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      grep: { type: 'string' },
      report: { type: 'string' },
    });
    const summary = await runIntegration({ vsix: !!args.vsix, grep: args.grep, doBuild: !args['no-build'] });
    if (args.report) writeFileSync(args.report, JSON.stringify(summary) + '\n');
    // Nothing run is a failure, unless --grep chose nothing in this suite.
    return summary.failed > 0 || (summary.passed === 0 && !args.grep) ? 1 : 0;
  });
}
