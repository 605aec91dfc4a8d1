/**
 * The latest analysis (parse → trace → checks) of every open model file, recomputed as the
 * user types (debounced). Each result carries the document version it was computed for, and a
 * result for a version that is no longer current is dropped, never shown.
 *
 * Every view — diagnostics, hovers, CodeLens, the panel, commands — reads from here, so the
 * engine runs once per edit, not once per view. Concurrent requests for the same version share
 * one run; a newer version cancels the older run (a worker run is terminated).
 */
import * as vscode from 'vscode';
import { Analysis, AnalyzeOptions } from '../analysis/analyze';
import { Disposable } from './dispose';
import { LastGood } from './lastGood';
import type { DocumentAnalysis } from './documentAnalysis';

export type { DocumentAnalysis };
import { isModelDocument } from './modelFiles';

/** What a caller may ask of a run besides its result. */
export interface RunHooks {
  /** On the user's Cancel, stop the training where it is and resolve with the steps done (else reject). */
  readonly keepPartial?: boolean;
  /** The losses of steps from, from + 1, … as a long run produces them. */
  readonly onLosses?: (from: number, losses: Float64Array, total: number) => void;
  /** How long the run is expected to take (ms), shown when it starts. */
  readonly expectedMs?: number;
}

/** How analyses are computed: activate() hands in the worker-backed runner (small runs stay in process). */
export type AnalysisRunner = (
  text: string,
  options: AnalyzeOptions,
  token: vscode.CancellationToken,
  hooks?: RunHooks,
) => Promise<Analysis>;

/** A long run's new losses, as they come (the panel draws its loss curve live). */
export interface RunProgress {
  readonly uri: vscode.Uri;
  readonly version: number;
  /** The step of losses[0]. */
  readonly from: number;
  readonly losses: Float64Array;
  readonly total: number;
}

/** Options every run gets (limits, …); fileName and steps are the store's. */
export type RunOptions = Omit<AnalyzeOptions, 'fileName' | 'steps'>;

/** Thrown by a runner when the user cancelled the run (the previous result stays). */
export class RunCancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'RunCancelledError';
  }
}

export interface StoreConfiguration {
  readonly runner: AnalysisRunner;
  /** Read at each run. */
  readonly options: () => RunOptions;
  /** Milliseconds after an edit before the re-run, read at each edit. */
  readonly debounceMs: () => number;
  /** Where a failed run is reported (a bug of ours, or a worker that died). */
  readonly onError: (uri: vscode.Uri, error: unknown) => void;
}

interface InFlight {
  readonly version: number;
  readonly generation: number;
  readonly cts: vscode.CancellationTokenSource;
  readonly promise: Promise<DocumentAnalysis | undefined>;
}

export class AnalysisStore extends Disposable {
  private readonly results = new Map<string, DocumentAnalysis & { generation: number }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly inflight = new Map<string, InFlight>();
  private readonly stepOverrides = new Map<string, number>();
  /** The losses of each run in progress so far (a panel opened mid-run draws them all). */
  private readonly live = new Map<string, { losses: Float64Array; n: number; version: number }>();
  /** Per document, the latest analysis that has a trace, beside the latest one (which may have none). */
  private readonly good = new Map<string, LastGood>();
  /** Bumped when settings change: results of an older generation are recomputed on demand. */
  private generation = 0;
  private readonly emitter = this.register(new vscode.EventEmitter<DocumentAnalysis>());
  /** Fires with each fresh analysis of a document's current version. */
  readonly onDidUpdate = this.emitter.event;
  private readonly progressEmitter = this.register(new vscode.EventEmitter<RunProgress>());
  /** Fires with the new losses of a run in progress. */
  readonly onDidProgress = this.progressEmitter.event;
  private readonly endEmitter = this.register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires when a run of a document ends, with a result or without (cancelled, superseded, failed). */
  readonly onDidEndRun = this.endEmitter.event;

