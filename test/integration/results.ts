/**
 * The suite's results as the runners read them (scripts/run-integration.mjs), collected from a
 * mocha runner's events: the same in the Node extension host (index.ts) and in the web worker
 * host (web/index.ts), which differ only in how they load mocha and where they write.
 */
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

export function errorOf(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  return { message: String(err) };
}

/** Runs mocha (started by `start`, which calls back with its failure count) and collects every test's outcome. */
export async function collect(
  vscodeVersion: string,
  start: (done: (failures: number) => void) => Mocha.Runner,
): Promise<SuiteResults> {
  const tests: TestResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = start(resolve);
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
  return {
    vscodeVersion,
    passes: tests.filter((t) => t.state === 'passed').length,
    // Hook failures count too: mocha reports them through 'fail' as well.
    failures: Math.max(failures, tests.filter((t) => t.state === 'failed').length),
    pending: tests.filter((t) => t.state === 'pending').length,
    tests,
  };
}

/** The results of a suite that could not run (a test file failed to load, mocha threw). */
export function crashed(vscodeVersion: string, err: unknown): SuiteResults {
  const e = errorOf(err);
  return { vscodeVersion, passes: 0, failures: 1, pending: 0, tests: [], error: e.stack ?? e.message };
}
