/**
 * Reading the model schema for messages (never for validation: that is the generated code's job):
 * which schema applies at a place in the file, and where else a misplaced key belongs.
 */
import { JsonSchema, schema as root } from './schemaValidator';
import { Path } from './valueNames';

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const asSchema = (x: unknown): JsonSchema | undefined => (isObject(x) ? x : undefined);

function definitions(): Record<string, unknown> {
  return isObject(root.definitions) ? root.definitions : {};
}

/** The definition a `$ref` names: `#/definitions/dense` → dense. */
function refName(s: JsonSchema): string | undefined {
  return typeof s.$ref === 'string' && s.$ref.startsWith('#/definitions/') ? s.$ref.slice('#/definitions/'.length) : undefined;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function hasType(s: JsonSchema, v: unknown): boolean {
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const t = jsonType(v);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** The `if` forms the schema uses to tell alternatives apart (a unit test keeps it to these). */
export function conditionHolds(s: JsonSchema, v: unknown): boolean {
  if (s.type !== undefined && !hasType(s, v)) return false;
  const contains = asSchema(s.contains);
  if (contains && !(Array.isArray(v) && v.some((x) => conditionHolds(contains, x)))) return false;
  const props = asSchema(s.properties);
  if (props && isObject(v))
    for (const [k, p] of Object.entries(props)) {
      const ps = asSchema(p);
      if (ps && k in v && 'const' in ps && v[k] !== ps.const) return false;
    }
  if (Array.isArray(s.required) && !(isObject(v) && s.required.every((k) => typeof k === 'string' && k in v))) return false;
  const not = asSchema(s.not);
  if (not && conditionHolds(not, v)) return false;
  return true;
}

/** Every schema that applies to a value through $ref, allOf and if/then/else, with its definition name. */
function applying(s: JsonSchema, v: unknown, name?: string): { schema: JsonSchema; name?: string }[] {
  const out: { schema: JsonSchema; name?: string }[] = [{ schema: s, ...(name !== undefined ? { name } : {}) }];
  const ref = refName(s);
  const target = ref === undefined ? undefined : asSchema(definitions()[ref]);
  if (target) out.push(...applying(target, v, ref));
  const cond = asSchema(s.if);
  if (cond) {
    const branch = asSchema(conditionHolds(cond, v) ? s.then : s.else);
    if (branch) out.push(...applying(branch, v, name));
  }
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (asSchema(a)) out.push(...applying(a as JsonSchema, v, name));
  return out;
}

/** The schemas that apply at `path` of `value` (the whole file), innermost definition name last. */
export function schemasAt(path: Path, value: unknown): { schema: JsonSchema; name?: string }[] {
  let current = applying(root, value);
  let v: unknown = value;
  for (const seg of path) {
    const next: { schema: JsonSchema; name?: string }[] = [];
    const child: unknown = typeof seg === 'number' ? (Array.isArray(v) ? v[seg] : undefined) : isObject(v) ? v[seg] : undefined;
    for (const { schema } of current) {
      const sub = typeof seg === 'number' ? asSchema(schema.items) : asSchema(asSchema(schema.properties)?.[seg]);
      if (sub) next.push(...applying(sub, child));
    }
    current = next;
    v = child;
  }
  return current;
}

/** Where a key is written, for people: "inside optimizer", "in each layer", "in a layer's expect block". */
const PLACE_OF_DEFINITION: Record<string, string> = {
  dense: 'in each layer',
  layer: 'in each layer',
  layerExpectBlock: "in a layer's expect block",
  fileExpectBlock: 'in the file-level expect block',
};

export interface Place {
  /** The definition or top-level key that owns the key ('' for the top of the file). */
  readonly id: string;
  readonly label: string;
  /** An example of the owner, with the key in it, to show where it goes. */
  readonly example?: { readonly key: string; readonly value: Json };
}

/** Every key the schema defines, with the places it may be written. */
const PLACES: ReadonlyMap<string, readonly Place[]> = ((): Map<string, Place[]> => {
  const out = new Map<string, Place[]>();
  const add = (key: string, place: Place): void => {
    const list = out.get(key) ?? [];
    if (!list.some((p) => p.label === place.label)) list.push(place);
    out.set(key, list);
  };
  const props = asSchema(root.properties) ?? {};
  for (const [k, s] of Object.entries(props)) {
    add(k, { id: '', label: 'at the top of the file' });
    const owner = asSchema(s);
    const example = Array.isArray(owner?.examples) ? (owner.examples[0] as Json) : undefined;
    for (const inner of Object.keys(asSchema(owner?.properties) ?? {})) add(inner, { id: k, label: `inside ${k}`, ...(example !== undefined ? { example: { key: k, value: example } } : {}) });
  }
  for (const [name, d] of Object.entries(definitions())) {
    const label = PLACE_OF_DEFINITION[name];
    if (label) for (const inner of Object.keys(asSchema(asSchema(d)?.properties) ?? {})) add(inner, { id: name, label });
  }
  return out;
})();

/** The places other than `here` where `key` may be written, the likeliest first. */
export function placesOf(key: string, here: string): readonly Place[] {
  const family = (id: string): string => (id.endsWith('ExpectBlock') ? 'expect' : id);
  return (PLACES.get(key) ?? []).filter((p) => p.id !== here).sort((a, b) => Number(family(b.id) === family(here)) - Number(family(a.id) === family(here)));
}
