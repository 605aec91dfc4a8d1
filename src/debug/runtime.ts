/**
 * The stepping runtime (vscode-mock-debug's runtime/adapter split): a position in a recorded run
 * and the moves over it — next event, into an event's parts, to the end of a pass, continue to a
 * breakpoint, and all of it backwards, since the run is recorded. It knows nothing of the Debug
 * Adapter Protocol; the adapter translates. Continue runs in slices that yield to the event loop,
 * so pause and breakpoints set while running take effect.
 */
import { Analysis } from '../analysis/analyze';
import { formatNumber } from '../engine/numberFormat';
import { Trace, TraceEvent } from '../engine/trace';
import { Model } from '../model/types';
import {
  Breakpoint,
  EventFilter,
  ExceptionFilter,
  ExceptionStop,
  exceptionStops,
  judge,
  parseEventName,
  parseHitCondition,
  parseLogMessage,
} from './breakpoints';
import { parse } from './expr/syntax';
import { DebugHost, LaunchArguments, noTraceMessage } from './host';
import { breakTargetAt, LineSpan } from './lines';
import { Position, PositionSpace, positionLabel } from './positions';
import { StepSource, traceSteps } from './steps';
import { Snapshot } from './values';

export type StopReason =
  'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'exception' | 'pause' | 'goto' | 'restart';

export interface StopInfo {
  readonly reason: StopReason;
  readonly description?: string;
  readonly hitBreakpointIds?: readonly number[];
  readonly exception?: ExceptionStop;
}

export interface RuntimeEvents {
  stopped(info: StopInfo): void;
  output(text: string, category: 'console' | 'stderr' | 'important'): void;
  terminated(): void;
  /** The run was reloaded (the file changed) while stopped: views must refresh; breakpoints may have moved. */
  reloaded(changed: readonly BreakpointResult[]): void;
}

export interface LineBreakpointSpec {
  /** 0-based line. */
  readonly line: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
}

export interface BreakpointResult {
  readonly id: number;
  readonly verified: boolean;
  /** 0-based lines the breakpoint was moved to. */
  readonly at?: LineSpan;
  readonly message?: string;
}

/** One loaded run: the analysis and what the runtime derives from it. */
export interface Loaded {
  readonly analysis: Analysis;
  readonly model: Model;
  readonly source: StepSource;
  readonly space: PositionSpace;
  readonly exceptions: ReadonlyMap<number, readonly ExceptionStop[]>;
}

/** Milliseconds a continue runs before yielding to pending requests. */
const SLICE_MS = 15;

export function prepare(program: string, analysis: Analysis): Loaded {
  const model = analysis.model,
    trace = analysis.trace;
  if (!model || !trace) throw new Error(noTraceMessage(program, analysis));
  if (trace.steps.length === 0)
    throw new Error(`${program} ran no step${trace.stoppedEarly ? ` (${trace.stoppedEarly})` : ''}`);
  const source = traceSteps(trace);
  const space = new PositionSpace(source.stepCount, source.layerCount);
  const exceptions = new Map<number, ExceptionStop[]>();
  for (const e of exceptionStops(analysis, space)) exceptions.set(e.index, [...(exceptions.get(e.index) ?? []), e]);
  return { analysis, model, source, space, exceptions };
}

export class Runtime {
  private loaded: Loaded | undefined;
  private args: LaunchArguments | undefined;
  private position = 0;
  private nextId = 1;
  private lineSpecs: { readonly id: number; readonly spec: LineBreakpointSpec }[] = [];
  private lineBreakpoints: Breakpoint[] = [];
  private functionBreakpoints: Breakpoint[] = [];
  private readonly filters = new Set<ExceptionFilter>();
  private clientFilters = new Set<ExceptionFilter>();
  /** Bumped by every move, so a continue in flight knows it was overtaken. */
  private generation = 0;
  private running = false;
  private pauseRequested = false;
  private reloadPending = false;
  private watcher: { dispose(): void } | undefined;
  private lastStop: StopInfo | undefined;

  constructor(
    private readonly host: DebugHost,
    private readonly events: RuntimeEvents,
  ) {}

