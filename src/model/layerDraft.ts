/**
 * What every kind of layer read from the file shares (dense.ts, conv2d.ts, pool2d.ts, flatten.ts
 * each add their own keys), and what shape inference tells each one: the shape that arrives.
 */
import { Pair } from '../engine/network';
import { MapEntry, MapNode } from './nodes';
import { Report } from './report';
import { SchemaCheck } from './schemaCheck';
import { Limits } from './types';
import { Path } from './valueNames';
import { plural, sup } from './wording';

export interface DraftBase {
  /** 1-based. */
  readonly index: number;
  readonly path: Path;
  readonly node: MapNode;
  readonly entries: ReadonlyMap<string, MapEntry>;
  /** Whether everything it was written with was read. */
  ok: boolean;
}

/** What the layers before tell a layer of any kind but dense. */
export interface KindContext {
  readonly report: Report;
  readonly check: SchemaCheck;
  readonly limits: Limits;
  /** One example's shape arriving from the layer before ([n] or [C, H, W]); undefined when unknown. */
  readonly before: readonly number[] | undefined;
  /** "the input", "layer 2": where `before` comes from. */
  readonly from: string;
}

/** A kind's verdict: one example's output shape (undefined when it cannot be settled). */
export interface KindShape {
  readonly out?: readonly number[];
  /** Its parameters: weights plus biases. */
  readonly parameters: number;
  readonly ok: boolean;
}

/** The entries of a layer mapping, and its path. */
export function layerEntries(m: MapNode, index: number): { path: Path; entries: Map<string, MapEntry> } {
  return { path: ['layers', index - 1], entries: new Map(m.entries.map((e) => [e.key, e])) };
}

/** An int-or-[a, b] key the schema accepted, as a pair; `fallback` when it is not written or not valid. */
export function readPair(check: SchemaCheck, path: Path, key: string): Pair | undefined {
  const v = check.get([...path, key]);
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  return undefined;
}

/** Where a finding about the whole layer goes: its `type:` value, else its head. */
export function layerSpan(d: DraftBase, report: Report): { start: number; end: number } {
  return d.entries.get('type')?.value ?? report.head(d.node);
}

/** "Layer 2 (conv2d)". */
export function layerName(d: DraftBase & { readonly kind: string }): string {
  return `Layer ${d.index} (${d.kind})`;
}

/** W² etc. */
export function paramName(key: 'W' | 'b', index: number): string {
  return `${key}${sup(index)}`;
}

/** "2×3×3 images" or "a vector of 5 units": what arrives at a layer. */
export function shapeWords(shape: readonly number[]): string {
  return shape.length === 1 ? `a vector of ${plural(shape[0], 'unit')}` : `${shape.join('×')} images`;
}
