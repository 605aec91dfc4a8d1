/**
 * An ajv error, placed on its node, worded for people: what was expected (from the schema that
 * raised it: its type, enum, bounds, examples), what was found, and for keys the word probably
 * meant. Which errors to word at all (one per mistake) is schemaCheck.ts's choice.
 */
import { JsonSchema, SchemaError, schema as root } from './schemaValidator';
import { Node, Span, describeNode } from './nodes';
import { Severity } from './types';
import { suggest } from './suggest';
import { exampleText, formatNumber, joinOr } from './wording';
import { Path, nameAt, ownerAt, placeAt } from './valueNames';
import { NOT_IN_THE_FILE, SYNONYMS } from './keyHints';
import { placesOf } from './schemaPlaces';

/** An error with the place it is about. */
export interface Located {
  readonly error: SchemaError;
  readonly path: Path;
  /** The value judged; a number inside a list of numbers stands as a scalar node of its own. */
  readonly node: Node;
  /** The key the value sits under, when it has one. */
  readonly keySpan?: Span;
  /** The first line of the value (where "missing key" errors go). */
  readonly head: Span;
}

export interface Worded {
  readonly span: Span;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

export interface Wording {
  readonly text: string;
  readonly format: 'yaml' | 'json';
  /** Finds the key entry `key` of the mapping at `path`, for errors about keys. */
  keySpan(path: Path, key: string): Span | undefined;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  null: 'nothing',
  object: 'a mapping',
  array: 'a list',
};

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function definition(s: unknown): JsonSchema | undefined {
  if (!isObject(s)) return undefined;
  const ref = s.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/definitions/') && isObject(root.definitions)) {
    const d = root.definitions[ref.slice('#/definitions/'.length)];
    return isObject(d) ? d : undefined;
  }
  return s;
}

function typesOf(s: JsonSchema): string[] {
  return (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === 'string');
}

/** "a list of numbers", "a list of rows of numbers", "a list". */
function listWords(s: JsonSchema): string {
  const items = definition(s.items);
  if (!items) return TYPE_WORDS.array;
  const t = typesOf(items);
  if (t.includes('number')) return 'a list of numbers';
  if (t.includes('array') && typesOf(definition(items.items) ?? {}).includes('number'))
    return 'a list of rows of numbers';
  return TYPE_WORDS.array;
}

/** What the schema accepts, for "must be …": its types, or its allowed values. */
function expected(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return `one of ${s.enum.join(', ')}`;
  // handNumber: text is allowed only as arithmetic.
  if (isObject(s.then) && typeof s.then.pattern === 'string') return 'a number, or arithmetic of numbers';
  return joinOr(typesOf(s).map((t) => (t === 'array' ? listWords(s) : (TYPE_WORDS[t] ?? t))));
}

function examples(s: JsonSchema | undefined, format: 'yaml' | 'json'): string {
  const ex = s && Array.isArray(s.examples) ? s.examples : [];
  return ex.length > 0 ? `, e.g. ${ex.map((e) => exampleText(e, format)).join(' or ')}` : '';
}

/** The first example, else the default, else the first allowed value: something to write. */
function sample(s: JsonSchema | undefined): unknown {
  if (!s) return undefined;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.default !== undefined) return s.default;
  return Array.isArray(s.enum) ? s.enum[0] : undefined;
}

/** "at least 0 and below 1", "greater than 0", "between 0 and 1". */
function bounds(s: JsonSchema): string {
  const n = (k: string): number | undefined => (typeof s[k] === 'number' ? s[k] : undefined);
  const [min, max, xmin, xmax] = [n('minimum'), n('maximum'), n('exclusiveMinimum'), n('exclusiveMaximum')];
  if (xmin !== undefined && xmax !== undefined) return `between ${xmin} and ${xmax}`;
  const lo = min !== undefined ? `at least ${min}` : xmin !== undefined ? `greater than ${xmin}` : '';
  const hi = max !== undefined ? `at most ${max}` : xmax !== undefined ? `below ${xmax}` : '';
  return [lo, hi].filter(Boolean).join(' and ');
}

