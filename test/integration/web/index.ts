/**
 * Entry point of the integration suite in the browser's web worker extension host: the
 * `extensionTestsPath` of `scripts/run-integration.mjs --web`. The same test files as ../index.ts,
 * bundled for the browser by scripts/build.mjs with mocha's browser build. That host has neither
 * process.env nor fs: the runner's settings come as a user setting (`backpropTest.run`, which no
 * extension declares), and the results go back through VS Code's file system into the runner's
 * folder on the server.
 */
import mocha from 'mocha/mocha.js';
import loadTests from 'backprop:integration-tests';
import * as vscode from 'vscode';
import { collect, crashed, SuiteResults } from '../results';
import { setWebConfig, TestConfig } from '../host';

interface WebRunConfig extends TestConfig {
  /** Where the results go (a vscode-remote: URI). */
  readonly results: string;
  readonly grep?: string;
}

async function writeResults(target: vscode.Uri, results: SuiteResults): Promise<void> {
  // Write then rename, so the runner never reads half a file.
  const partial = target.with({ path: `${target.path}.tmp` });
  await vscode.workspace.fs.writeFile(partial, new TextEncoder().encode(JSON.stringify(results, null, 2)));
  await vscode.workspace.fs.rename(partial, target, { overwrite: true });
}

export async function run(): Promise<void> {
  const config = vscode.workspace.getConfiguration('backpropTest').get<WebRunConfig>('run');
  if (!config?.results)
    throw new Error('the user setting backpropTest.run is missing: run this with scripts/run-integration.mjs --web');
  setWebConfig(config);
  console.log(`[integration] VS Code ${vscode.version}, web worker extension host`);
  let results: SuiteResults;
  try {
    mocha.setup({ ui: 'bdd', timeout: 30_000, reporter: 'spec', color: false });
    if (config.grep) mocha.grep(config.grep);
    loadTests();
    results = await collect(vscode.version, (done) => mocha.run(done));
  } catch (err) {
    results = crashed(vscode.version, err);
  }
  await writeResults(vscode.Uri.parse(config.results), results);
  if (results.failures > 0) throw new Error(`${results.failures} integration test(s) failed`);
}
