// Shared steps of the runners: npm dependencies present, the project built.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './install.mjs';
import { run, UserError } from './processes.mjs';

/** `npm ci` when node_modules is missing (a fresh clone); `npm install` without a lock file. */
export async function ensureNodeModules() {
  if (existsSync(join(REPO_ROOT, 'node_modules', '.package-lock.json'))) return;
  const args = existsSync(join(REPO_ROOT, 'package-lock.json')) ? ['ci'] : ['install'];
  console.log(`node_modules missing: npm ${args.join(' ')}`);
  const code = await run('npm', args, { cwd: REPO_ROOT });
  if (code !== 0) throw new UserError(`npm ${args.join(' ')} failed (exit ${code})`);
}

export async function build() {
  const code = await run(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  if (code !== 0) throw new UserError(`build failed (exit ${code})`);
}
