// npm test: everything a fresh clone needs: npm ci if node_modules is missing, the offline VS Code
// (when a suite needs it), build, the static checks (scripts/checks.mjs: type check of each
// tsconfig part, ESLint, Prettier), then the suites in order, each printing its own results:
//   unit         mocha in Node (.mocharc.json: out/test/unit/**/*.test.js)
//   webview      the built trace panel in headless Chromium with a fake host (scripts/run-webview-tests.mjs)
//   integration  mocha in a real VS Code extension host, four times: the development folder and the
//                packaged .vsix installed like a user's, each in the Node extension host and in the
//                browser's web worker extension host (scripts/run-integration.mjs [--vsix] [--web])
//   e2e          the workbench in headless Chromium, then the web worker host's own tests
//                (scripts/run-e2e.mjs [--web])
// With no suite flag all run. The last line is "N passed, N failed" over all of them (each failed
// static check counts as one failure); the exit code is non-zero if anything failed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, onTeardown, run, stopping } from './vscode/processes.mjs';
import { ensureVSCodeServer, REPO_ROOT } from './vscode/install.mjs';
import { ensureNodeModules, build } from './vscode/build.mjs';
import { parseScriptArgs } from './vscode/args.mjs';
import { staticChecks } from './checks.mjs';
import { ensureSystemPackages, LATEX_PACKAGES } from './vscode/system.mjs';

const USAGE = `npm test [-- --unit] [-- --webview] [-- --integration] [-- --e2e] [-- --web] [-- --grep P]
  --unit, --webview, --integration, --e2e   run only these suites (combinable; default: all)
  --web      only the web worker extension host's runs of integration and e2e (with neither
             named: both)
  --grep P   only tests whose full title matches P, in every chosen suite`;
const args = parseScriptArgs(USAGE, {
  unit: { type: 'boolean' },
  webview: { type: 'boolean' },
  integration: { type: 'boolean' },
  e2e: { type: 'boolean' },
  web: { type: 'boolean' },
  grep: { type: 'string' },
});
const named = args.unit || args.webview || args.integration || args.e2e;
const all = !named && !args.web;
const selected = {
  unit: all || !!args.unit,
  webview: all || !!args.webview,
  integration: all || !!args.integration || (!named && !!args.web),
  e2e: all || !!args.e2e || (!named && !!args.web),
};
/** The hosts the integration and e2e suites run in. */
const hosts = args.web ? ['web'] : ['node', 'web'];
const grep = args.grep;

const scratch = mkdtempSync(join(tmpdir(), 'backprop-test-'));
onTeardown(() => rmSync(scratch, { recursive: true, force: true }));
const results = [];

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Run one suite as a child process; its counts come from a JSON file it writes. */
async function suite(name, command, commandArgs, reportEnv) {
  const report = join(scratch, `${name}.json`);
  rmSync(report, { force: true });
  console.log(`\n━━ ${name} ━━`);
  const t0 = Date.now();
  const env = { ...process.env, ...(reportEnv ? { [reportEnv]: report } : {}) };
  const code = await run(command, reportEnv ? commandArgs : [...commandArgs, '--report', report], {
    cwd: REPO_ROOT,
    env,
    graceMs: 20_000,
  });
  // Interrupted (Ctrl-C): the suite was stopped, not failed; the signal handler ends the run.
  if (stopping()) await new Promise(() => {});
  const counts = readJson(report) ?? { passed: 0, failed: 0, pending: 0 };
  // A suite that crashed before counting, or exited non-zero with nothing failed, is one failure.
  const crashed = code !== 0 && counts.failed === 0;
  const entry = {
    name,
    passed: counts.passed,
    failed: counts.failed + (crashed ? 1 : 0),
    pending: counts.pending ?? 0,
    seconds: (Date.now() - t0) / 1000,
    crashed,
    code,
  };
  results.push(entry);
  const extra = entry.pending ? `, ${entry.pending} pending` : '';
  console.log(
    `── ${name}: ${entry.passed} passing, ${entry.failed} failing${extra}${crashed ? ` (exited ${code} without a failing test)` : ''} in ${entry.seconds.toFixed(1)} s`,
  );
}

main(async () => {
  const t0 = Date.now();
  await ensureNodeModules();
  if (selected.integration || selected.e2e) await ensureVSCodeServer();
  // The unit suite compiles the LaTeX exports with pdflatex (and the integration suite one export).
  if (selected.unit || selected.integration) await ensureSystemPackages(LATEX_PACKAGES);
  await build();

  for (const { name, code } of await staticChecks()) {
    results.push({ name, passed: 0, failed: 1, pending: 0, seconds: 0, crashed: true, code });
  }

  const grepArgs = grep ? ['--grep', grep] : [];
  if (selected.unit) {
    await suite(
      'unit',
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'),
        '--reporter',
        join(REPO_ROOT, 'scripts', 'vscode', 'mocha-reporter.cjs'),
        ...grepArgs,
      ],
      'BACKPROP_MOCHA_STATS',
    );
  }
  if (selected.webview) {
    await suite('webview', process.execPath, ['scripts/run-webview-tests.mjs', '--no-build', ...grepArgs]);
  }
  const web = (host) => (host === 'web' ? ['--web'] : []);
  // 'integration (.vsix)' in the web host is 'integration (.vsix, web)'.
  const inHost = (name, host) =>
    host !== 'web' ? name : name.endsWith(')') ? `${name.slice(0, -1)}, web)` : `${name} (web)`;
  if (selected.integration) {
    for (const host of hosts)
      await suite(inHost('integration', host), process.execPath, [
        'scripts/run-integration.mjs',
        '--no-build',
        ...web(host),
        ...grepArgs,
      ]);
    // One .vsix, packaged by the first run that needs it, installed in both hosts.
    const vsix = join(scratch, 'backprop-stepper.vsix');
    for (const host of hosts)
      await suite(inHost('integration (.vsix)', host), process.execPath, [
        'scripts/run-integration.mjs',
        '--no-build',
        '--vsix',
        '--vsix-file',
        vsix,
        ...web(host),
        ...grepArgs,
      ]);
  }
  if (selected.e2e) {
    for (const host of hosts)
      await suite(inHost('e2e', host), process.execPath, [
        'scripts/run-e2e.mjs',
        '--no-build',
        ...web(host),
        ...grepArgs,
      ]);
  }

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const pending = results.reduce((n, r) => n + r.pending, 0);
  console.log('\n━━ summary ━━');
  for (const r of results)
    console.log(
      `  ${r.name.padEnd(26)} ${String(r.passed).padStart(4)} passing ${String(r.failed).padStart(3)} failing${r.pending ? ` ${r.pending} pending` : ''}`,
    );
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s${pending ? `; ${pending} pending not counted` : ''})`);
  if (passed + failed === 0 && !grep) {
    console.log('no tests ran');
    console.log(`${passed} passed, ${failed + 1} failed`);
    return 1;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
});
