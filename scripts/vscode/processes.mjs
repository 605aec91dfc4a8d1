// Every process a script starts is registered here, so that one place tears them all down on
// every way out: normal end, an error, Ctrl-C (SIGINT), SIGTERM, SIGHUP.
// Children are spawned `detached` (their own process group), so killing the group also kills
// what they started (the server's extension host, pty host, file watcher).
import { spawn } from 'node:child_process';

/** @type {Set<{name: string, pid: number, done: Promise<number|null>, exited: boolean}>} */
const children = new Set();
/** @type {Array<() => Promise<void>>} */
const cleanups = [];
let installed = false;
let tearingDown = null;

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Start a command in its own process group; it is killed when this script ends.
 *  `graceMs`: how long it gets to exit after SIGTERM before SIGKILL (a runner needs time to
 *  stop what it started in turn). */
export function spawnTracked(name, command, args, options = {}) {
  installHandlers();
  const { graceMs = 3000, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, detached: true });
  const entry = { name, pid: child.pid, exited: false, done: null, graceMs };
  entry.done = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      entry.exited = true;
      resolve(code ?? (signal ? 128 : null));
    });
    child.on('error', () => {
      entry.exited = true;
      resolve(null);
    });
  });
  children.add(entry);
  return { child, entry };
}

/** Run a command to completion (inherits stdio unless told otherwise); tracked while it runs. */
export async function run(command, args, options = {}) {
  const { child, entry } = spawnTracked(command, command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    ...options,
  });
  return finished(command, child, entry);
}

/** As run, but its stdout and stderr are collected instead of shown: resolves to { code, output }. */
export async function runCaptured(command, args, options = {}) {
  const { child, entry } = spawnTracked(command, command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => (output += d));
  return { code: await finished(command, child, entry), output };
}

async function finished(command, child, entry) {
  const errored = new Promise((resolve) => child.on('error', resolve));
  const result = await Promise.race([entry.done.then((code) => ({ code })), errored.then((error) => ({ error }))]);
  children.delete(entry);
  if (result.error) throw new Error(`could not start ${command}: ${result.error.message}`);
  return result.code;
}

/** Register an async cleanup (e.g. closing a browser) that runs before processes are killed. */
export function onTeardown(fn) {
  installHandlers();
  cleanups.push(fn);
}

/** Stop a tracked process: SIGTERM to its group, SIGKILL if it is still there after `graceMs`. */
export async function stop(entry, graceMs = entry.graceMs ?? 3000) {
  if (!entry.exited) {
    killGroup(entry.pid, 'SIGTERM');
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const r = await Promise.race([entry.done, timedOut]);
    clearTimeout(timer);
    if (r === 'timeout') killGroup(entry.pid, 'SIGKILL');
  } else {
    // The leader is gone, but a child of it may still hold the group.
    killGroup(entry.pid, 'SIGKILL');
  }
  children.delete(entry);
}

/** Whether teardown has begun (a child exiting then is expected, not an error). */
export function stopping() {
  return tearingDown !== null;
}

/** Run registered cleanups (newest first), then stop every tracked process. Safe to call twice. */
export function teardown() {
  if (!tearingDown) {
    tearingDown = (async () => {
      for (const fn of cleanups.splice(0).reverse()) {
        let timer;
        const limit = new Promise((resolve) => {
          timer = setTimeout(resolve, 5000);
        });
        await Promise.race([
          Promise.resolve()
            .then(fn)
            .catch(() => {}),
          limit,
        ]);
        clearTimeout(timer);
      }
      await Promise.all([...children].map((c) => stop(c)));
    })();
  }
  return tearingDown;
}

function installHandlers() {
  if (installed) return;
  installed = true;
  // Last resort, synchronous: whatever is still registered gets SIGKILL to its group.
  process.on('exit', () => {
    for (const c of children) killGroup(c.pid, 'SIGKILL');
  });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: stopping everything this script started…\n`);
      teardown().finally(() => process.exit(code));
    });
  }
  process.on('uncaughtException', (err) => {
    process.stderr.write(`\n${err && err.stack ? err.stack : err}\n`);
    teardown().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`\n${err && err.stack ? err.stack : err}\n`);
    teardown().finally(() => process.exit(1));
  });
}

/** Wrap a script's main: tear down on success and on failure, exit with its code. */
export async function main(fn) {
  installHandlers();
  let code = 1;
  try {
    code = (await fn()) ?? 0;
  } catch (err) {
    // Errors caused by a signal's teardown (a closed browser, a killed server) are not news.
    if (stopping()) await new Promise(() => {});
    process.stderr.write(
      `\n${err instanceof UserError ? `error: ${err.message}` : err && err.stack ? err.stack : err}\n`,
    );
    code = err instanceof UserError ? err.exitCode : 1;
  }
  await teardown();
  process.exit(code);
}

/** An error whose message is for the user; no stack trace. */
export class UserError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
