/**
 * One edit, many wrong values: when parameters change (a W typed over, Apply Updated Weights),
 * every hand-derived value computed through them goes wrong at once. Against a baseline — the
 * parameters the values last matched for — this finds the changed parameters and the values that
 * went wrong through them, following the network's structure (z^l[i] reads row i of W^l, b^l[i]
 * and everything before layer l; the loss, every δ, gradient and update read every parameter, and
 * step 2 onwards reads all of step 1), so the views can say so once, at the root. Pure.
 */
import type { Matrix } from '../engine/tensor';
import { sup } from '../engine/numberFormat';
import { weightCell } from '../model/layout';
import { parameterRange } from '../model/places';
import { Model, SourceRange } from '../model/types';
import { plural } from '../model/wording';
import { CellCheck, ExpectationResult, TracedEntry } from './expect';

/** W (engine layout, out × in) and b of every layer. */
export type ParameterValues = readonly { readonly W: Matrix; readonly b: Float64Array }[];

/** What the hand-derived values were last right for. */
export interface Baseline {
  readonly params: ParameterValues;
  /** The cells that matched then (cellKey). */
  readonly matched: ReadonlySet<string>;
}

export interface ChangedParameter {
  readonly layer: number;
  readonly param: 'W' | 'b';
  /** Engine indices: W[i][j] (i out, j in), b[i] (j = 0). */
  readonly i: number;
  readonly j: number;
  readonly before: number;
  readonly after: number;
  /** As the file writes it: W²[1][2], b¹[3]. */
  readonly name: string;
}

export interface Dependent {
  readonly result: ExpectationResult;
  readonly cell: CellCheck;
  readonly range: SourceRange;
}

export interface RootCause {
  /** The first changed parameter's literal. */
  readonly range: SourceRange;
  readonly message: string;
  readonly changed: readonly ChangedParameter[];
  /** The values that matched at the baseline and are wrong now through a changed parameter, in file order. */
  readonly dependents: readonly Dependent[];
}

/** A written cell, the same across edits of the parameters. */
export function cellKey(r: ExpectationResult, c: Pick<CellCheck, 'row' | 'col'>): string {
  const e = r.expectation;
  return `${e.step}:${e.layer}:${e.key}:${c.row}:${c.col}`;
}

export function parametersOf(model: Model): ParameterValues {
  return model.spec.layers.map((l) => ({ W: l.W, b: l.b }));
}

export function baselineOf(model: Model, results: readonly ExpectationResult[]): Baseline {
  const matched = new Set<string>();
  for (const r of results) for (const c of r.cells) if (c.ok) matched.add(cellKey(r, c));
  return { params: parametersOf(model), matched };
}

/** Every parameter whose value differs from the baseline's; undefined when the network's shape changed. */
export function changedParameters(model: Model, base: ParameterValues): ChangedParameter[] | undefined {
  const now = parametersOf(model);
  if (now.length !== base.length) return undefined;
  const out: ChangedParameter[] = [];
  for (let k = 0; k < now.length; k++) {
    const [a, b] = [base[k], now[k]];
    if (a.W.rows !== b.W.rows || a.W.cols !== b.W.cols || a.b.length !== b.b.length) return undefined;
    const layer = k + 1;
    for (let i = 0; i < b.W.rows; i++)
      for (let j = 0; j < b.W.cols; j++) {
        const [before, after] = [a.W.data[i * a.W.cols + j], b.W.data[i * b.W.cols + j]];
        if (!Object.is(before, after)) {
          const [r, c] = weightCell(model.convention, i, j);
          out.push({ layer, param: 'W', i, j, before, after, name: `W${sup(layer)}[${r + 1}][${c + 1}]` });
        }
      }
    for (let i = 0; i < b.b.length; i++)
      if (!Object.is(a.b[i], b.b[i]))
        out.push({ layer, param: 'b', i, j: 0, before: a.b[i], after: b.b[i], name: `b${sup(layer)}[${i + 1}]` });
  }
  return out;
}

/**
 * Whether a traced entry is computed through parameter p at all: by the network's structure, not
 * by whether its value happens to move (a ReLU may hide a change; the value still depends on it).
 */
export function dependsOn(at: TracedEntry, p: Pick<ChangedParameter, 'layer' | 'param' | 'i'>): boolean {
  // From step 2 on, every parameter has been updated with gradients that read all of step 1.
  if (at.event.step > 1) return true;
  switch (at.quantity) {
    case 'z':
    case 'a':
    case 'sigma_prime': {
      // Unit `col` of layer l: row `col` of W^l and b^l[col], and everything before layer l.
      const l = at.event.layer;
      return p.layer < l || (p.layer === l && p.i === at.col);
    }
    default:
      // The loss, ∂L/∂a, δ, the gradients and the updates read the whole forward pass (and the
      // backward pass back to their layer), hence every parameter.
      return true;
  }
}

/** How many changed parameters are named one by one; beyond, by matrix. */
const NAMED = 3;

function describe(changed: readonly ChangedParameter[], show: (x: number) => string): string {
  if (changed.length === 1) {
    const c = changed[0];
    return `${c.name}, which you changed (${show(c.before)} → ${show(c.after)})`;
  }
  if (changed.length <= NAMED) return `${joinAnd(changed.map((c) => c.name))}, which you changed`;
  const matrices = [...new Set(changed.map((c) => `${c.param}${sup(c.layer)}`))];
  return `${joinAnd(matrices)}, which changed (${plural(changed.length, 'number')})`;
}

function joinAnd(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * The values that matched at the baseline and are wrong now through a changed parameter, with
 * the one message that says so — or undefined when no such value is wrong (then the current
 * parameters are the new baseline). `show` writes numbers as the views do.
 */
export function rootCause(
  model: Model,
  results: readonly ExpectationResult[],
  base: Baseline,
  show: (x: number) => string,
): RootCause | undefined {
  const changed = changedParameters(model, base.params);
  if (!changed?.length) return undefined;
  const dependents: Dependent[] = [];
  for (const r of results)
    for (const c of r.cells) {
      if (c.ok || !base.matched.has(cellKey(r, c))) continue;
      if (changed.some((p) => dependsOn(c.at, p)))
        dependents.push({ result: r, cell: c, range: c.range ?? r.expectation.ranges.value });
    }
  if (dependents.length === 0) return undefined;
  const first = changed[0];
  const n = dependents.length;
  return {
    range: parameterRange(model, first.layer, first.param, first.i, first.j),
    message: `${n === 1 ? 'This hand-derived value depends' : `These ${n} hand-derived values depend`} on ${describe(changed, show)}: ${n === 1 ? 'it' : 'they'} matched before. Recompute ${n === 1 ? 'it' : 'them'}, or put the old value${changed.length === 1 ? '' : 's'} back.`,
    changed,
    dependents,
  };
}
