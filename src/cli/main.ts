/**
 * `backprop` — the same trace the editor shows, for terminals, scripts and CI.
 *   backprop trace FILE [--steps N] [--format table|json|ndjson|markdown|latex] [--only-steps L] [--every N]
 *   backprop check FILE [--epsilon E] [--verbose] [--format text|json]
 *   backprop dap                      (the debugger, Debug Adapter Protocol on stdin/stdout)
 * Exit codes: 0 all holds, 1 an error in the model (or a wrong hand-derived value), 2 wrong usage.
 */
import { parseArgs, UsageError, intOption, choiceOption, numberOption, onlyOptions } from './args';
import { runCheck } from './check';
import { runTrace } from './trace';
import { Io, readModelFile } from './io';
import { StepSelection } from './selection';
import { OutputError } from './output';
import { runDap } from './dap';
import { printDiagnostics } from './diagnostics';
import { DEFAULT_LIMITS } from '../model/types';

const USAGE = `Usage:
  backprop trace FILE [--steps N] [--format table|json|ndjson|markdown|latex] [--digits D]
                     [--only-steps 1,500,1000-1010] [--every N]
      Run the model file and print every event: forward, loss, backward, update.
      Steps are written as they are produced (ndjson: one JSON object per step and
      line); --only-steps and --every print a selection. Memory stays bounded
      whatever --steps says: the run keeps checkpoints, not every step.
  backprop check FILE [--epsilon E] [--verbose] [--format text|json]
      Validate, run, check the hand-derived expect: values and the gradients
      (central differences). Prints FILE:LINE:COL: error|warning: message,
      or with --format json one object with every finding.
  backprop dap
      Serve the debugger on stdin/stdout (Debug Adapter Protocol), for nvim-dap,
      dap-mode, Helix and other DAP clients.
  backprop --help | --version

Exit status: 0 when everything holds, 1 on any error in the model, 2 on wrong usage.`;

const OPTIONS = {
  steps: { type: 'string' },
  format: { type: 'string' },
  digits: { type: 'string' },
  'only-steps': { type: 'string' },
  every: { type: 'string' },
  epsilon: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const;

/** The options each command takes; any other is refused, never ignored. */
const TAKES: Record<string, readonly string[]> = {
  trace: ['steps', 'format', 'digits', 'only-steps', 'every', 'color', 'no-color'],
  check: ['epsilon', 'verbose', 'format', 'color', 'no-color'],
  dap: [],
};

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { command, positional, values } = parseArgs(argv, OPTIONS);
    if (values.help || command === 'help') {
      io.out(USAGE + '\n');
      return 0;
    }
    if (values.version) {
      io.out(`backprop ${VERSION}\n`);
      return 0;
    }
    const color = values.color || (io.isTTY && !values['no-color'] && !process.env.NO_COLOR);
    if (!command) throw new UsageError('no command given');
    if (!Object.hasOwn(TAKES, command))
      throw new UsageError(`unknown command ${JSON.stringify(command)} (expected trace, check or dap)`);
    onlyOptions(command, values, TAKES[command]);
    if (command === 'dap') {
      if (positional.length) throw new UsageError('dap takes no file: the client names it in its launch request');
      runDap();
      return 0;
    }
    if (positional.length !== 1) throw new UsageError(`${command} takes one model file, got ${positional.length}`);
    const file = positional[0];
    if (command === 'check')
      return runCheck(
        file,
        {
          epsilon: numberOption('epsilon', values.epsilon, 0, 1, true),
          verbose: values.verbose === true,
          color,
          format: choiceOption('format', values.format, ['text', 'json'] as const, 'text'),
        },
        io,
      );
    const options = {
      steps: intOption('steps', values.steps, 1, DEFAULT_LIMITS.maxSteps),
      format: choiceOption('format', values.format, ['table', 'json', 'ndjson', 'markdown', 'latex'] as const, 'table'),
      digits: intOption('digits', values.digits, 1, 17),
      color,
      select: StepSelection.parse(values['only-steps'], intOption('every', values.every, 1, Number.MAX_SAFE_INTEGER)),
    };
    const read = readModelFile(file);
    if ('diagnostic' in read) {
      printDiagnostics(file, [read.diagnostic], io, color, true);
      return 1;
    }
    return await runTrace(file, read.text, options, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`backprop: ${e.message}\n${e.showUsage ? `\n${USAGE}\n` : ''}`);
      return 2;
    }
    // A bug of ours, not the user's model: say so plainly, without a stack trace unless asked.
    io.err(
      `backprop: internal error: ${(e as Error).message}\n${process.env.BACKPROP_DEBUG ? (e as Error).stack + '\n' : 'Set BACKPROP_DEBUG=1 for details, and please report it.\n'}`,
    );
    return 1;
  }
}

/** package.json's version, put in by the build (scripts/build.mjs). */
declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

/** The process's own Io: stdout with back-pressure, its write errors caught (never an unhandled 'error' event). */
function processIo(): Io {
  let failed: Error | undefined;
  process.stdout.on('error', (e) => {
    failed ??= e;
  });
  process.stderr.on('error', () => undefined);
  return {
    out: (t) => {
      if (!failed) process.stdout.write(t);
    },
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
    errIsTTY: Boolean(process.stderr.isTTY),
    write: (t) =>
      new Promise<void>((resolve, reject) => {
        if (failed) return reject(failed);
        // Resolved once the chunk is handed over: the next one waits for the reader.
        process.stdout.write(t, (e) => {
          if (e) {
            failed ??= e;
            reject(e);
          } else resolve();
        });
      }),
  };
}

if (require.main === module) {
  void main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`backprop: ${e instanceof OutputError ? e.line : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
