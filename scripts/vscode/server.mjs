// Starts VS Code's server (installed by install.mjs) and builds the workbench URLs that load the
// extension under development and, for integration tests, the tests file in its extension host.
import { mkdtempSync, mkdirSync, rmSync, createWriteStream, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_MAIN, VSCODE_VERSION, REPO_ROOT } from './install.mjs';
import { spawnTracked, stop, run, onTeardown, UserError } from './processes.mjs';

export { VSCODE_VERSION, REPO_ROOT };

/** Settings for a quiet, deterministic workbench (no welcome page, no trust prompt, no updates). */
export const TEST_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

/** A folder for one server's user data, server data and extensions. By default a fresh temporary
 *  one, removed at teardown unless BACKPROP_KEEP_DATA=1 (then its path is printed, for reading
 *  the logs). With `persistent`, that folder is used and kept (npm start: your layout survives),
 *  and settings already in it are left alone. */
export function makeDataDir(label, { persistent } = {}) {
  const dir = persistent ? resolve(persistent) : mkdtempSync(join(tmpdir(), `backprop-${label}-`));
  for (const sub of ['user/User', 'server/data/Machine', 'extensions']) mkdirSync(join(dir, sub), { recursive: true });
  const settings = JSON.stringify(TEST_SETTINGS, null, 2) + '\n';
  for (const file of [
    join(dir, 'user', 'User', 'settings.json'),
    join(dir, 'server', 'data', 'Machine', 'settings.json'),
  ]) {
    if (!persistent || !existsSync(file)) writeFileSync(file, settings);
  }
  if (!persistent) {
    onTeardown(() => {
      if (process.env.BACKPROP_KEEP_DATA === '1') console.log(`(kept server data in ${dir})`);
      else rmSync(dir, { recursive: true, force: true });
    });
  }
  return { dir, user: join(dir, 'user'), server: join(dir, 'server'), extensions: join(dir, 'extensions') };
}

function dataArgs(data) {
  return ['--user-data-dir', data.user, '--server-data-dir', data.server, '--extensions-dir', data.extensions];
}

/**
 * Start the server on `port` (0: a free one) and resolve once it listens.
 * `env` is added to the server's environment, which the extension host inherits.
 * Output goes to `logFile`. Returns { origin, port, host, logFile, stop() }.
 */
export async function startServer({ data, port = 0, host = '127.0.0.1', env = {}, logFile, timeoutMs = 60_000 }) {
  if (!existsSync(SERVER_MAIN))
    throw new UserError(`VS Code server not installed (${SERVER_MAIN}); run: node scripts/vscode/install.mjs`);
  const args = [
    SERVER_MAIN,
    '--host',
    host,
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--telemetry-level',
    'off',
    ...dataArgs(data),
  ];
  const { child, entry } = spawnTracked('vscode-server', process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = logFile ? createWriteStream(logFile) : null;
  let seen = '';
  const listening = new Promise((resolveListening, reject) => {
    const onData = (chunk) => {
      log?.write(chunk);
      if (seen.length < 64_000) seen += chunk.toString();
      const m = /Extension host agent listening on (\d+)/.exec(seen);
      if (m) resolveListening(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    entry.done.then((code) =>
      reject(new UserError(`VS Code server exited (code ${code}) before listening:\n${seen.slice(-3000)}`)),
    );
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new UserError(`VS Code server did not listen within ${timeoutMs / 1000} s:\n${seen.slice(-3000)}`)),
      timeoutMs,
    );
  });
  try {
    const actualPort = await Promise.race([listening, timeout]);
    const origin = `http://${host}:${actualPort}`;
    return {
      origin,
      host,
      port: actualPort,
      logFile,
      data,
      /** `vscode-remote://` URI of a path on this machine, as the workbench's payload wants. */
      remoteUri: (p) => `vscode-remote://${host}:${actualPort}${resolve(p)}`,
      stop: () => stop(entry),
      /** Resolves with the exit code if the server stops on its own. */
      exited: entry.done,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The workbench URL. `folder` opens a folder; `extensionDevelopmentPath` loads an extension from
 * source (one: the server loads only the last of several); `extensionTestsPath` runs that tests
 * file's `run()` in the extension host that runs the extension holding it; `openFile` opens
 * that file in an editor.
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath, openFile } = {}) {
  const params = new URLSearchParams();
  if (folder) params.set('folder', resolve(folder));
  const payload = [];
  if (openFile) payload.push(['openFile', server.remoteUri(openFile)]);
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', server.remoteUri(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(extensionTestsPath)]);
  if (payload.length) params.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${params.toString()}`;
}

/**
 * Runs the extension `id` in the browser's web worker extension host instead of the server's Node
 * one: the user setting `remote.extensionKind`, added to the data dir's settings. `['web']` moves
 * an extension under development, `['ui']` an installed one (what VS Code 1.100 honours for each);
 * `undefined` takes the setting away again.
 */
export function runInWebWorker(data, id, kind) {
  const file = join(data.user, 'User', 'settings.json');
  const kinds = { ...JSON.parse(readFileSync(file, 'utf8'))['remote.extensionKind'] };
  if (kind) kinds[id] = kind;
  else delete kinds[id];
  addUserSettings(data, { 'remote.extensionKind': kinds });
}

/** Adds (or replaces) user settings in the data dir's settings.json. */
export function addUserSettings(data, added) {
  const file = join(data.user, 'User', 'settings.json');
  const settings = { ...JSON.parse(readFileSync(file, 'utf8')), ...added };
  writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
}

/** Install a .vsix into the data dir's extensions folder, as a user would (server CLI). */
export async function installVsix(data, vsix) {
  const code = await run(
    process.execPath,
    [SERVER_MAIN, ...dataArgs(data), '--install-extension', resolve(vsix), '--force'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (code !== 0) throw new UserError(`installing ${vsix} into ${data.extensions} failed (exit ${code})`);
}

/** The last lines of a log file, for error messages. */
export function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
