/**
 * Between the trace and the model file's lines: which lines a layer (or the loss) covers, for
 * line breakpoints and for the stack's highlighted lines. Lines are 0-based, as the model's
 * ranges give them.
 */
import { Model, SourceRange } from '../model/types';
import { TraceEvent } from '../engine/trace';

export interface LineSpan {
  readonly line: number;
  readonly endLine: number;
}

/** A range's lines; a range that ends at the start of a line (where the next key begins) stops before it. */
function span(r: SourceRange, first = r.start.line): LineSpan {
  const end = r.end.character === 0 && r.end.line > first ? r.end.line - 1 : r.end.line;
  return { line: first, endLine: Math.max(first, end) };
}

/** Layer l's lines: from its `- ` (or `{`) to its last line. */
export function layerSpan(model: Model, l: number): LineSpan | undefined {
  const r = model.ranges.layers[l - 1];
  return r ? span(r.layer, Math.min(r.head.start.line, r.layer.start.line)) : undefined;
}

/** The `loss:` entry's lines. */
export function lossSpan(model: Model): LineSpan | undefined {
  const key = model.ranges.lossKey, value = model.ranges.loss;
  if (!key && !value) return undefined;
  return { line: (key ?? value)!.start.line, endLine: (value ?? key)!.end.line };
}

/** What a breakpoint on `line` stops at: a layer's events, the loss event, or nothing. */
export function breakTargetAt(model: Model, line: number): { readonly layer: number; readonly at: LineSpan } | undefined {
  for (let l = 1; l <= model.ranges.layers.length; l++) {
    const s = layerSpan(model, l);
    if (s && s.line <= line && line <= s.endLine) return { layer: l, at: s };
  }
  const loss = lossSpan(model);
  if (loss && loss.line <= line && line <= loss.endLine) return { layer: 0, at: loss };
  return undefined;
}

/** The lines an event is computed from: its layer's, or the loss line. */
export function eventSpan(model: Model, e: TraceEvent): LineSpan {
  return (e.kind === 'loss' ? lossSpan(model) : layerSpan(model, e.layer)) ?? { line: 0, endLine: 0 };
}

/** Lines for the outer stack frames: the pass, the step, the whole run. */
export function passSpan(model: Model, e: TraceEvent): LineSpan {
  const r = model.ranges;
  if (e.kind === 'loss') return eventSpan(model, e);
  if (e.kind === 'update' && r.optimizer) return span(r.optimizer);
  return r.layersKey ? span(r.layersKey) : eventSpan(model, e);
}

export function stepSpan(model: Model): LineSpan {
  const r = model.ranges;
  const at = r.steps ?? r.input?.key ?? r.input?.value;
  return at ? span(at) : { line: 0, endLine: 0 };
}

export function runSpan(model: Model): LineSpan {
  return model.ranges.name ? span(model.ranges.name) : { line: 0, endLine: 0 };
}
