/**
 * Where this run of the integration suite is, and what its runner asked of it. The suite runs in
 * the Node extension host (development folder, installed .vsix) and in the browser's web worker
 * extension host (the same two); the web worker has no `process`, so its runner's settings come
 * from the test host extension's manifest (web/index.ts) instead of the environment.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export type Host = 'node' | 'webworker';

/** The host this code runs in: only the web worker lacks `process`. */
export const HOST: Host = typeof process === 'undefined' ? 'webworker' : 'node';

export interface TestConfig {
  /** The host the runner chose (the tests check that they run there). */
  readonly host?: Host;
  /** 'dev': the development folder is under test; 'vsix': the installed .vsix. */
  readonly mode?: 'dev' | 'vsix';
  readonly expectVSCodeVersion?: string;
  /** The extensions folder the .vsix was installed into (a URI). */
  readonly extensionsDir?: string;
  /** The development folder (a URI). */
  readonly repoRoot?: string;
  /** A folder the tests may write into (a URI). */
  readonly scratch?: string;
}

let webConfig: TestConfig | undefined;

/** Called once by web/index.ts before the test files load. */
export function setWebConfig(config: TestConfig): void {
  webConfig = config;
}

export function testConfig(): TestConfig {
  if (HOST === 'webworker') return webConfig ?? {};
  const env = process.env;
  const file = (p: string | undefined) => (p ? vscode.Uri.file(p).toString() : undefined);
  return {
    host: env.BACKPROP_TEST_HOST as Host | undefined,
    mode: env.BACKPROP_TEST_MODE as TestConfig['mode'],
    expectVSCodeVersion: env.BACKPROP_EXPECT_VSCODE_VERSION,
    extensionsDir: file(env.BACKPROP_EXTENSIONS_DIR),
    // out/test/integration/ is three levels below the development folder.
    repoRoot: file(env.BACKPROP_REPO_ROOT ?? path.resolve(__dirname, '..', '..', '..')),
    scratch: file(env.BACKPROP_TEST_SCRATCH ?? os.tmpdir()),
  };
}

/**
 * `it` for a test that belongs to one host only; in the other it is listed as pending, with the
 * reason. Pair it with the other host's counterpart.
 */
export function onlyIn(host: Host, reason: string): (title: string, fn: Mocha.AsyncFunc | Mocha.Func) => Mocha.Test {
  return (title, fn) => (HOST === host ? it(title, fn) : it.skip(`${title} [${host} host only: ${reason}]`, fn));
}
