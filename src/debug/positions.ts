/**
 * Where the debugger can stand: every event of the trace (forward l = 1..L, loss, backward
 * l = L..1, update l = 1..L), and inside an event its parts (stepIn): z then a for forward, δ then
 * ∂L/∂W then ∂L/∂b for backward. The last part of an event is the event complete, which is where
 * next/continue stop. Positions are numbered arithmetically, so a run of any length costs nothing.
 */
import { TraceEvent, TraceEventKind } from '../engine/trace';

export interface Position extends TraceEvent {
  /** 0-based part; parts - 1 is the event complete. */
  readonly part: number;
  readonly parts: number;
}

/** Names of each kind's parts, in the order stepIn visits them. */
export const PARTS: Readonly<Record<TraceEventKind, readonly string[]>> = {
  forward: ['z', 'a'],
  loss: ['L'],
  backward: ['δ', '∂L/∂W', '∂L/∂b'],
  update: ['W′, b′'],
};

export const PHASE: Readonly<Record<TraceEventKind, string>> = {
  forward: 'forward pass',
  loss: 'loss',
  backward: 'backward pass',
  update: 'update',
};

type Slot = Omit<Position, 'step'>;
const plans = new Map<number, readonly Slot[]>();

/** The positions of one step, in order. */
export function stepPlan(layers: number): readonly Slot[] {
  let plan = plans.get(layers);
  if (plan) return plan;
  const out: Slot[] = [];
  const add = (kind: TraceEventKind, layer: number) => {
    const parts = PARTS[kind].length;
    for (let part = 0; part < parts; part++) out.push({ kind, layer, part, parts });
  };
  for (let l = 1; l <= layers; l++) add('forward', l);
  add('loss', 0);
  for (let l = layers; l >= 1; l--) add('backward', l);
  for (let l = 1; l <= layers; l++) add('update', l);
  plan = out;
  plans.set(layers, plan);
  return plan;
}

/** Positions over a run of `steps` steps of a `layers`-layer network. */
export class PositionSpace {
  readonly perStep: number;
  readonly length: number;

  constructor(
    readonly steps: number,
    readonly layers: number,
  ) {
    this.perStep = stepPlan(layers).length;
    this.length = steps * this.perStep;
  }

  at(index: number): Position {
    const i = Math.min(Math.max(0, index), this.length - 1);
    return { step: Math.floor(i / this.perStep) + 1, ...stepPlan(this.layers)[i % this.perStep] };
  }

  /** Index of a position (part defaults to the event complete), or -1 when outside the run. */
  indexOf(e: TraceEvent & { part?: number }): number {
    if (e.step < 1 || e.step > this.steps) return -1;
    const plan = stepPlan(this.layers);
    const k = plan.findIndex(
      (s) => s.kind === e.kind && s.layer === (e.kind === 'loss' ? 0 : e.layer) && s.part === (e.part ?? s.parts - 1),
    );
    return k < 0 ? -1 : (e.step - 1) * this.perStep + k;
  }

  isComplete(index: number): boolean {
    const p = this.at(index);
    return p.part === p.parts - 1;
  }

  /** The first complete event after `index`, or -1. */
  nextEvent(index: number): number {
    for (let i = index + 1; i < this.length; i++) if (this.isComplete(i)) return i;
    return -1;
  }

  /** The last complete event before `index`, or -1. */
  previousEvent(index: number): number {
    for (let i = index - 1; i >= 0; i--) if (this.isComplete(i)) return i;
    return -1;
  }

  /** The last position of the pass (phase) that `index` is in. */
  endOfPass(index: number): number {
    const p = this.at(index);
    let i = index;
    while (i + 1 < this.length) {
      const q = this.at(i + 1);
      if (q.step !== p.step || q.kind !== p.kind) break;
      i++;
    }
    return i;
  }

  /** The first position of the pass that `index` is in. */
  startOfPass(index: number): number {
    const p = this.at(index);
    let i = index;
    while (i > 0) {
      const q = this.at(i - 1);
      if (q.step !== p.step || q.kind !== p.kind) break;
      i--;
    }
    return i;
  }

  /** The first complete event of a step. */
  startOfStep(step: number): number {
    return this.nextEvent((step - 1) * this.perStep - 1);
  }

  /** The first position of an event (its first part). */
  startOfEvent(index: number): number {
    const p = this.at(index);
    return index - p.part;
  }
}

/** "backward · layer 2", "loss", with the part when inside an event: "backward · layer 2 · δ". */
export function positionLabel(p: Position): string {
  const event = p.kind === 'loss' ? 'loss' : `${p.kind} · layer ${p.layer}`;
  return p.part === p.parts - 1 ? event : `${event} · ${PARTS[p.kind][p.part]}`;
}

/** An event's name for messages: "backward · layer 1". */
export function eventLabel(e: TraceEvent): string {
  return e.kind === 'loss' ? 'loss' : `${e.kind} · layer ${e.layer}`;
}
