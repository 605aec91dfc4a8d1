/**
 * One stepping position per model file, shared by the panel, the step commands, CodeLens
 * "Step to here" and (later) the debugger. When the file is re-analysed, the session is rebuilt
 * on the new trace and keeps its position (same step, kind and layer) when that event still exists,
 * also across runs that produced no trace (the file does not parse while it is being typed).
 */
import * as vscode from 'vscode';
import { TraceSession } from '../engine/session';
import { TraceEvent } from '../engine/trace';
import { AnalysisStore, DocumentAnalysis } from './store';
import type { StepReplays } from './replays';
import { Disposable } from './dispose';

export interface SessionChange {
  readonly uri: vscode.Uri;
  readonly session: TraceSession;
  readonly event: TraceEvent | undefined;
  /** 'moved': the user stepped; 'rebuilt': a new trace arrived. */
  readonly reason: 'moved' | 'rebuilt';
}

export class SessionRegistry extends Disposable {
  private readonly sessions = new Map<string, { session: TraceSession; sub: { dispose(): void } }>();
  /** The position of a file whose latest run has no trace (a typo mid-edit), to resume from. */
  private readonly parked = new Map<string, TraceEvent>();
  private readonly emitter = this.register(new vscode.EventEmitter<SessionChange>());
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly store: AnalysisStore,
    private readonly replays?: StepReplays,
  ) {
    super();
    this.register(store.onDidUpdate((r) => this.rebuild(r)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.drop(d.uri)));
  }

  get(uri: vscode.Uri): TraceSession | undefined {
    return this.sessions.get(uri.toString())?.session;
  }

  /** The session for a document, analysing it first if there is none yet. */
  async ensure(doc: vscode.TextDocument): Promise<TraceSession | undefined> {
    const result = await this.store.ensure(doc);
    // rebuild() keeps the session when the trace is the one it already steps through.
    if (result) this.rebuild(result);
    return this.get(doc.uri);
  }

  private rebuild(r: DocumentAnalysis): void {
    const key = r.uri.toString();
    const old = this.sessions.get(key);
    const trace = r.analysis.trace;
    if (old && old.session.trace === trace) return;
    old?.sub.dispose();
    if (!trace) {
      const at = old?.session.current;
      if (at) this.parked.set(key, at);
      this.sessions.delete(key);
      return;
    }
    const session = new TraceSession(trace, old?.session.current ?? this.parked.get(key));
    this.parked.delete(key);
    // The step being looked at keeps its records in the trace store (hovers and the panel read
    // it); a far step of a long run is replayed in a worker first, and only if it is still the one.
    const focus = (e: TraceEvent | undefined) => {
      if (!e) return;
      const ready = this.replays?.ensure(trace, e.step) ?? Promise.resolve();
      void ready.then(() => {
        if (session.current?.step === e.step && this.sessions.get(key)?.session === session) trace.steps.focus(e.step);
      });
    };
    focus(session.current);
    const sub = session.onDidMove((event) => {
      focus(event);
      this.emitter.fire({ uri: r.uri, session, event, reason: 'moved' });
    });
    this.sessions.set(key, { session, sub });
    this.emitter.fire({ uri: r.uri, session, event: session.current, reason: 'rebuilt' });
  }

  private drop(uri: vscode.Uri): void {
    const key = uri.toString();
    this.sessions.get(key)?.sub.dispose();
    this.sessions.delete(key);
    this.parked.delete(key);
  }

  override dispose(): void {
    for (const s of this.sessions.values()) s.sub.dispose();
    this.sessions.clear();
    super.dispose();
  }
}