  constructor(private readonly config: StoreConfiguration) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length) return;
        this.good.get(e.document.uri.toString())?.edited(e.contentChanges);
        this.schedule(e.document, config.debounceMs());
      }),
    );
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)));
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  get(uri: vscode.Uri): DocumentAnalysis | undefined {
    return this.results.get(uri.toString());
  }

  /**
   * The latest analysis of the document that has a trace, with the edits made since (to find its
   * numbers in the current text): the views show it, marked stale, while the file does not run.
   */
  lastGood(uri: vscode.Uri): LastGood | undefined {
    return this.good.get(uri.toString());
  }

  /** The analysis of the document's current version, computing it now if needed. */
  async ensure(doc: vscode.TextDocument): Promise<DocumentAnalysis | undefined> {
    if (!isModelDocument(doc)) return undefined;
    return this.current(doc) ?? this.run(doc);
  }

  /**
   * Like ensure(), but a pending debounced run is waited for rather than overtaken: for views
   * that VS Code asks again after every edit (CodeLens), which must not defeat the debounce.
   * Resolves undefined when `token` is cancelled first.
   */
  whenSettled(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentAnalysis | undefined> {
    const key = doc.uri.toString();
    const have = this.current(doc);
    if (have) return Promise.resolve(have);
    if (!this.timers.has(key)) return this.ensure(doc);
    return new Promise((resolve) => {
      const done = (r: DocumentAnalysis | undefined) => {
        sub.dispose();
        cancel?.dispose();
        resolve(r);
      };
      const sub = this.onDidUpdate((r) => {
        if (r.uri.toString() === key && r.version >= doc.version) done(r);
      });
      const cancel = token?.onCancellationRequested(() => done(undefined));
    });
  }

  /** Recomputes every open model file (e.g. when a setting changes). */
  refreshAll(): void {
    this.generation++;
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** The losses so far of the document's run in progress, if one is training. */
  liveLosses(uri: vscode.Uri): { readonly losses: Float64Array; readonly total: number } | undefined {
    const l = this.live.get(uri.toString());
    return l && { losses: l.losses.subarray(0, l.n), total: l.losses.length };
  }

  /** The Train N Steps… override of a document, if any. */
  stepsOverride(uri: vscode.Uri): number | undefined {
    return this.stepOverrides.get(uri.toString());
  }

  /**
   * Runs the document for `steps` training steps (undefined: the file's own `steps`) and keeps
   * that for later edits. If the user cancels, the steps done so far are the result; if the run
   * fails or is superseded, the previous override and result stay.
   */
  async setSteps(
    doc: vscode.TextDocument,
    steps: number | undefined,
    expectedMs?: number,
  ): Promise<DocumentAnalysis | undefined> {
    const key = doc.uri.toString();
    const previous = this.stepOverrides.get(key);
    if (steps === undefined) this.stepOverrides.delete(key);
    else this.stepOverrides.set(key, steps);
    const version = doc.version;
    const result = await this.run(doc, true, { keepPartial: true, expectedMs });
    if (result && result.steps === steps && result.version === version) return result;
    // Cancelled (or failed) with the text unchanged: back to what was there. After an edit the
    // newer run already carries the new override, so it stays.
    if (doc.version === version && this.stepOverrides.get(key) === steps) {
      if (previous === undefined) this.stepOverrides.delete(key);
      else this.stepOverrides.set(key, previous);
    }
    return undefined;
  }

  /** The stored result when it is for the document's current version and the current settings. */
  private current(doc: vscode.TextDocument): DocumentAnalysis | undefined {
    const have = this.results.get(doc.uri.toString());
    return have && have.version === doc.version && have.generation === this.generation ? have : undefined;
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isModelDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (doc.isClosed || this.current(doc)) return;
        void this.run(doc);
      }, delay),
    );
  }

  /** One run per (document version, settings generation); `force` starts a new one regardless. */
  private run(doc: vscode.TextDocument, force = false, hooks: RunHooks = {}): Promise<DocumentAnalysis | undefined> {
    const key = doc.uri.toString();
    const version = doc.version,
      generation = this.generation;
    const current = this.inflight.get(key);
    if (!force && current && current.version === version && current.generation === generation) return current.promise;
    current?.cts.cancel();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const cts = new vscode.CancellationTokenSource();
    const steps = this.stepOverrides.get(key);
    const promise = (async (): Promise<DocumentAnalysis | undefined> => {
      const started = Date.now();
      try {
        const analysis = await this.config.runner(
          doc.getText(),
          { ...this.config.options(), fileName: doc.uri.path, steps },
          cts.token,
          {
            ...hooks,
            onLosses: (from, losses, total) => {
              if (cts.token.isCancellationRequested) return;
              let l = this.live.get(key);
              if (!l || l.version !== version || l.losses.length !== total)
                this.live.set(key, (l = { losses: new Float64Array(total), n: 0, version }));
              l.losses.set(losses.subarray(0, Math.max(0, total - (from - 1))), from - 1);
              l.n = Math.max(l.n, Math.min(total, from - 1 + losses.length));
              this.progressEmitter.fire({ uri: doc.uri, version, from, losses, total });
            },
          },
        );
        // Stale: the document moved on (or closed) while we computed.
        if (cts.token.isCancellationRequested || doc.isClosed || doc.version !== version || this.isDisposed)
          return this.results.get(key);
        const result = { uri: doc.uri, version, analysis, elapsed: Date.now() - started, steps, generation };
        this.results.set(key, result);
        if (analysis.trace?.steps.length) this.good.set(key, new LastGood(result));
        this.emitter.fire(result);
        return result;
      } catch (e) {
        if (!(e instanceof RunCancelledError) && !cts.token.isCancellationRequested) this.config.onError(doc.uri, e);
        return this.results.get(key);
      } finally {
        if (this.inflight.get(key)?.cts === cts) {
          this.inflight.delete(key);
          this.live.delete(key);
        }
        cts.dispose();
        if (!this.isDisposed) this.endEmitter.fire(doc.uri);
      }
    })();
    this.inflight.set(key, { version, generation, cts, promise });
    return promise;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.inflight.get(key)?.cts.cancel();
    this.results.delete(key);
    this.good.delete(key);
    this.stepOverrides.delete(key);
    this.live.delete(key);
  }

  override dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const c of this.inflight.values()) c.cts.cancel();
    super.dispose();
  }
}
