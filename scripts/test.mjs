// npm test: everything a fresh clone needs: npm ci if node_modules is missing, the offline VS Code
// (when a suite needs it), build, the static checks (scripts/checks.mjs: type check of each
// tsconfig part, ESLint, Prettier), then the suites in order, each printing its own results:
//   unit         mocha in Node (.mocharc.json: out/test/unit/**/*.test.js)
//   webview      the built trace panel in headless Chromium with a fake host (scripts/run-webview-tests.mjs)
//   integration  mocha in a real VS Code extension host, twice: the development folder, then the
//                packaged .vsix installed like a user's (scripts/run-integration.mjs [--vsix])
//   e2e          the workbench in headless Chromium (scripts/run-e2e.mjs)
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

const USAGE = `npm test [-- --unit] [-- --webview] [-- --integration] [-- --e2e] [-- --grep P]
  --unit, --webview, --integration, --e2e   run only these suites (combinable; default: all)
  --grep P   only tests whose full title matches P, in every chosen suite`;
const args = parseScriptArgs(USAGE, {
  unit: { type: 'boolean' },
  webview: { type: 'boolean' },
  integration: { type: 'boolean' },
  e2e: { type: 'boolean' },
  grep: { type: 'string' },
});
const all = !args.unit && !args.webview && !args.integration && !args.e2e;
const selected = {
  unit: all || !!args.unit,
  webview: all || !!args.webview,
  integration: all || !!args.integration,
  e2e: all || !!args.e2e,
};
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
  if (selected.integration) {
    await suite('integration', process.execPath, ['scripts/run-integration.mjs', '--no-build', ...grepArgs]);
    await suite('integration (.vsix)', process.execPath, [
      'scripts/run-integration.mjs',
      '--no-build',
      '--vsix',
      ...grepArgs,
    ]);
  }
  if (selected.e2e) {
    await suite('e2e', process.execPath, ['scripts/run-e2e.mjs', '--no-build', ...grepArgs]);
  }

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const pending = results.reduce((n, r) => n + r.pending, 0);
  console.log('\n━━ summary ━━');
  for (const r of results)
    console.log(
      `  ${r.name.padEnd(22)} ${String(r.passed).padStart(4)} passing ${String(r.failed).padStart(3)} failing${r.pending ? ` ${r.pending} pending` : ''}`,
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
