// Installs a real VS Code server (from the npm package code-server, which ships VS Code's own
// server and web workbench in lib/vscode) into .vscode-test/, without any download but npm's.
// Idempotent: a stamp file marks a finished install, so a second run costs nothing.
//   node scripts/vscode/install.mjs [--force]
import {
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  rmSync,
  copyFileSync,
  chmodSync,
  symlinkSync,
  lstatSync,
  realpathSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { run, main, UserError } from './processes.mjs';
import { parseScriptArgs } from './args.mjs';
import { ensureSystemPackages } from './system.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release inside that code-server. */
export const VSCODE_VERSION = '1.100.3';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE_DIR = resolve(
  process.env.BACKPROP_VSCODE_CACHE ?? join(REPO_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`),
);
export const VSCODE_DIR = join(CACHE_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
export const SERVER_MAIN = join(VSCODE_DIR, 'out', 'server-main.js');
const STAMP = join(CACHE_DIR, '.backprop-installed.json');
const LOCK = `${CACHE_DIR}.lock`;

/** Native modules the server loads. Each is built with node-gyp directly: npm 11 skips install
 *  scripts that are not in its allowScripts list, and kerberos' script tries a download first.
 *  @parcel/watcher ships a prebuilt binary package and is built only if that does not load. */
const NATIVE = ['kerberos', '@vscode/spdlog', 'native-watchdog', 'node-pty', '@parcel/watcher'];
const PREBUILT = new Set(['@parcel/watcher']);

function expectedStamp() {
  // Native modules are built for one Node ABI: a different Node means a rebuild.
  return { codeServer: CODE_SERVER_VERSION, vscode: VSCODE_VERSION, nodeAbi: process.versions.modules };
}

export function isInstalled() {
  if (!existsSync(STAMP) || !existsSync(SERVER_MAIN)) return false;
  try {
    const s = JSON.parse(readFileSync(STAMP, 'utf8'));
    const e = expectedStamp();
    return Object.keys(e).every((k) => s[k] === e[k]);
  } catch {
    return false;
  }
}

/** The environment for child npm runs: the user's npm settings, but not what an outer `npm run`
 *  adds about this repository (npm_config_local_prefix would point the install here). */
function npmEnv() {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_(package_|lifecycle_|command$|config_local_prefix$)/i.test(k)),
  );
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  return env;
}

async function npm(cwd, args) {
  console.log(`  $ (cd ${cwd.replace(REPO_ROOT + '/', '')} && npm ${args.join(' ')})`);
  const code = await run('npm', args, { cwd, env: npmEnv() });
  if (code !== 0) throw new UserError(`npm ${args.join(' ')} failed in ${cwd} (exit ${code})`);
}

/** node-gyp as shipped inside npm itself (no download), else npx; with the local Node's
 *  headers (Debian's nodejs has them under /usr/include/node) so it never downloads them. */
function nodeGypCommand() {
  const args = ['--loglevel=warn'];
  const prefix = resolve(dirname(realpathSync(process.execPath)), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_version.h'))) args.push(`--nodedir=${prefix}`);
  try {
    const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
    const gyp = resolve(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(gyp)) return [process.execPath, [gyp, 'rebuild', ...args]];
  } catch {
    /* fall through */
  }
  return ['npx', ['--yes', 'node-gyp', 'rebuild', ...args]];
}

/** Whether `require(name)` works from lib/vscode, in a fresh Node. */
function loads(name) {
  try {
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(name)})`], { cwd: VSCODE_DIR, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function acquireLock() {
  mkdirSync(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  let told = false;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {
      /* being written */
    }
    let alive = false;
    if (holder) {
      try {
        process.kill(holder, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (holder && !alive) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new UserError(`another install holds ${LOCK} (pid ${holder}); remove it if that process is gone`);
    if (holder && !told) console.log(`waiting for the install running in pid ${holder}…`);
    told ||= !!holder;
    // Polling on the lock's own condition (the other installer exiting), not a guessed delay.
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Install VS Code's server into CACHE_DIR if it is not there yet. Returns SERVER_MAIN. */
export async function ensureVSCodeServer({ force = false, quiet = false } = {}) {
  if (!force && isInstalled()) return SERVER_MAIN;
  await ensureSystemPackages();
  const release = await acquireLock();
  try {
    if (!force && isInstalled()) return SERVER_MAIN; // another process finished it meanwhile
    const t0 = Date.now();
    if (!quiet)
      console.log(
        `Installing VS Code ${VSCODE_VERSION} (code-server@${CODE_SERVER_VERSION}) into ${CACHE_DIR} — a few minutes, once.`,
      );
    if (force) rmSync(CACHE_DIR, { recursive: true, force: true });
    rmSync(STAMP, { force: true });
    mkdirSync(CACHE_DIR, { recursive: true });
    // Its own package.json keeps npm from walking up to the repository's.
    writeFileSync(
      join(CACHE_DIR, 'package.json'),
      JSON.stringify({ name: 'backprop-vscode-cache', private: true }, null, 2) + '\n',
    );

    // code-server's postinstall refuses root and downloads ripgrep: skip it, do its steps here.
    await npm(CACHE_DIR, ['install', '--no-save', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`]);
    if (!existsSync(join(VSCODE_DIR, 'package.json')))
      throw new UserError(`code-server@${CODE_SERVER_VERSION} has no lib/vscode`);

    await npm(VSCODE_DIR, ['install', '--omit=dev', '--ignore-scripts']);
    const [gyp, gypArgs] = nodeGypCommand();
    for (const name of NATIVE) {
      if (PREBUILT.has(name) && loads(name)) continue;
      const dir = join(VSCODE_DIR, 'node_modules', name);
      console.log(`  $ (cd ${dir.replace(REPO_ROOT + '/', '')} && node-gyp rebuild)`);
      const code = await run(gyp, gypArgs, { cwd: dir, env: npmEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
      if (code !== 0)
        throw new UserError(`node-gyp rebuild of ${name} failed (exit ${code}); see the compiler output above`);
    }

    // @vscode/ripgrep would download rg: use Debian's.
    const rgDir = join(VSCODE_DIR, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(rgDir, { recursive: true });
    const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
    copyFileSync(rg, join(rgDir, 'rg'));
    chmodSync(join(rgDir, 'rg'), 0o755);

    // The server looks for node_modules.asar (packed in a real build).
    const asar = join(VSCODE_DIR, 'node_modules.asar');
    let hasAsar = false;
    try {
      lstatSync(asar);
      hasAsar = true;
    } catch {
      /* absent */
    }
    if (!hasAsar) symlinkSync('node_modules', asar);

    await npm(join(VSCODE_DIR, 'extensions'), ['install', '--omit=dev', '--ignore-scripts']);

    const broken = NATIVE.filter((name) => !loads(name));
    if (broken.length) throw new UserError(`native modules do not load after the build: ${broken.join(', ')}`);

    writeFileSync(
      STAMP,
      JSON.stringify(
        { ...expectedStamp(), installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - t0) / 1000) },
        null,
        2,
      ) + '\n',
    );
    if (!quiet) console.log(`VS Code ${VSCODE_VERSION} installed in ${Math.round((Date.now() - t0) / 1000)} s.`);
    return SERVER_MAIN;
  } finally {
    release();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(async () => {
    const { force } = parseScriptArgs(
      'npm run vscode:install [-- --force]\n  --force   install again even if installed',
      { force: { type: 'boolean' } },
    );
    const already = !force && isInstalled();
    await ensureVSCodeServer({ force });
    if (already) console.log(`VS Code ${VSCODE_VERSION} already installed in ${CACHE_DIR}`);
    return 0;
  });
}
