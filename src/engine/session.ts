/**
 * A cursor over a trace's events — next, previous, jump — shared by the panel, the hovers and
 * the debugger (vscode-mock-debug's runtime/adapter split: this knows nothing of its viewers).
 */
import { eventAt, indexOfEvent, Trace, TraceEvent } from './trace';

export type SessionListener = (event: TraceEvent, index: number) => void;

export class TraceSession {
  /** Events in the run: positions are arithmetic (3L + 1 per step), never a list of a million events. */
  readonly length: number;
  private readonly layers: number;
  private index = 0;
  private readonly listeners = new Set<SessionListener>();

  constructor(
    readonly trace: Trace,
    start?: TraceEvent,
  ) {
    this.layers = trace.parameterCounts.length;
    this.length = trace.steps.length * (3 * this.layers + 1);
    if (start) this.index = Math.max(0, this.indexOf(start));
  }

  get position(): number {
    return this.index;
  }
  get current(): TraceEvent | undefined {
    return this.eventAt(this.index);
  }
  get atStart(): boolean {
    return this.index === 0;
  }
  get atEnd(): boolean {
    return this.index >= this.length - 1;
  }

  /** The event at an index of the run, or undefined outside it. */
  eventAt(index: number): TraceEvent | undefined {
    return Number.isInteger(index) && index >= 0 && index < this.length ? eventAt(index, this.layers) : undefined;
  }

  /** Index of an event (same step, kind, layer), or -1. */
  indexOf(e: TraceEvent): number {
    const valid =
      Number.isInteger(e.step) &&
      e.step >= 1 &&
      e.step <= this.trace.steps.length &&
      (e.kind === 'loss' ? e.layer === 0 : Number.isInteger(e.layer) && e.layer >= 1 && e.layer <= this.layers);
    return valid ? indexOfEvent(e, this.layers) : -1;
  }

  next(): TraceEvent | undefined {
    return this.jump(this.index + 1);
  }
  previous(): TraceEvent | undefined {
    return this.jump(this.index - 1);
  }
  first(): TraceEvent | undefined {
    return this.jump(0);
  }
  last(): TraceEvent | undefined {
    return this.jump(this.length - 1);
  }

  /** Moves to the index, clamped to the trace; notifies listeners when the position changes. */
  jump(index: number): TraceEvent | undefined {
    if (this.length === 0) return undefined;
    const clamped = Math.min(Math.max(0, Math.trunc(index)), this.length - 1);
    if (clamped !== this.index) {
      this.index = clamped;
      const e = eventAt(clamped, this.layers);
      for (const l of this.listeners) l(e, clamped);
    }
    return this.current;
  }

  jumpTo(e: TraceEvent): TraceEvent | undefined {
    const i = this.indexOf(e);
    return i < 0 ? undefined : this.jump(i);
  }

  /** Runs forward until `stop` holds for an event after the current one (a breakpoint), or to the end. */
  continueUntil(stop: (e: TraceEvent) => boolean): TraceEvent | undefined {
    for (let i = this.index + 1; i < this.length; i++) if (stop(eventAt(i, this.layers))) return this.jump(i);
    return this.last();
  }

  onDidMove(listener: SessionListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
