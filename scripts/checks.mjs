// The static checks that npm test runs before the suites: the type check of each TypeScript part
// (tsconfig.<part>.json), ESLint and Prettier. Each failing check counts as one failure.
import { join } from 'node:path';
import { run, runCaptured } from './vscode/processes.mjs';
import { REPO_ROOT } from './vscode/install.mjs';

/** The parts in dependency order: each is checked with its own globals (see tsconfig.base.json). */
export const TS_PARTS = ['shared', 'host', 'webview', 'test'];

const bin = (pkg, path) => join(REPO_ROOT, 'node_modules', pkg, path);
const since = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Runs every check; returns one { name, code } per check that failed. */
export async function staticChecks() {
  const failures = [];
  // tsc -b re-reports a part's errors in every part that imports it: count each error once,
  // in the first part that reports it.
  const seen = new Set();
  for (const part of TS_PARTS) {
    const name = `typecheck ${part}`;
    console.log(`\n━━ ${name} (tsc -b tsconfig.${part}.json) ━━`);
    const tsc = [bin('typescript', 'bin/tsc'), '-b', `tsconfig.${part}.json`, '--pretty', 'false'];
    const t0 = Date.now();
    const { code, output } = await runCaptured(process.execPath, tsc, { cwd: REPO_ROOT });
    const errors = output.split('\n').filter((line) => /: error TS\d+:/.test(line));
    const fresh = errors.filter((line) => !seen.has(line));
    for (const line of errors) seen.add(line);
    if (code === 0) console.log(`── ${name}: ok in ${since(t0)}`);
    else if (errors.length > 0 && fresh.length === 0) console.log(`── ${name}: only the errors reported above`);
    else {
      process.stdout.write(output);
      console.log(`── ${name}: failed`);
      failures.push({ name, code });
    }
  }
  for (const [name, args] of [
    ['lint', [bin('eslint', 'bin/eslint.js'), '.']],
    ['format', [bin('prettier', 'bin/prettier.cjs'), '--check', '.', '--log-level', 'warn']],
  ]) {
    console.log(`\n━━ ${name} (${name === 'lint' ? 'eslint' : 'prettier --check'}) ━━`);
    const t0 = Date.now();
    const code = await run(process.execPath, args, { cwd: REPO_ROOT });
    if (code === 0) console.log(`── ${name}: ok in ${since(t0)}`);
    else {
      console.log(`── ${name}: failed${name === 'format' ? ' (npm run format fixes it)' : ''}`);
      failures.push({ name, code });
    }
  }
  return failures;
}
