/**
 * The positions the panel steps through: every event of the trace in the engine's order, where
 * each sits, and the keys that step. Pure (no DOM), tested in plain Node.
 */
import { eventsOfStep, TraceEvent, TraceEventKind } from '../src/engine/trace';

/** Every event of every step, in order: the positions the panel steps through. */
export function allEvents(steps: number, layers: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let s = 1; s <= steps; s++) out.push(...eventsOfStep(s, layers));
  return out;
}

/** Index of the event within its step (forward 1..L, loss, backward L..1, update 1..L). */
export function offsetInStep(e: TraceEvent, layers: number): number {
  switch (e.kind) {
    case 'forward':
      return e.layer - 1;
    case 'loss':
      return layers;
    case 'backward':
      return layers + 1 + (layers - e.layer);
    case 'update':
      return 2 * layers + 1 + (e.layer - 1);
  }
}

export function indexOfEvent(e: TraceEvent, layers: number): number {
  return (e.step - 1) * (3 * layers + 1) + offsetInStep(e, layers);
}

export const PHASE_NAMES: Record<TraceEventKind, string> = {
  forward: 'Forward',
  loss: 'Loss',
  backward: 'Backward',
  update: 'Update',
};

/** The layer whose units an event computes (the loss belongs to the last layer). */
export function eventLayer(e: TraceEvent, layers: number): number {
  return e.kind === 'loss' ? layers : e.layer;
}

export function sameEvent(a: TraceEvent, b: TraceEvent): boolean {
  return a.step === b.step && a.kind === b.kind && a.layer === b.layer;
}

export type StepAction = 'next' | 'previous' | 'first' | 'last' | 'togglePlay';

/** The panel's stepping keys: ← → Home End Space (Space only where it would not press a button). */
export function keyAction(key: string, opts: { readonly onButton: boolean }): StepAction | null {
  switch (key) {
    case 'ArrowRight':
      return 'next';
    case 'ArrowLeft':
      return 'previous';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case ' ':
    case 'Spacebar':
      return opts.onButton ? null : 'togglePlay';
    default:
      return null;
  }
}
