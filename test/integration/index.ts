/**
 * Entry point of the integration suite inside a real VS Code extension host: the
 * `extensionTestsPath` that both scripts/run-integration.mjs (offline VS Code server + Chromium)
 * and scripts/test-electron.mjs (@vscode/test-electron) point at. Runs every
 * out/test/integration/**\/*.test.js with mocha (BDD), and when BACKPROP_TEST_RESULTS is set
 * writes the results there as JSON: the offline runner has no other channel out of the host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface TestResult {
  readonly title: string;
  readonly fullTitle: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs?: number;
  readonly error?: { readonly message: string; readonly stack?: string };
}

export interface SuiteResults {
  readonly vscodeVersion: string;
  readonly passes: number;
  readonly failures: number;
  readonly pending: number;
  readonly tests: readonly TestResult[];
  /** Set when the suite could not run at all (e.g. a test file failed to load). */
  readonly error?: string;
}

/** Every *.test.js below `dir`, sorted so the order is the same on every machine. */
function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return testFiles(p);
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

function errorOf(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  return { message: String(err) };
}

export async function run(): Promise<void> {
  console.log(`[integration] VS Code ${vscode.version}`);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.BACKPROP_TEST_GREP;
  if (grep) mocha.grep(grep);
  const tests: TestResult[] = [];
  try {
    for (const file of testFiles(__dirname)) mocha.addFile(file);
    await mocha.loadFilesAsync();
    const failures = await new Promise<number>((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', (t) =>
        tests.push({ title: t.title, fullTitle: t.fullTitle(), state: 'passed', durationMs: t.duration }),
      );
      runner.on('fail', (t, err) =>
        tests.push({
          title: t.title,
          fullTitle: t.fullTitle(),
          state: 'failed',
          durationMs: t.duration,
          error: errorOf(err),
        }),
      );
      runner.on('pending', (t) => tests.push({ title: t.title, fullTitle: t.fullTitle(), state: 'pending' }));
    });
    writeResults({
      vscodeVersion: vscode.version,
      passes: tests.filter((t) => t.state === 'passed').length,
      // Hook failures count too: mocha reports them through 'fail' as well.
      failures: Math.max(failures, tests.filter((t) => t.state === 'failed').length),
      pending: tests.filter((t) => t.state === 'pending').length,
      tests,
    });
    if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
  } catch (err) {
    if (!fs.existsSync(process.env.BACKPROP_TEST_RESULTS ?? '')) {
      writeResults({
        vscodeVersion: vscode.version,
        passes: 0,
        failures: 1,
        pending: 0,
        tests,
        error: errorOf(err).stack ?? errorOf(err).message,
      });
    }
    throw err;
  }
}
