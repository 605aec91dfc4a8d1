/**
 * The command line, tokenised by Node's util.parseArgs; unknown options and missing or unexpected
 * values are usage errors (exit 2), never ignored, with messages in our words, not Node's.
 */
import { parseArgs as parseTokens } from 'node:util';

/** Wrong usage: exit 2, with the usage text unless `showUsage` is false (the command was right, a value cannot work). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

/** Each allowed option: 'string' takes a value (`--steps 3`, `--steps=3`), 'boolean' takes none. */
export type OptionSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>;

export type OptionValues<T extends OptionSpec> = {
  readonly [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean;
};

export interface ParsedArgs<T extends OptionSpec> {
  readonly command: string | undefined;
  readonly positional: readonly string[];
  readonly values: OptionValues<T>;
}

export function parseArgs<T extends OptionSpec>(argv: readonly string[], options: T): ParsedArgs<T> {
  // Not strict: Node's own errors would read "Unknown option '--x'. To specify a positional…";
  // the three checks below say the same in a line. A value may start with '-' (`--epsilon -1`).
  const { values, positionals, tokens } = parseTokens({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
    if (!spec) throw new UsageError(`unknown option ${t.rawName}`);
    if (spec.type === 'string' && t.value === undefined) throw new UsageError(`option ${t.rawName} needs a value`);
    if (spec.type === 'boolean' && t.value !== undefined) throw new UsageError(`option ${t.rawName} takes no value`);
  }
  return { command: positionals[0], positional: positionals.slice(1), values: values as OptionValues<T> };
}

export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/** A number in [min, max], or in (min, max) when `exclusive`. */
export function numberOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  exclusive = false,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const inside = exclusive ? n > min && n < max : n >= min && n <= max;
  if (value.trim() === '' || !Number.isFinite(n) || !inside)
    throw new UsageError(
      `--${name} takes a number ${exclusive ? `above ${min} and below ${max}` : `from ${min} to ${max}`}, got ${JSON.stringify(value)}`,
    );
  return n;
}

/** Refuses the options `command` does not take, rather than ignoring them. */
export function onlyOptions(
  command: string,
  values: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
): void {
  for (const [name, v] of Object.entries(values))
    if (v !== undefined && !allowed.includes(name)) throw new UsageError(`${command} does not take --${name}`);
}

export function choiceOption<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`--${name} takes one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}
