/**
 * Breakpoints over the trace: line breakpoints (a layer's lines stop at its forward, backward
 * and update events; the `loss:` line at the loss event), function breakpoints by event name
 * (`backward`, `update 2`), conditions and logpoints in the evaluate language, hit counts, and
 * the exception filters (non-finite values, wrong hand-derived values, numeric health).
 * Hit counts count the events a breakpoint covers from the start of the run, so they mean the
 * same going forward and backward: on `loss:` the 50th hit is step 50.
 */
import { Analysis } from '../analysis/analyze';
import { TraceEventKind } from '../engine/trace';
import { evaluateNode, formatValue, truthy } from './expr/evaluate';
import { ExpressionError, Node, parse } from './expr/syntax';
import { Position, PositionSpace, stepPlan } from './positions';
import { NotComputedError, Snapshot } from './values';

/** Which events a breakpoint stops at: a layer's (all kinds unless given), or the loss. */
export interface EventFilter {
  readonly kind?: TraceEventKind;
  /** 0 for the loss; undefined for every layer. */
  readonly layer?: number;
}

export interface HitCondition {
  readonly op: '==' | '>=' | '>' | '<' | '<=' | '%';
  readonly n: number;
}

export interface Breakpoint {
  readonly id: number;
  readonly filter: EventFilter;
  readonly condition?: Node;
  readonly hit?: HitCondition;
  /** A logpoint's message: literal text and {expressions}. */
  readonly log?: readonly (string | Node)[];
  /** 'function' for function breakpoints (the stop reason differs). */
  readonly origin: 'line' | 'function';
}

export type ExceptionFilter = 'nan' | 'wrongExpect' | 'health';
export const EXCEPTION_FILTERS: readonly {
  filter: ExceptionFilter;
  label: string;
  description: string;
  default: boolean;
}[] = [
  { filter: 'nan', label: 'NaN or ∞', description: 'Stop where a value first becomes NaN or infinite', default: true },
  {
    filter: 'wrongExpect',
    label: 'Wrong hand-derived value',
    description: 'Stop at the event whose expect: value does not match',
    default: false,
  },
  {
    filter: 'health',
    label: 'Numeric health',
    description: 'Stop at saturation, dead ReLUs, vanishing or exploding gradients',
    default: false,
  },
];

export interface ExceptionStop {
  readonly filter: ExceptionFilter;
  readonly index: number;
  /** One line: what went wrong. */
  readonly message: string;
  readonly id: string;
}

/** Parses a hit count: "50" (the 50th hit), ">= 10", "> 3", "% 10" (every 10th). */
export function parseHitCondition(text: string): HitCondition {
  const m = /^\s*(==|=|>=|>|<=|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m)
    throw new ExpressionError(
      `a hit count is a whole number, optionally after ==, >=, >, <=, < or % (got ${JSON.stringify(text)})`,
    );
  const op = (m[1] === '=' || !m[1] ? '==' : m[1]) as HitCondition['op'];
  const n = Number(m[2]);
  if (op === '%' && n === 0) throw new ExpressionError('% 0 would never stop: use % 1 or more');
  return { op, n };
}

export function hitMatches(h: HitCondition, hits: number): boolean {
  switch (h.op) {
    case '==':
      return hits === h.n;
    case '>=':
      return hits >= h.n;
    case '>':
      return hits > h.n;
    case '<=':
      return hits <= h.n;
    case '<':
      return hits < h.n;
    case '%':
      return hits % h.n === 0;
  }
}

