/**
 * What a step record costs to keep, and what it hands on to the next step (its updated
 * parameters and the optimizer's state): the store's accounting and its replays both read
 * records only through here.
 */
import type { ParamState } from '../optimizers';
import type { Params } from '../layers/kind';
import type { StepRecord } from '../trace';

/** The optimizer state one step hands the next, per layer (undefined before step 1). */
export type OptimizerState = readonly { readonly W?: ParamState; readonly b?: ParamState }[];

/** Bytes an array costs besides its data: the typed array, its ArrayBuffer and its Matrix (V8, roughly). */
export const ARRAY_OVERHEAD = 200;

/** Calls `visit` on every typed array reachable from `root` (records are plain data). */
export function forEachArray(root: unknown, visit: (a: ArrayBufferView) => void): void {
  if (typeof root !== 'object' || root === null) return;
  if (ArrayBuffer.isView(root)) {
    visit(root);
    return;
  }
  for (const v of Array.isArray(root) ? root : Object.values(root)) forEachArray(v, visit);
}

/**
 * Bytes of the arrays of `root` not yet in `seen` (which it extends): records share buffers (a
 * step's W is the previous step's W′), so a set of records is counted once per buffer.
 */
export function retainedArrayBytes(root: unknown, seen: Set<ArrayBufferLike>): number {
  let bytes = 0;
  forEachArray(root, (a) => {
    if (seen.has(a.buffer)) return;
    seen.add(a.buffer);
    bytes += a.buffer.byteLength + ARRAY_OVERHEAD;
  });
  return bytes;
}

/** The parameters step n + 1 starts from: step n's W′ and b′. */
export function paramsAfter(r: StepRecord): Params[] {
  return r.update.map((u) => ({ W: u.WNext, b: u.bNext }));
}

/**
 * The optimizer state after step n, rebuilt from its record: the record names each buffer
 * `${key}_W` (a Matrix) or `${key}_b` and holds the very arrays the optimizer returned.
 */
export function stateAfter(r: StepRecord): OptimizerState {
  return r.update.map((u) => {
    const W: ParamState = {},
      b: ParamState = {};
    for (const [name, value] of Object.entries(u.state)) {
      const key = name.slice(0, name.lastIndexOf('_'));
      if (name.endsWith('_W')) W[key] = value instanceof Float64Array ? value : value.data;
      else b[key] = value instanceof Float64Array ? value : value.data;
    }
    return { W, b };
  });
}
