/**
 * `backprop` — the same trace the editor shows, for terminals, scripts and CI.
 *   backprop trace FILE [--steps N] [--format table|json|markdown|latex]
 *   backprop check FILE [--epsilon E] [--verbose]
 *   backprop dap                      (the debugger, Debug Adapter Protocol on stdin/stdout)
 * Exit codes: 0 all holds, 1 an error in the model (or a wrong hand-derived value), 2 wrong usage.
 */
import { parseArgs, UsageError, intFlag, choiceFlag, numberFlag } from './args';
import { runCheck } from './check';
import { runTrace } from './trace';
import { Io, readModelFile } from './io';
import { runDap } from './dap';
import { DEFAULT_LIMITS } from '../model/types';

const USAGE = `Usage:
  backprop trace FILE [--steps N] [--format table|json|markdown|latex] [--digits D]
      Run the model file and print every event: forward, loss, backward, update.
  backprop check FILE [--epsilon E] [--verbose]
      Validate, run, check the hand-derived expect: values and the gradients
      (central differences). Prints FILE:LINE:COL: error|warning: message.
  backprop dap
      Serve the debugger on stdin/stdout (Debug Adapter Protocol), for nvim-dap,
      dap-mode, Helix and other DAP clients.
  backprop --help | --version

Exit status: 0 when everything holds, 1 on any error in the model, 2 on wrong usage.`;

const FLAGS = { steps: true, format: true, digits: true, epsilon: true, verbose: false, help: false, h: false, version: false, color: false, 'no-color': false };

export function main(argv: readonly string[], io: Io): number {
  try {
    const args = parseArgs(argv, FLAGS);
    if (args.flags.has('help') || args.flags.has('h') || args.command === 'help') { io.out(USAGE + '\n'); return 0; }
    if (args.flags.has('version')) { io.out(`backprop ${VERSION}\n`); return 0; }
    const color = args.flags.has('color') || (io.isTTY && !args.flags.has('no-color') && !process.env.NO_COLOR);
    if (!args.command) throw new UsageError('no command given');
    if (args.command === 'dap') {
      if (args.positional.length) throw new UsageError('dap takes no file: the client names it in its launch request');
      runDap();
      return 0;
    }
    if (args.positional.length !== 1) throw new UsageError(`${args.command} takes one model file, got ${args.positional.length}`);
    const file = args.positional[0];
    switch (args.command) {
      case 'trace':
        return runTrace(file, readModelFile(file), {
          steps: intFlag(args, 'steps', 1, DEFAULT_LIMITS.maxSteps),
          format: choiceFlag(args, 'format', ['table', 'json', 'markdown', 'latex'] as const, 'table'),
          digits: intFlag(args, 'digits', 1, 17),
          color,
        }, io);
      case 'check':
        return runCheck(file, readModelFile(file), {
          epsilon: numberFlag(args, 'epsilon', 1e-12, 1),
          verbose: args.flags.has('verbose'),
          color,
        }, io);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(args.command)} (expected trace, check or dap)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`backprop: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    // A bug of ours, not the user's model: say so plainly, without a stack trace unless asked.
    io.err(`backprop: internal error: ${(e as Error).message}\n${process.env.BACKPROP_DEBUG ? (e as Error).stack + '\n' : 'Set BACKPROP_DEBUG=1 for details, and please report it.\n'}`);
    return 1;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

if (require.main === module) {
  const code = main(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
  });
  process.exitCode = code;
}
