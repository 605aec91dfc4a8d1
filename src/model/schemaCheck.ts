/**
 * The schema's verdict on a parsed tree. media/bp-model.schema.json, compiled at build time into
 * schemaValidator.js, judges a plain copy of the tree and fills in its defaults; each error is
 * placed on the node it is about and worded (schemaMessages.ts), one message per mistake. What it
 * rejects is remembered, so the hand-written checks that follow (shapes, limits) skip it rather
 * than report it again.
 */
import validate, { SchemaError } from './schemaValidator';
import { MapEntry, Node, Span } from './nodes';
import { Draft, Report } from './report';
import { Path } from './valueNames';
import { Worded, wordError } from './schemaMessages';

/** Non-finite numbers handed to the validator, per list and in all: the rest are the same mistake. */
const NON_FINITE_PER_LIST = 20;
const NON_FINITE_IN_ALL = 100;

/** Keywords that judge a value itself: the value is then rejected, and one such error per value is told. */
const VALUE_KEYWORDS = new Set([
  'type',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'pattern',
  'oneOf',
  'anyOf',
]);

export class SchemaCheck {
  /**
   * `value`: the file as plain data, defaults filled in; `rejected`: JSON Pointers of the values
   * the schema rejected and of everything holding one; `keys`: its errors about keys (unknown,
   * missing beside another), by mapping and key.
   */
  constructor(
    private readonly value: unknown,
    private readonly rejected: ReadonlySet<string>,
    private readonly keys: ReadonlyMap<string, Draft>,
  ) {}

  /** The value at `path` (the schema's default when it is not written), unless the schema rejected it or something in it. */
  get(path: Path): unknown {
    if (this.rejected.has(pointer(path))) return undefined;
    let v: unknown = this.value;
    for (const seg of path)
      v =
        typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, seg)
          ? (v as Record<string | number, unknown>)[seg]
          : undefined;
    return v;
  }

  /** Whether the mapping at `path` may hold `key` (the schema warned about it otherwise). */
  known(path: Path, key: string): boolean {
    return this.keys.get(`${pointer(path)}#${key}`)?.code !== 'unknown-key';
  }

  /** True unless the schema rejected the value at `path` or something in it. */
  ok(path: Path): boolean {
    return !this.rejected.has(pointer(path));
  }

  /** The schema's error for `key` missing from the mapping at `path` (b beside W), for a check that can say more. */
  missing(path: Path, key: string): Draft | undefined {
    const d = this.keys.get(`${pointer(path)}#${key}`);
    return d?.code === 'unknown-key' ? undefined : d;
  }
}

