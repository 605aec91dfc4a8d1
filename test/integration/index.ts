/**
 * Entry point of the integration suite inside a real VS Code extension host (Node): the
 * `extensionTestsPath` that both scripts/run-integration.mjs (offline VS Code server + Chromium)
 * and scripts/test-electron.mjs (@vscode/test-electron) point at. Runs every
 * out/test/integration/**\/*.test.js with mocha (BDD), and when BACKPROP_TEST_RESULTS is set
 * writes the results there as JSON: the offline runner has no other channel out of the host.
 * The web worker host's entry is web/index.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { collect, crashed, SuiteResults } from './results';

/** Every *.test.js below `dir` but web/ (the web worker host's own), sorted so the order is the same on every machine. */
function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return p === path.join(__dirname, 'web') ? [] : testFiles(p);
      return e.name.endsWith('.test.js') ? [p] : [];
    })
    .sort();
}

function writeResults(results: SuiteResults): void {
  const file = process.env.BACKPROP_TEST_RESULTS;
  if (!file) return;
  // Write then rename, so the runner never reads half a file.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

export async function run(): Promise<void> {
  console.log(`[integration] VS Code ${vscode.version}`);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.BACKPROP_TEST_GREP;
  if (grep) mocha.grep(grep);
  let results: SuiteResults;
  try {
    for (const file of testFiles(__dirname)) mocha.addFile(file);
    await mocha.loadFilesAsync();
    results = await collect(vscode.version, (done) => mocha.run(done));
  } catch (err) {
    writeResults(crashed(vscode.version, err));
    throw err;
  }
  writeResults(results);
  if (results.failures > 0) throw new Error(`${results.failures} integration test(s) failed`);
}
