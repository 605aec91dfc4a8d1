/**
 * Where a numeric warning belongs in the trace. Both sides place warnings: the panel draws them at
 * their events (a hand-derived value's check carries its event already).
 */
import type { HealthIssue, TraceEvent } from '../engine/trace';

/** The event at which a numeric warning arises. */
export function healthEvent(h: HealthIssue): TraceEvent {
  if (h.layer === 0 || h.quantity === 'loss') return { step: h.step, kind: 'loss', layer: 0 };
  switch (h.quantity) {
    case 'z':
    case 'a':
      return { step: h.step, kind: 'forward', layer: h.layer };
    case 'W_next':
    case 'b_next':
      return { step: h.step, kind: 'update', layer: h.layer };
    default:
      return { step: h.step, kind: 'backward', layer: h.layer };
  }
}