  get run(): Loaded {
    if (!this.loaded) throw new Error('no model file is being debugged yet: send launch first');
    return this.loaded;
  }
  get isLaunched(): boolean {
    return !!this.loaded;
  }
  get program(): string {
    return this.args?.program ?? '';
  }
  get index(): number {
    return this.position;
  }
  get current(): Position {
    return this.run.space.at(this.position);
  }
  get isRunning(): boolean {
    return this.running;
  }
  get stopInfo(): StopInfo | undefined {
    return this.lastStop;
  }

  snapshot(): Snapshot {
    return new Snapshot(this.run.source, this.run.model.convention, this.current);
  }

  format(x: number, full = false): string {
    const n = this.host.numbers?.();
    return full ? String(x) : formatNumber(x, n?.digits ?? 6, n?.style ?? 'auto');
  }

  async launch(args: LaunchArguments): Promise<void> {
    if (this.loaded) throw new Error(`launch: ${this.program} is already being debugged in this session`);
    this.args = args;
    this.loaded = prepare(args.program, await this.host.load(args.program, args.steps));
    for (const f of args.stopOn) this.filters.add(f);
    this.watcher = this.host.watch?.(args.program, {
      changed: () => {
        void this.reload();
      },
      moved: (trace, event) => this.followMove(trace, event),
    });
  }

  /** After configuration: stop on entry, or run to the first stop. */
  start(): void {
    if (this.args?.stopOnEntry)
      this.stopAt(this.run.space.nextEvent(-1), { reason: 'entry', description: 'Stopped at the first event' });
    else {
      this.position = -1;
      void this.runFrom(1);
    }
  }

  async restart(): Promise<void> {
    this.generation++;
    this.running = false;
    this.loaded = prepare(this.program, await this.host.load(this.program, this.args?.steps));
    this.resolveLineBreakpoints();
    this.start();
  }

  dispose(): void {
    this.generation++;
    this.watcher?.dispose();
  }

  // ---- moves -----------------------------------------------------------------------------

  next(): void {
    const i = this.run.space.nextEvent(this.position);
    if (i < 0) this.stopAt(this.position, { reason: 'step', description: 'The run ends here' });
    else this.stopAt(i, { reason: 'step' });
  }

  stepIn(): void {
    const space = this.run.space;
    if (this.position + 1 >= space.length)
      this.stopAt(this.position, { reason: 'step', description: 'The run ends here' });
    else this.stopAt(this.position + 1, { reason: 'step' });
  }

  /** To the end of the current pass; at its end already, to the end of the next one. */
  stepOut(): void {
    const space = this.run.space;
    let end = space.endOfPass(this.position);
    if (end === this.position && end + 1 < space.length) end = space.endOfPass(end + 1);
    this.stopAt(end, { reason: 'step' });
  }

  stepBack(): void {
    const i = this.run.space.previousEvent(this.position);
    if (i < 0) this.stopAt(this.run.space.nextEvent(-1), { reason: 'step', description: 'The run starts here' });
    else this.stopAt(i, { reason: 'step' });
  }

  continue(): void {
    void this.runFrom(1);
  }
  reverseContinue(): void {
    void this.runFrom(-1);
  }

  pause(): void {
    if (this.running) this.pauseRequested = true;
    else this.stopAt(this.position, { reason: 'pause' });
  }

  /** Back to the start of a frame: the current event, its pass, its step, or the whole run. */
  restartFrame(frame: 'event' | 'pass' | 'step' | 'run'): void {
    const space = this.run.space,
      p = this.current;
    const target =
      frame === 'event'
        ? space.startOfEvent(this.position)
        : frame === 'pass'
          ? space.startOfPass(this.position)
          : frame === 'step'
            ? (p.step - 1) * space.perStep
            : 0;
    this.stopAt(target, {
      reason: 'restart',
      description: `Back to the start of ${frame === 'run' ? 'the run' : frame === 'step' ? `step ${p.step}` : frame === 'pass' ? 'the pass' : 'the event'}`,
    });
  }

