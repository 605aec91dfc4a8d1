/** A small, strict argument parser: unknown flags are usage errors (exit 2), never ignored. */
export class UsageError extends Error {}

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positional: readonly string[];
  readonly flags: ReadonlyMap<string, string | true>;
}

/** `spec` maps each allowed flag to whether it takes a value. */
export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, boolean>>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (!arg.startsWith('-') || arg === '-') { positional.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = arg.replace(/^-+/, '').slice(0, eq < 0 ? undefined : eq - (arg.startsWith('--') ? 2 : 1));
    if (!(name in spec)) throw new UsageError(`unknown option ${arg.slice(0, eq < 0 ? undefined : eq)}`);
    if (!spec[name]) { flags.set(name, true); continue; }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    flags.set(name, value);
  }
  return { command: positional[0], positional: positional.slice(1), flags };
}

export function intFlag(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, got ${v === true ? 'nothing' : JSON.stringify(v)}`);
  return n;
}

export function numberFlag(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} takes a number from ${min} to ${max}, got ${v === true ? 'nothing' : JSON.stringify(v)}`);
  return n;
}

export function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  if (v === true || !(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} takes one of ${choices.join(', ')}, got ${v === true ? 'nothing' : JSON.stringify(v)}`);
  return v as T;
}