export function wordError(l: Located, w: Wording): Worded {
  const e = l.error;
  const s = e.parentSchema;
  const name = nameAt(l.path);
  const node = l.node;
  const got = describeNode(node);
  const error = (span: Span, code: string, message: string): Worded => ({ span, severity: 'error', code, message });
  switch (e.keyword) {
    case 'type': {
      if (typeof e.data === 'number' && !Number.isFinite(e.data))
        return error(node, 'non-finite', `${name}: not a finite number: ${w.text.slice(node.start, node.end)}`);
      if (e.data === null && typesOf(s).includes('array') && l.keySpan)
        return error(l.keySpan, 'empty', `${name} is empty: add e.g. ${exampleText(sample(s), w.format)}`);
      return error(node, 'type', `${name} must be ${expected(s)}${examples(s, w.format)}; got ${got}`);
    }
    case 'enum':
    case 'const': {
      const allowed = (e.keyword === 'enum' ? (Array.isArray(s.enum) ? s.enum : []) : [s.const]).map(String);
      if (typeof e.data !== 'string')
        return error(node, 'type', `${name} must be one of ${allowed.join(', ')}; got ${got}`);
      const meant = suggest(e.data, allowed);
      return error(
        node,
        'enum',
        `Unknown ${name} "${e.data}"${meant ? `; did you mean "${meant}"?` : ''} (one of ${allowed.join(', ')})`,
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return error(
        node,
        'range',
        `${name} must be ${bounds(s)}; got ${typeof e.data === 'number' ? formatNumber(e.data) : got}`,
      );
    case 'minItems':
      return error(node, 'empty', `${name} is empty${examples(s, w.format).replace(', e.g.', ': add e.g.')}`);
    case 'required': {
      const key = String(e.params.missingProperty);
      // A requirement that speaks for itself: "Layer 2 needs W (and b), or units with an init".
      if (typeof s.description === 'string' && !isObject(s.properties))
        return error(l.head, 'missing', `${ownerAt(l.path)} needs ${s.description}`);
      const prop = definition(isObject(s.properties) ? s.properties[key] : undefined);
      const choices = prop && Array.isArray(prop.enum) ? ` (one of ${prop.enum.join(', ')})` : '';
      return error(
        l.head,
        'missing',
        `${ownerAt(l.path)} has no ${key}: add e.g. ${key}: ${exampleText(sample(prop), w.format)}${choices}`,
      );
    }
    case 'dependencies': {
      const key = String(e.params.property);
      const missing = String(e.params.missingProperty);
      const prop = definition(isObject(s.properties) ? s.properties[missing] : undefined);
      const at = w.keySpan(l.path, key) ?? l.head;
      // A bias-less W gets its fix where the shapes are known (shapes.ts).
      return error(
        at,
        missing === 'b' ? 'missing-bias' : 'missing',
        `${key} needs ${missing}: add e.g. ${missing}: ${exampleText(sample(prop), w.format)} to ${placeAt(l.path)}`,
      );
    }
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const span = w.keySpan(l.path, key) ?? l.head;
      return { span, severity: 'warning', code: 'unknown-key', message: unknownKey(key, l.path, s, w.format) };
    }
    // The one pattern in the schema: arithmetic in hand-derived values (handNumber).
    case 'pattern':
      return error(node, 'type', `${name} must be a number, or arithmetic of numbers such as (2/3)*38; got ${got}`);
    case 'oneOf':
    case 'anyOf': {
      const choices = Array.isArray(e.parentSchema[e.keyword]) ? (e.parentSchema[e.keyword] as unknown[]) : [];
      const words = choices
        .map((c) => definition(c))
        .filter((c): c is JsonSchema => c !== undefined)
        .map(expected);
      return error(node, 'type', `${name} must be ${joinOr(words)}${examples(s, w.format)}; got ${got}`);
    }
    default:
      return error(node, 'schema', `${name} does not fit the model schema (${e.keyword})`);
  }
}

/** A table's own entry: a key named __proto__ or toString is a key, not an inherited member. */
function own(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** "Unknown key "lr" in the model; lr belongs inside optimizer, e.g. optimizer: {type: sgd, lr: 0.01}". */
function unknownKey(key: string, path: Path, s: JsonSchema, format: 'yaml' | 'json'): string {
  const known = Object.keys(isObject(s.properties) ? s.properties : {});
  const head = `Unknown key "${key}" in ${placeAt(path)}`;
  const close = suggest(key, known);
  if (close) return `${head}; did you mean "${close}"?`;
  const synonym = own(SYNONYMS, key) ?? own(SYNONYMS, key.toLowerCase());
  if (synonym !== undefined && known.includes(synonym)) return `${head}; did you mean "${synonym}"?`;
  for (const k of synonym !== undefined ? [key, synonym] : [key]) {
    const place = placesOf(k, known)[0];
    if (!place) continue;
    const ex = place.example ? `, e.g. ${place.example.key}: ${exampleText(place.example.value, format)}` : '';
    return `${head}; ${k === key ? key : `did you mean "${k}"? It`} belongs ${place.label}${ex}`;
  }
  const note = own(NOT_IN_THE_FILE, key);
  return note ? `${head}; ${note}` : `${head}; known keys: ${known.join(', ')}`;
}
