// Runs test/integration in a real VS Code 1.100.3 extension host: VS Code's server (offline
// install, scripts/vscode/install.mjs) + headless Chromium opening the workbench with the
// extensionTestsPath payload. The tests' run() writes its results to a JSON file whose path the
// extension host inherits from the server's environment; we wait for that file.
// With --web the host is the browser's web worker extension host instead, as on vscode.dev: the
// extension under test is moved there by a user setting, and so are the tests (bundled for the
// browser, out/test/integration-web/tests.js), which VS Code runs in the host of the extension
// that holds them: the development folder, or in .vsix mode a browser-only stand-in made for the
// run. What the Node run passes in the environment (the worker has none) is the user setting
// backpropTest.run. The tests write their results through VS Code's file system; the
// workbench's window.codeAutomationExit says when the host ended.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main, run, UserError } from './vscode/processes.mjs';
import { ensureVSCodeServer, REPO_ROOT, VSCODE_VERSION } from './vscode/install.mjs';
import {
  addUserSettings,
  makeDataDir,
  startServer,
  workbenchUrl,
  installVsix,
  runInWebWorker,
  tail,
} from './vscode/server.mjs';
import { launchBrowser } from './vscode/browser.mjs';
import { ensureNodeModules, build } from './vscode/build.mjs';
import { parseScriptArgs, usageError } from './vscode/args.mjs';

const USAGE = `npm run test:integration [-- --vsix] [-- --web] [-- --grep P] [-- --no-build] [-- --report F]
  --vsix       package the extension (npm run package), install the .vsix into the server's
               extensions dir and test the installed copy instead of the development folder
  --vsix-file F  with --vsix: install F, packaging it there first if it does not exist (so two
               runs test one .vsix)
  --web        run in the browser's web worker extension host instead of the Node one
  --grep P     only tests whose full title matches P
  --no-build   skip the build (scripts/test.mjs has just built)
  --report F   also write { suite, passed, failed, pending } to F (for scripts/test.mjs)`;

const TIMEOUT_MS = Number(process.env.BACKPROP_INTEGRATION_TIMEOUT_MS ?? 120_000);
const EXTENSION_ID = 'backprop-stepper.backprop-stepper';
const WEB_TESTS = join(REPO_ROOT, 'out', 'test', 'integration-web', 'tests.js');

/**
 * In .vsix mode, the browser-only extension under development that holds the web run's tests
 * (VS Code loads one development folder here, and runs an extensionTestsPath in the host of the
 * extension it lies in).
 */
