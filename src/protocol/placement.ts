/**
 * Where checks and warnings belong in the trace. Both sides place them: the panel draws them at
 * their events, the host puts them into exported solutions.
 */
import type { HealthIssue, TraceEvent } from '../engine/trace';
import type { WireCheck } from './traceData';

/** The event where a hand-derived value is first computed. */
export function checkEvent(c: WireCheck, layers: number): TraceEvent {
  switch (c.key) {
    case 'z': case 'a': return { step: c.step, kind: 'forward', layer: c.layer };
    case 'loss': case 'dL_da': return c.layer === 0 || c.layer === layers ? { step: c.step, kind: 'loss', layer: 0 } : { step: c.step, kind: 'backward', layer: c.layer };
    case 'W_next': case 'b_next': return { step: c.step, kind: 'update', layer: c.layer };
    default: return { step: c.step, kind: 'backward', layer: c.layer };
  }
}

/** The event at which a numeric warning arises. */
export function healthEvent(h: HealthIssue): TraceEvent {
  if (h.layer === 0 || h.quantity === 'loss') return { step: h.step, kind: 'loss', layer: 0 };
  switch (h.quantity) {
    case 'z': case 'a': return { step: h.step, kind: 'forward', layer: h.layer };
    case 'W_next': case 'b_next': return { step: h.step, kind: 'update', layer: h.layer };
    default: return { step: h.step, kind: 'backward', layer: h.layer };
  }
}
