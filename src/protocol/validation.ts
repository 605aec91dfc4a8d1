/**
 * How a message is checked on receipt: one valibot schema per message (its TypeScript type is
 * inferred from it, or checked against the engine's), built from the few field kinds below, and
 * a failed check becomes a ProtocolError naming the path that failed — so a bad message is logged
 * precisely and never half-applied. The expected-value wording lives here, once.
 */
import * as v from 'valibot';

export class ProtocolError extends Error {
  /** `path`: where in the message, e.g. "message.step.forward[0].z.data"; `problem`: "expected …" or "missing". */
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ProtocolError';
  }
}

/** A message as typed on both sides: read-only all the way down (typed arrays are binary data, kept as they are). */
export type DeepReadonly<T> = T extends Float64Array | Uint8Array
  ? T
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

const expected = (what: string): string => `expected ${what}`;

// ── Field kinds ──────────────────────────────────────────────────────────────────────────────

/** Non-finite numbers are legitimate trace values (a diverging run), so only the type is checked. */
export const num = v.number(expected('a number'));
export const str = v.string(expected('a string'));
export const bool = v.boolean(expected('a boolean'));
// Typed as the engine types its arrays: over any buffer (a received one may be shared).
export const f64: v.GenericSchema<unknown, Float64Array> = v.instance(Float64Array, expected('a Float64Array'));
export const bytes: v.GenericSchema<unknown, Uint8Array> = v.instance(Uint8Array, expected('a Uint8Array'));

export function int(min = 0) {
  const message = expected(`an integer ≥ ${min}`);
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message));
}

export function oneOf<const T extends readonly string[]>(options: T) {
  return v.picklist(options, expected(options.join(' | ')));
}

export function list<T extends v.GenericSchema>(item: T) {
  return v.array(item, expected('an array'));
}

/** An object with exactly these fields (others are dropped, as the handlers never read them). */
export function record<const E extends v.ObjectEntries>(entries: E) {
  // The same issue type reports a missing field, with the field's name quoted as what was expected.
  return v.object(entries, (issue) => (issue.expected === 'Object' ? expected('an object') : 'missing'));
}

/** One of several records told apart by the value of `key` (a message's `type`, a target's `kind`). */
export function tagged<const K extends string, const O extends v.VariantOptions<K>>(key: K, options: O) {
  return v.variant(key, options, (issue) =>
    expected(issue.expected === 'Object' ? 'an object' : (issue.expected ?? '').replace(/[()]/g, '')),
  );
}

/** A check across fields of a record, reported at one of them. */
export interface Rule<T> {
  /** The field the finding is reported at (a matrix's "data", a document's "activations"). */
  readonly at: keyof T & string;
  readonly ok: (x: T) => boolean;
  /** What was expected there, e.g. "6 entries". */
  readonly want: (x: T) => string;
}

/** `schema` with cross-field rules, each checked once the fields themselves passed. */
export function refined<T extends Record<string, unknown>>(
  schema: v.GenericSchema<unknown, T>,
  ...rules: readonly Rule<T>[]
): v.GenericSchema<unknown, T> {
  return rules.reduce<v.GenericSchema<unknown, T>>(
    // `forward` moves the finding from the record to the field; its path type cannot be checked for a generic T.
    (s, r) =>
      v.pipe(
        s,
        v.forward<T, v.CheckIssue<T>, readonly [string]>(
          v.check(r.ok, (issue) => expected(r.want(issue.input))),
          [r.at] as never,
        ),
      ),
    schema,
  );
}

/**
 * The members of a string union listed at run time (for a picklist); the compiler says which
 * member is missing when the union grows, so the list and the type cannot drift apart.
 */
export function allOf<T extends string>() {
  return <const A extends readonly T[]>(
    list: A & ([Exclude<T, A[number]>] extends [never] ? unknown : { missing: Exclude<T, A[number]> }),
  ): A => list;
}

// ── Checking ─────────────────────────────────────────────────────────────────────────────────

function pathOf(root: string, issue: v.BaseIssue<unknown>): string {
  return (
    root + (issue.path ?? []).map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('')
  );
}

/** A function that returns its input typed by `schema`, or throws a ProtocolError at the first thing wrong. */
export function validator<S extends v.GenericSchema>(
  schema: S,
  root: string,
): (x: unknown) => DeepReadonly<v.InferOutput<S>> {
  return (x) => {
    const r = v.safeParse(schema, x, { abortEarly: true });
    if (r.success) return r.output as DeepReadonly<v.InferOutput<S>>;
    const issue = r.issues[0];
    throw new ProtocolError(pathOf(root, issue), issue.message);
  };
}