  goto(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.run.space.length)
      throw new Error(`goto: there is no target ${index}`);
    this.stopAt(index, { reason: 'goto' });
  }

  /** The events a line can jump to in the current step (gotoTargets): its layer's events, or the loss. */
  gotoTargets(line: number): { readonly index: number; readonly label: string; readonly at: LineSpan }[] {
    const t = breakTargetAt(this.run.model, line);
    if (!t) return [];
    const space = this.run.space,
      step = this.current.step;
    const kinds = t.layer === 0 ? (['loss'] as const) : (['forward', 'backward', 'update'] as const);
    return kinds.map((kind) => {
      const index = space.indexOf({ step, kind, layer: t.layer });
      return { index, label: `${positionLabel(space.at(index))} · step ${step}`, at: t.lines };
    });
  }

  // ---- breakpoints -----------------------------------------------------------------------

  setLineBreakpoints(specs: readonly LineBreakpointSpec[]): BreakpointResult[] {
    this.lineSpecs = specs.map((spec) => ({ id: this.nextId++, spec }));
    return this.resolveLineBreakpoints();
  }

  setFunctionBreakpoints(
    specs: readonly { name: string; condition?: string; hitCondition?: string }[],
  ): BreakpointResult[] {
    this.functionBreakpoints = [];
    return specs.map((s) => {
      const id = this.nextId++;
      try {
        const filter = parseEventName(s.name, this.run.source.layerCount);
        this.functionBreakpoints.push(this.makeBreakpoint(id, filter, 'function', s));
        return { id, verified: true };
      } catch (e) {
        return { id, verified: false, message: (e as Error).message };
      }
    });
  }

  setExceptionFilters(filters: readonly string[]): void {
    this.clientFilters = new Set(
      filters.filter((f): f is ExceptionFilter => f === 'nan' || f === 'wrongExpect' || f === 'health'),
    );
  }

  exceptionAt(index: number): readonly ExceptionStop[] {
    return this.run.exceptions.get(index) ?? [];
  }

  private resolveLineBreakpoints(): BreakpointResult[] {
    this.lineBreakpoints = [];
    if (!this.loaded)
      return this.lineSpecs.map(({ id }) => ({ id, verified: false, message: 'the model file is not loaded yet' }));
    return this.lineSpecs.map(({ id, spec }) => {
      const target = breakTargetAt(this.run.model, spec.line);
      if (!target)
        return { id, verified: false, message: 'Breakpoints stop at a layer (any of its lines) or at the loss: line' };
      try {
        this.lineBreakpoints.push(this.makeBreakpoint(id, { layer: target.layer }, 'line', spec));
        return { id, verified: true, at: target.lines };
      } catch (e) {
        return { id, verified: false, at: target.lines, message: (e as Error).message };
      }
    });
  }

  private makeBreakpoint(
    id: number,
    filter: EventFilter,
    origin: 'line' | 'function',
    s: { condition?: string; hitCondition?: string; logMessage?: string },
  ): Breakpoint {
    const wrap = <T>(what: string, f: () => T): T => {
      try {
        return f();
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`);
      }
    };
    return {
      id,
      filter,
      origin,
      condition: s.condition?.trim() ? wrap('condition', () => parse(s.condition!)) : undefined,
      hit: s.hitCondition?.trim() ? wrap('hit count', () => parseHitCondition(s.hitCondition!)) : undefined,
      log: s.logMessage ? wrap('log message', () => parseLogMessage(s.logMessage!)) : undefined,
    };
  }

  // ---- running ---------------------------------------------------------------------------

  /** Continue (1) or reverse-continue (−1) until a stop, in slices. */
  private async runFrom(direction: 1 | -1): Promise<void> {
    const gen = ++this.generation;
    this.running = true;
    this.pauseRequested = false;
    const space = this.run.space;
    const from = this.position;
    let i = this.position;
    let sliceStart = Date.now();
    for (;;) {
      const next = direction > 0 ? space.nextEvent(i) : space.previousEvent(i);
      if (next < 0) {
        this.running = false;
        if (direction > 0) {
          // Already at the last event: the run is over. Else stop there, so it can be looked at (and stepped back from).
          if (from >= 0 && space.nextEvent(from) < 0) {
            this.events.terminated();
            return;
          }
          this.stopAt(i, {
            reason: 'step',
            description: `The run ends here: step ${space.at(i).step} done${this.finalLoss()}`,
          });
        } else {
          this.stopAt(space.nextEvent(-1), { reason: 'entry', description: 'The run starts here' });
        }
        return;
      }
      i = next;
      const stop = this.check(i);
      if (stop) {
        this.running = false;
        this.stopAt(i, stop);
        return;
      }
      if (Date.now() - sliceStart > SLICE_MS) {
        this.position = i;
        await new Promise((r) => setTimeout(r, 0));
        if (gen !== this.generation) return;
        if (this.pauseRequested) {
          this.running = false;
          this.stopAt(i, { reason: 'pause', description: 'Paused' });
          return;
        }
        sliceStart = Date.now();
      }
    }
  }

  private finalLoss(): string {
    const s = this.run.source;
    return `, loss ${this.format(s.loss(s.stepCount))}`;
  }

  /** Whether the event at `i` stops a continue: an exception filter, else a breakpoint (logpoints print). */
  private check(i: number): StopInfo | undefined {
    const on = (f: ExceptionFilter) => this.filters.has(f) || this.clientFilters.has(f);
    const ex = this.exceptionAt(i).find((e) => on(e.filter));
    if (ex) return { reason: 'exception', description: ex.message, exception: ex };
    const candidates = [...this.lineBreakpoints, ...this.functionBreakpoints];
    if (candidates.length === 0) return undefined;
    const space = this.run.space;
    const p = space.at(i);
    let snap: Snapshot | undefined;
    const hits: Breakpoint[] = [];
    for (const bp of candidates) {
      snap ??= new Snapshot(this.run.source, this.run.model.convention, p);
      const v = judge(bp, snap, space, i, (x) => this.format(x));
      if (v.error) this.events.output(`${v.error}\n`, 'stderr');
      if (v.log !== undefined) this.events.output(`${v.log}\n`, 'console');
      if (v.stop) hits.push(bp);
    }
    if (hits.length === 0) return undefined;
    return {
      reason: hits.every((h) => h.origin === 'function') ? 'function breakpoint' : 'breakpoint',
      hitBreakpointIds: hits.map((h) => h.id),
    };
  }

  private stopAt(index: number, info: StopInfo): void {
    this.generation++;
    this.running = false;
    this.position = Math.min(Math.max(0, index), this.run.space.length - 1);
    this.lastStop = info;
    this.events.stopped(info);
    const p = this.current;
    this.host.stopped?.(this.program, this.run.analysis.trace!, { step: p.step, kind: p.kind, layer: p.layer });
    if (this.reloadPending) void this.reload();
  }

  /** Another view moved the shared session: follow it while stopped, on the same run. */
  private followMove(trace: Trace, e: TraceEvent): void {
    if (this.running || !this.loaded || trace !== this.loaded.analysis.trace) return;
    const p = this.current;
    if (p.step === e.step && p.kind === e.kind && p.layer === e.layer) return;
    const i = this.run.space.indexOf(e);
    if (i >= 0)
      this.stopAt(i, {
        reason: 'goto',
        description: `Moved to ${positionLabel(this.run.space.at(i))} · step ${e.step} by another view`,
      });
  }

  /** The file changed: run it again and stay at the same event (or the nearest one). */
  private async reload(): Promise<void> {
    if (this.running) {
      this.reloadPending = true;
      return;
    }
    this.reloadPending = false;
    let analysis: Analysis;
    try {
      analysis = await this.host.load(this.program, this.args?.steps);
    } catch (e) {
      this.events.output(`${(e as Error).message}\nStill stepping through the previous run.\n`, 'stderr');
      return;
    }
    if (!this.loaded || analysis === this.loaded.analysis) return;
    let next: Loaded;
    try {
      next = prepare(this.program, analysis);
    } catch (e) {
      this.events.output(`${(e as Error).message}\nStill stepping through the previous run.\n`, 'stderr');
      return;
    }
    const p = this.current;
    this.loaded = next;
    const same = next.space.indexOf(p);
    this.position = same >= 0 ? same : Math.min(this.position, next.space.length - 1);
    const results = this.resolveLineBreakpoints();
    this.setFunctionBreakpointsAgain();
    this.events.output(
      `${this.program} changed: re-ran it (${next.source.stepCount} step${next.source.stepCount === 1 ? '' : 's'}); now at ${positionLabel(this.current)} · step ${this.current.step}\n`,
      'console',
    );
    this.events.reloaded(results);
  }

  private setFunctionBreakpointsAgain(): void {
    // Layer numbers are checked against the network; a reload may have changed it.
    this.functionBreakpoints = this.functionBreakpoints.filter(
      (b) => b.filter.layer === undefined || b.filter.layer <= this.run.source.layerCount,
    );
  }
}
