/**
 * Between the trace and the model file's lines, for the debugger: what a line breakpoint stops
 * at, and the lines of each stack frame. Where layers and the loss are written comes from
 * src/model/places.ts; this adds the frames' choices. Lines are 0-based.
 */
import { TraceEvent } from '../engine/trace';
import { layerAtLine, layerLines, LineSpan, lossLine } from '../model/places';
import { Model, SourceRange } from '../model/types';

export type { LineSpan };

const at = (line: number): LineSpan => ({ first: line, last: line });
const rangeLines = (r: SourceRange): LineSpan => ({ first: r.start.line, last: Math.max(r.start.line, r.end.line) });

/** The `loss:` entry's lines. */
export function lossLines(model: Model): LineSpan | undefined {
  const first = lossLine(model);
  return first === undefined ? undefined : { first, last: model.ranges.loss?.end.line ?? first };
}

/** What a breakpoint on `line` stops at: a layer's events (layer ≥ 1), the loss event (0), or nothing. */
export function breakTargetAt(
  model: Model,
  line: number,
): { readonly layer: number; readonly lines: LineSpan } | undefined {
  const layer = layerAtLine(model, line);
  if (layer !== undefined) return { layer, lines: layerLines(model, layer)! };
  const loss = lossLines(model);
  return loss && loss.first <= line && line <= loss.last ? { layer: 0, lines: loss } : undefined;
}

/** The lines an event is computed from: its layer's, or the loss entry. */
export function eventLines(model: Model, e: TraceEvent): LineSpan {
  return (e.kind === 'loss' ? lossLines(model) : layerLines(model, e.layer)) ?? at(0);
}

/** The pass's frame: `layers:` for forward and backward, `optimizer:` for the update, `loss:` for the loss. */
export function passLines(model: Model, e: TraceEvent): LineSpan {
  const r = model.ranges;
  if (e.kind === 'loss') return eventLines(model, e);
  const key = e.kind === 'update' ? (r.optimizer ?? r.layersKey) : r.layersKey;
  return key ? rangeLines(key) : eventLines(model, e);
}

/** The step's frame: `steps:` (or the input, which every step runs on). */
export function stepLines(model: Model): LineSpan {
  const r = model.ranges.steps ?? model.ranges.input?.key ?? model.ranges.input?.value;
  return r ? rangeLines(r) : at(0);
}

/** The whole run's frame: the model's `name:`, else the first line. */
export function runLines(model: Model): LineSpan {
  return model.ranges.name ? rangeLines(model.ranges.name) : at(0);
}