function makeWebTestHost(dir) {
  mkdirSync(dir, { recursive: true });
  for (const f of ['tests.js', 'tests.js.map']) copyFileSync(join(WEB_TESTS, '..', f), join(dir, f));
  const manifest = {
    name: 'backprop-web-test-host',
    displayName: 'Backprop Stepper: test host for the web worker run',
    description:
      'Holds the integration tests bundled for the browser, so that they run in the web worker extension host.',
    version: '0.0.0',
    publisher: 'backprop-stepper',
    private: true,
    engines: { vscode: '^1.100.0' },
    browser: './tests.js',
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
}

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

export async function runIntegration({ vsix = false, vsixFile, web = false, grep, doBuild = true } = {}) {
  const mode = vsix ? 'vsix' : 'dev';
  const label = `${mode}${web ? '-web' : ''}`;
  await ensureNodeModules();
  await ensureVSCodeServer();
  if (doBuild) await build();
  const outDir = join(REPO_ROOT, 'test-results', 'integration');
  mkdirSync(outDir, { recursive: true });

  const data = makeDataDir(`integration-${label}`);
  if (vsix) {
    const file = vsixFile ? resolve(vsixFile) : join(data.dir, 'backprop-stepper.vsix');
    if (!vsixFile || !existsSync(file)) {
      await packageVsix(file);
      // Packaging ran the production build (vscode:prepublish); put the development build back.
      await build();
    }
    await installVsix(data, file);
    const installed = readdirSync(data.extensions).filter((n) => n.startsWith('backprop-stepper.'));
    if (installed.length !== 1)
      throw new UserError(
        `expected one installed backprop-stepper in ${data.extensions}, found: ${installed.join(', ') || 'none'}`,
      );
  }

  const resultsFile = join(data.dir, 'results.json');
  const scratch = join(data.dir, 'scratch');
  mkdirSync(scratch);
  const server = await startServer({
    data,
    logFile: join(outDir, `server-${label}.log`),
    env: {
      BACKPROP_TEST_RESULTS: resultsFile,
      BACKPROP_EXPECT_VSCODE_VERSION: VSCODE_VERSION,
      BACKPROP_TEST_HOST: 'node',
      BACKPROP_TEST_MODE: mode,
      BACKPROP_EXTENSIONS_DIR: data.extensions,
      BACKPROP_REPO_ROOT: REPO_ROOT,
      BACKPROP_TEST_SCRATCH: scratch,
      ...(grep ? { BACKPROP_TEST_GREP: grep } : {}),
    },
  });
  const folder = join(REPO_ROOT, 'test', 'fixtures', 'workspace');
  let url;
  if (web) {
    if (!existsSync(WEB_TESTS)) throw new UserError(`${WEB_TESTS} missing: did the build run?`);
    // The settings are read when the workbench starts: written before the page opens.
    runInWebWorker(data, EXTENSION_ID, vsix ? ['ui'] : ['web']);
    addUserSettings(data, {
      'backpropTest.run': {
        host: 'webworker',
        mode,
        expectVSCodeVersion: VSCODE_VERSION,
        extensionsDir: server.remoteUri(data.extensions),
        repoRoot: server.remoteUri(REPO_ROOT),
        scratch: server.remoteUri(scratch),
        results: server.remoteUri(resultsFile),
        ...(grep ? { grep } : {}),
      },
    });
    const host = vsix ? join(data.dir, 'web-test-host') : REPO_ROOT;
    if (vsix) makeWebTestHost(host);
    url = workbenchUrl(server, {
      folder,
      extensionDevelopmentPath: host,
      extensionTestsPath: vsix ? join(host, 'tests.js') : WEB_TESTS,
    });
  } else {
    if (!existsSync(join(REPO_ROOT, 'out', 'test', 'integration', 'index.js')))
      throw new UserError('out/test/integration/index.js missing: did the build run?');
    url = workbenchUrl(server, {
      folder,
      // VS Code runs extensionTestsPath only with an extensionDevelopmentPath: in .vsix mode that is
      // an empty stand-in extension, so the installed copy is the only Backprop Stepper.
      extensionDevelopmentPath: vsix ? join(REPO_ROOT, 'test', 'integration', 'vsix-host') : REPO_ROOT,
      extensionTestsPath: join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
    });
  }

  const browser = await launchBrowser();
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  const browserLog = join(outDir, `browser-${label}.log`);
  const saveConsole = () => writeFileSync(browserLog, consoleLines.join('\n') + '\n');
  // The workbench calls this when the extension host that ran the tests ends (its exit code).
  let exitCode = null;
  let exitedAt = 0;
  await page.exposeFunction('codeAutomationExit', (code) => {
    exitCode ??= code;
    exitedAt ||= Date.now();
  });

  console.log(`integration (${label}): ${url}`);
  const t0 = Date.now();
  await page.goto(url);

  // The results file appearing is the end of the run; a crashed page or server, or a host that
  // ended without writing them, ends it early.
  let crashed = null;
  page.on('crash', () => {
    crashed = 'the browser page crashed';
  });
  const deadline = t0 + TIMEOUT_MS;
  while (!existsSync(resultsFile)) {
    if (crashed) break;
    // Results are written before the host ends; give a write in flight a moment to land.
    if (exitCode !== null && Date.now() - exitedAt > 5000) {
      crashed = `the extension host ended (code ${exitCode}) without writing results`;
      break;
    }
    if (Date.now() > deadline) {
      saveConsole();
      await page.screenshot({ path: join(outDir, `timeout-${label}.png`) }).catch(() => {});
      throw new UserError(
        `no test results after ${TIMEOUT_MS / 1000} s: the extension host never finished run().\n` +
          `  server log:  ${server.logFile}\n  browser log: ${browserLog}\n  screenshot:  test-results/integration/timeout-${label}.png\n` +
          `--- last server log lines ---\n${tail(server.logFile, 25)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100)); // polling the file, the condition we wait on
  }
  saveConsole();
  if (crashed) throw new UserError(`${crashed}; see ${browserLog}`);
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const where = `${mode === 'vsix' ? 'installed .vsix' : 'development folder'}, ${web ? 'web worker' : 'Node'} extension host`;
  printResults(results, `integration (${where})`);
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s in the workbench)`);
  if (results.vscodeVersion !== VSCODE_VERSION) {
    throw new UserError(`ran in VS Code ${results.vscodeVersion}, expected ${VSCODE_VERSION}`);
  }
  return { suite: `integration-${label}`, passed: results.passes, failed: results.failures, pending: results.pending };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(async () => {
    const args = parseScriptArgs(USAGE, {
      vsix: { type: 'boolean' },
      'vsix-file': { type: 'string' },
      web: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      grep: { type: 'string' },
      report: { type: 'string' },
    });
    if (args['vsix-file'] && !args.vsix) usageError(USAGE, '--vsix-file goes with --vsix');
    const summary = await runIntegration({
      vsix: !!args.vsix,
      vsixFile: args['vsix-file'],
      web: !!args.web,
      grep: args.grep,
      doBuild: !args['no-build'],
    });
    if (args.report) writeFileSync(args.report, JSON.stringify(summary) + '\n');
    // Nothing run is a failure, unless --grep chose nothing in this suite.
    return summary.failed > 0 || (summary.passed === 0 && !args.grep) ? 1 : 0;
  });
}
