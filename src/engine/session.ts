/**
 * A cursor over a trace's events — next, previous, jump — shared by the panel, the hovers and
 * the debugger (vscode-mock-debug's runtime/adapter split: this knows nothing of its viewers).
 */
import { eventsOf, Trace, TraceEvent } from './trace';

export type SessionListener = (event: TraceEvent, index: number) => void;

export class TraceSession {
  readonly events: readonly TraceEvent[];
  private index = 0;
  private readonly listeners = new Set<SessionListener>();

  constructor(
    readonly trace: Trace,
    start?: TraceEvent,
  ) {
    this.events = eventsOf(trace);
    if (start) this.index = Math.max(0, this.indexOf(start));
  }

  get position(): number {
    return this.index;
  }
  get length(): number {
    return this.events.length;
  }
  get current(): TraceEvent | undefined {
    return this.events[this.index];
  }
  get atStart(): boolean {
    return this.index === 0;
  }
  get atEnd(): boolean {
    return this.index >= this.events.length - 1;
  }

  /** Index of an event (same step, kind, layer), or -1. */
  indexOf(e: TraceEvent): number {
    return this.events.findIndex((x) => x.step === e.step && x.kind === e.kind && x.layer === e.layer);
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
    return this.jump(this.events.length - 1);
  }

  /** Moves to the index, clamped to the trace; notifies listeners when the position changes. */
  jump(index: number): TraceEvent | undefined {
    if (this.events.length === 0) return undefined;
    const clamped = Math.min(Math.max(0, Math.trunc(index)), this.events.length - 1);
    if (clamped !== this.index) {
      this.index = clamped;
      for (const l of this.listeners) l(this.events[clamped], clamped);
    }
    return this.events[this.index];
  }

  jumpTo(e: TraceEvent): TraceEvent | undefined {
    const i = this.indexOf(e);
    return i < 0 ? undefined : this.jump(i);
  }

  /** Runs forward until `stop` holds for an event after the current one (a breakpoint), or to the end. */
  continueUntil(stop: (e: TraceEvent) => boolean): TraceEvent | undefined {
    for (let i = this.index + 1; i < this.events.length; i++) if (stop(this.events[i])) return this.jump(i);
    return this.last();
  }

  onDidMove(listener: SessionListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
