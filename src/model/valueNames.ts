/**
 * How messages name a value by its place in the file: `lr`, `W²[2][3]`, `units of layer 2`, `z¹`,
 * `Layer 3`; and the mappings that own keys: `the model`, `optimizer`, `layer 2`.
 */
import { ExpectKey } from './types';
import { sup } from './wording';

/** A place in the file: keys and 0-based list indices, from the top. */
export type Path = readonly (string | number)[];

/** z¹, δ², W²', ∂L/∂a², L — how a hand-derived value is named in messages. */
export function expectSymbol(key: ExpectKey, layer: number, lastLayer?: number): string {
  const l = sup(layer === 0 ? (lastLayer ?? 0) : layer);
  const L = layer === 0 && lastLayer === undefined ? 'ᴸ' : l;
  switch (key) {
    case 'z':
      return `z${l}`;
    case 'a':
      return `a${l}`;
    case 'delta':
      return `δ${l}`;
    case 'dW':
      return `∂L/∂W${l}`;
    case 'db':
      return `∂L/∂b${l}`;
    case 'W_next':
      return `W${l}'`;
    case 'b_next':
      return `b${l}'`;
    case 'sigma_prime':
      return `σ'(z${l})`;
    case 'dL_da':
      return `∂L/∂a${L}`;
    case 'loss':
      return 'L';
  }
}

const EXPECT_VALUES = new Set<string>([
  'z',
  'a',
  'delta',
  'dW',
  'db',
  'W_next',
  'b_next',
  'sigma_prime',
  'dL_da',
  'loss',
]);

/** The layer (1-based) and the rest of the path, when the path is inside `layers`. */
function inLayer(path: Path): { layer: number; rest: Path } | undefined {
  return path[0] === 'layers' && typeof path[1] === 'number' ? { layer: path[1] + 1, rest: path.slice(2) } : undefined;
}

/** The rest of the path inside an expect block (past a list index), when the path is inside one. */
function inExpect(path: Path): Path | undefined {
  if (path[0] !== 'expect') return undefined;
  return typeof path[1] === 'number' ? path.slice(2) : path.slice(1);
}

/** `lr`, `W²[2][3]`, `units of layer 2`, `z¹[1]`, `Layer 3`, `expect block 2 of layer 1`. */
export function nameAt(path: Path): string {
  let end = path.length;
  while (end > 0 && typeof path[end - 1] === 'number') end--;
  const cells = path.slice(end).map((i) => `[${(i as number) + 1}]`);
  const base = path.slice(0, end);
  const layer = inLayer(path);
  // A list item that is a mapping of its own: a layer, an expect block.
  if (base.length === 1 && base[0] === 'layers' && layer) return `Layer ${layer.layer}` + cells.slice(1).join('');
  if (base[base.length - 1] === 'expect' && cells.length > 0) {
    const of = layer ? ` of layer ${layer.layer}` : '';
    return `expect block ${(path[end] as number) + 1}${of}` + cells.slice(1).join('');
  }
  return nameOfKey(base) + cells.join('');
}

function nameOfKey(path: Path): string {
  if (path.length === 0) return 'The model file';
  const key = String(path[path.length - 1]);
  const layer = inLayer(path);
  const expectRest = inExpect(layer ? layer.rest : path);
  if (expectRest && expectRest.length === 1 && EXPECT_VALUES.has(key))
    return expectSymbol(key as ExpectKey, layer?.layer ?? 0);
  if (layer && layer.rest.length === 1) {
    if (key === 'W' || key === 'b') return `${key}${sup(layer.layer)}`;
    if (key === 'units' || key === 'type' || key === 'expect') return `${key} of layer ${layer.layer}`;
  }
  if (path.length === 2 && path[0] === 'optimizer' && key === 'type') return 'optimizer type';
  return key;
}

/** The mapping at `path` as the owner of keys: "the model", "optimizer", "layer 2", "the expect block of layer 1". */
export function placeAt(path: Path): string {
  if (path.length === 0) return 'the model';
  const layer = inLayer(path);
  if (layer && layer.rest.length === 0) return `layer ${layer.layer}`;
  if (inExpect(layer ? layer.rest : path)?.length === 0)
    return layer ? `the expect block of layer ${layer.layer}` : 'the file-level expect block';
  return String(path[path.length - 1]);
}

/** placeAt, starting a sentence: "The model", "Layer 2", but a key stays as written ("optimizer"). */
export function ownerAt(path: Path): string {
  const p = placeAt(path);
  return p.startsWith('the ') || p.startsWith('layer ') ? p[0].toUpperCase() + p.slice(1) : p;
}
