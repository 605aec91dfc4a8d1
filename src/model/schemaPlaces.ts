/**
 * Where the model schema lets a key be written, for the message about a misplaced one ("lr
 * belongs inside optimizer"). Read from the schema itself, so a new key or layer kind is known
 * here as soon as it is in the schema.
 */
import { JsonSchema, schema as root } from './schemaValidator';

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Where a definition's keys are written, for people. */
const PLACE_OF_DEFINITION: Record<string, string> = {
  dense: 'in each layer',
  layer: 'in each layer',
  layerExpectBlock: "in a layer's expect block",
  fileExpectBlock: 'in the file-level expect block',
};

export interface Place {
  readonly label: string;
  /** The keys written beside it: the place most like the one a key was misplaced in is likeliest. */
  readonly keys: readonly string[];
  /** An example of the owner, with the key in it, to show where it goes. */
  readonly example?: { readonly key: string; readonly value: Json };
}

/** Every key the schema defines, with the places it may be written. */
const PLACES: ReadonlyMap<string, readonly Place[]> = ((): Map<string, Place[]> => {
  const out = new Map<string, Place[]>();
  const addAll = (owner: JsonSchema | undefined, place: Omit<Place, 'keys'>): void => {
    const keys = Object.keys(isObject(owner?.properties) ? owner.properties : {});
    for (const k of keys) {
      const list = out.get(k) ?? [];
      if (!list.some((p) => p.label === place.label)) list.push({ ...place, keys });
      out.set(k, list);
    }
  };
  addAll(root, { label: 'at the top of the file' });
  for (const [k, s] of Object.entries(isObject(root.properties) ? root.properties : {})) {
    if (!isObject(s)) continue;
    const example = Array.isArray(s.examples) ? (s.examples[0] as Json) : undefined;
    addAll(s, { label: `inside ${k}`, ...(example !== undefined ? { example: { key: k, value: example } } : {}) });
  }
  for (const [name, d] of Object.entries(isObject(root.definitions) ? root.definitions : {})) {
    const label = PLACE_OF_DEFINITION[name];
    if (label && isObject(d)) addAll(d, { label });
  }
  return out;
})();

/** The places where `key` may be written, likeliest first: those sharing most keys with `here`. */
export function placesOf(key: string, here: readonly string[]): readonly Place[] {
  const shared = (p: Place): number => p.keys.filter((k) => here.includes(k)).length;
  return [...(PLACES.get(key) ?? [])].sort((a, b) => shared(b) - shared(a));
}
