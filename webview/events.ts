/**
 * The positions the panel steps through: every event of the trace in the engine's order, where
 * each sits, and the keys that step. Pure (no DOM), tested in plain Node.
 */
import { TraceEvent, TraceEventKind } from '../src/engine/trace';

// Positions are arithmetic (a million-step run is not a list of events): the engine's own.
export { eventAt, indexOfEvent, offsetInStep } from '../src/engine/trace';

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
