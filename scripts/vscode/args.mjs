// Every script's command line: Node's util.parseArgs, strict (unknown options, missing values and
// stray arguments are refused). Wrong usage prints the script's usage and exits 2; --help prints it.
import { parseArgs } from 'node:util';

/** Exits 2 with `message` and the usage text. */
export function usageError(usage, message) {
  process.stderr.write(`error: ${message}\n\nUsage: ${usage}\n`);
  process.exit(2);
}

/** `options` as util.parseArgs takes them (plus --help, -h); returns the parsed values. */
export function parseScriptArgs(usage, options, argv = process.argv.slice(2)) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (e) {
    if (!String(e?.code).startsWith('ERR_PARSE_ARGS_')) throw e;
    usageError(usage, e.message);
  }
  if (values.help) {
    process.stdout.write(`Usage: ${usage}\n`);
    process.exit(0);
  }
  return values;
}

/** The whole number in `values[name]` within [min, max], or `fallback` when it is absent. */
export function intArg(usage, values, name, min, max, fallback) {
  if (values[name] === undefined) return fallback;
  const n = Number(values[name]);
  if (values[name].trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    usageError(usage, `--${name} takes a whole number from ${min} to ${max}, got ${JSON.stringify(values[name])}`);
  }
  return n;
}
