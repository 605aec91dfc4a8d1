/** The flatten kind (`type: flatten`): nothing to read but its place; C×H×W becomes C·H·W units. */
import { MapNode } from './nodes';
import { DraftBase, KindContext, KindShape, layerEntries } from './layerDraft';

export interface FlattenDraft extends DraftBase {
  readonly kind: 'flatten';
}

export function readFlatten(m: MapNode, index: number): FlattenDraft {
  const { path, entries } = layerEntries(m, index);
  return { kind: 'flatten', index, path, node: m, entries, ok: true };
}

export function flattenShape(d: FlattenDraft, ctx: KindContext): KindShape {
  if (!ctx.before) return { parameters: 0, ok: false };
  return { out: [ctx.before.reduce((a, b) => a * b, 1)], parameters: 0, ok: d.ok };
}