/** "step {step}: L = {loss}" → literal text and parsed expressions. */
export function parseLogMessage(text: string): (string | Node)[] {
  const out: (string | Node)[] = [];
  const re = /\{([^{}]*)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(parse(m[1]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** "backward", "update 2", "forward layer 1", "loss" → which events. */
export function parseEventName(name: string, layers: number): EventFilter {
  const m = /^\s*(forward|loss|backward|update)(?:\s*(?:·\s*)?(?:layer\s*)?(\d+))?\s*$/i.exec(name);
  if (!m)
    throw new ExpressionError(
      `a function breakpoint names events: forward, loss, backward or update, optionally with a layer (e.g. "backward", "update 2"); got ${JSON.stringify(name)}`,
    );
  const kind = m[1].toLowerCase() as TraceEventKind;
  if (kind === 'loss') {
    if (m[2]) throw new ExpressionError('the loss event has no layer: write "loss"');
    return { kind, layer: 0 };
  }
  const layer = m[2] === undefined ? undefined : Number(m[2]);
  if (layer !== undefined && (layer < 1 || layer > layers))
    throw new ExpressionError(`there is no layer ${layer}: the network has layers 1 to ${layers}`);
  return { kind, layer };
}

export function filterMatches(f: EventFilter, p: Position): boolean {
  if (p.part !== p.parts - 1) return false;
  if (f.kind && f.kind !== p.kind) return false;
  if (f.layer === 0) return p.kind === 'loss';
  if (f.layer !== undefined) return p.kind !== 'loss' && p.layer === f.layer;
  return f.kind !== undefined || p.kind !== 'loss';
}

/** How many events the filter covers from the start of the run up to and including `index`. */
export function hitCount(f: EventFilter, space: PositionSpace, index: number): number {
  const plan = stepPlan(space.layers);
  const cmp = (i: number) => filterMatches(f, { step: 1, ...plan[i] });
  const perStep = plan.reduce((n, _, i) => n + (cmp(i) ? 1 : 0), 0);
  const step = Math.floor(index / space.perStep),
    within = index % space.perStep;
  let n = step * perStep;
  for (let i = 0; i <= within; i++) if (cmp(i)) n++;
  return n;
}

export type Verdict = { readonly stop: boolean; readonly log?: string; readonly error?: string };

/** Whether `bp` stops (or logs) at the position of `snap`, which is event number `index`. */
export function judge(
  bp: Breakpoint,
  snap: Snapshot,
  space: PositionSpace,
  index: number,
  num: (x: number) => string,
): Verdict {
  const p = snap.position;
  if (!filterMatches(bp.filter, p)) return { stop: false };
  if (bp.hit && !hitMatches(bp.hit, hitCount(bp.filter, space, index))) return { stop: false };
  const scope = { snapshot: snap, layer: p.kind === 'loss' ? undefined : p.layer };
  if (bp.condition) {
    try {
      if (!truthy(evaluateNode(bp.condition, scope), 1)) return { stop: false };
    } catch (e) {
      // Not computed at this event (e.g. δ at forward): the condition is simply not met here.
      if (e instanceof NotComputedError) return { stop: false };
      return { stop: false, error: `breakpoint condition: ${(e as Error).message}` };
    }
  }
  if (bp.log) {
    const text = bp.log
      .map((part) => {
        if (typeof part === 'string') return part;
        try {
          return formatValue(evaluateNode(part, scope), num);
        } catch (e) {
          return `<${(e as Error).message}>`;
        }
      })
      .join('');
    return { stop: false, log: text };
  }
  return { stop: true };
}

/** Where the exception filters stop: each finding of the analysis at its event. */
export function exceptionStops(analysis: Analysis, space: PositionSpace): ExceptionStop[] {
  const out: ExceptionStop[] = [];
  const at = (step: number, kind: TraceEventKind, layer: number) =>
    space.indexOf({ step, kind, layer: kind === 'loss' ? 0 : layer });
  for (const h of analysis.trace?.health ?? []) {
    const kind: TraceEventKind =
      h.layer === 0 || h.quantity === 'loss'
        ? 'loss'
        : h.quantity === 'z' || h.quantity === 'a'
          ? 'forward'
          : h.quantity === 'W_next' || h.quantity === 'b_next'
            ? 'update'
            : 'backward';
    const index = at(h.step, kind, h.layer);
    if (index >= 0)
      out.push({ filter: h.kind === 'non_finite' ? 'nan' : 'health', index, message: h.message, id: h.kind });
  }
  for (const r of analysis.expectations) {
    if (r.ok) continue;
    const e = r.expectation;
    const kind: TraceEventKind =
      e.key === 'loss' || e.key === 'dL_da'
        ? 'loss'
        : e.key === 'z' || e.key === 'a'
          ? 'forward'
          : e.key === 'W_next' || e.key === 'b_next'
            ? 'update'
            : 'backward';
    const index = at(e.step, kind, e.layer);
    const first = r.diagnostics().find((d) => d.severity === 'error');
    if (index >= 0)
      out.push({
        filter: 'wrongExpect',
        index,
        message: first?.message ?? `${r.symbol} does not match`,
        id: 'expect-mismatch',
      });
  }
  return out.sort((a, b) => a.index - b.index);
}