function pointer(path: Path): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function checkSchema(root: Node, report: Report): SchemaCheck {
  const value = plain(root, { left: NON_FINITE_IN_ALL });
  const rejected = new Set<string>();
  const keys = new Map<string, Draft>();
  validate(value);
  const errors = validate.errors ?? [];
  /** Values already told about: one message per value. */
  const told = new Set<string>();
  const keySpan = (path: Path, key: string): Span | undefined => {
    const at = locate(root, path);
    return at?.node.kind === 'map' ? at.node.entries.find((e) => e.key === key)?.keySpan : undefined;
  };
  const wording = { text: report.text, format: report.format, keySpan };
  // A oneOf/anyOf reports every alternative's errors besides its own (the schema tells alternatives
  // apart by type with if/then/else instead): should one appear, its own message is the one told.
  const isAlternatives = (e: SchemaError): boolean => e.keyword === 'oneOf' || e.keyword === 'anyOf';
  const alternatives = errors.filter(isAlternatives).map((e) => e.instancePath);
  const insideAlternatives = (e: SchemaError): boolean =>
    alternatives.some((p) => e.instancePath.startsWith(p + '/') || (e.instancePath === p && !isAlternatives(e)));
  const found: { worded: Worded; path: Path; error: SchemaError }[] = [];
  for (const e of errors) {
    // `if` only says that its then/else failed; their own errors say how.
    if (e.keyword === 'if' || insideAlternatives(e)) continue;
    const at = locate(root, segments(e.instancePath, root));
    if (!at) continue;
    const isValue = VALUE_KEYWORDS.has(e.keyword);
    if (isValue && told.has(e.instancePath)) continue;
    const worded: Worded = wordError(
      {
        error: e,
        path: at.path,
        node: at.node,
        head: report.head(at.node),
        ...(at.entry ? { keySpan: at.entry.keySpan } : {}),
      },
      wording,
    );
    if (isValue) {
      told.add(e.instancePath);
      for (let i = 0; i <= at.path.length; i++) rejected.add(pointer(at.path.slice(0, i)));
    }
    found.push({ worded, path: at.path, error: e });
  }
  // In the order of the text, not of the schema's keys.
  found.sort((a, b) => a.worded.span.start - b.worded.span.start);
  for (const { worded, path, error } of found) {
    const d = report.add(worded.span, worded.severity, worded.code, worded.message);
    const key: unknown =
      error.keyword === 'dependencies'
        ? error.params.missingProperty
        : error.keyword === 'additionalProperties'
          ? error.params.additionalProperty
          : undefined;
    if (typeof key === 'string') keys.set(`${pointer(path)}#${key}`, d);
  }
  return new SchemaCheck(value, rejected, keys);
}

/** The tree as plain data for the validator. */
function plain(n: Node, nonFinite: { left: number }): unknown {
  switch (n.kind) {
    case 'scalar':
      return n.value;
    case 'numbers': {
      const out = new Array<number>(n.values.length);
      let here = NON_FINITE_PER_LIST;
      for (let i = 0; i < n.values.length; i++) {
        const v = n.values[i];
        // Each NaN would be an error object: past the budget, stand-ins that pass.
        out[i] = Number.isFinite(v) || (here-- > 0 && nonFinite.left-- > 0) ? v : 0;
      }
      return out;
    }
    case 'seq':
      return n.items.map((it) => plain(it, nonFinite));
    case 'map': {
      const out: Record<string, unknown> = {};
      // defineProperty: a key named __proto__ is data, not the object's prototype.
      for (const e of n.entries)
        Object.defineProperty(out, e.key, {
          value: plain(e.value, nonFinite),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }
  }
}

/** A JSON Pointer as keys and indices, reading indices where the tree has lists. */
function segments(instancePath: string, root: Node): Path {
  if (instancePath === '') return [];
  const out: (string | number)[] = [];
  let n: Node | undefined = root;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (n && (n.kind === 'seq' || n.kind === 'numbers')) {
      const i = Number(seg);
      out.push(i);
      n = n.kind === 'seq' ? n.items[i] : undefined;
    } else {
      out.push(seg);
      n = n?.kind === 'map' ? n.entries.find((e) => e.key === seg)?.value : undefined;
    }
  }
  return out;
}

/** The node at `path`, and the entry it is the value of; a number of a list stands as its own scalar. */
function locate(root: Node, path: Path): { node: Node; path: Path; entry?: MapEntry } | undefined {
  let n: Node = root;
  let entry: MapEntry | undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    entry = undefined;
    if (n.kind === 'map' && typeof seg === 'string') {
      entry = n.entries.find((e) => e.key === seg);
      if (!entry) return undefined;
      n = entry.value;
    } else if (n.kind === 'seq' && typeof seg === 'number' && seg < n.items.length) n = n.items[seg];
    else if (n.kind === 'numbers' && typeof seg === 'number' && seg < n.values.length && i === path.length - 1)
      return {
        node: { kind: 'scalar', start: n.starts[seg], end: n.ends[seg], value: n.values[seg], quoted: false },
        path,
      };
    else return undefined;
  }
  return { node: n, path, ...(entry ? { entry } : {}) };
}
