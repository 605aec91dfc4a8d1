/**
 * The latest analysis (parse → trace → checks) of every open model file, recomputed as the
 * user types (debounced). Each result carries the document version it was computed for, and a
 * result for a version that is no longer current is dropped, never shown.
 *
 * Every view — diagnostics, hovers, CodeLens, the panel, commands — reads from here, so the
 * engine runs once per edit, not once per view.
 */
import * as vscode from 'vscode';
import { analyze, Analysis, AnalyzeOptions } from '../analysis/analyze';
import { Disposable } from './dispose';
import { isModelDocument } from './modelFiles';

export interface DocumentAnalysis {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly analysis: Analysis;
  /** Milliseconds the analysis took. */
  readonly elapsed: number;
}

/** How analyses are computed: in-process by default; the extension swaps in a worker-backed runner. */
export type AnalysisRunner = (text: string, options: AnalyzeOptions, token: vscode.CancellationToken) => Promise<Analysis>;

export const inProcessRunner: AnalysisRunner = async (text, options) => analyze(text, options);

export class AnalysisStore extends Disposable {
  private readonly results = new Map<string, DocumentAnalysis>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly pending = new Map<string, vscode.CancellationTokenSource>();
  private readonly emitter = this.register(new vscode.EventEmitter<DocumentAnalysis>());
  /** Fires with each fresh analysis of a document's current version. */
  readonly onDidUpdate = this.emitter.event;

  constructor(private readonly runner: AnalysisRunner = inProcessRunner, private readonly debounceMs: () => number = () => 250) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, this.debounceMs())));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)));
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  get(uri: vscode.Uri): DocumentAnalysis | undefined {
    return this.results.get(uri.toString());
  }

  /** The analysis of the document's current version, computing it now if needed. */
  async ensure(doc: vscode.TextDocument): Promise<DocumentAnalysis | undefined> {
    const have = this.results.get(doc.uri.toString());
    if (have && have.version === doc.version) return have;
    return this.run(doc);
  }

  /** Recomputes every open model file (e.g. when a setting changes). */
  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isModelDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); void this.run(doc); }, delay));
  }

  private async run(doc: vscode.TextDocument): Promise<DocumentAnalysis | undefined> {
    const key = doc.uri.toString();
    this.pending.get(key)?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.pending.set(key, cts);
    const version = doc.version;
    const started = Date.now();
    try {
      const analysis = await this.runner(doc.getText(), { fileName: doc.uri.path }, cts.token);
      // Stale: the document moved on (or closed) while we computed.
      if (cts.token.isCancellationRequested || doc.isClosed || doc.version !== version || this.isDisposed) return this.results.get(key);
      const result: DocumentAnalysis = { uri: doc.uri, version, analysis, elapsed: Date.now() - started };
      this.results.set(key, result);
      this.emitter.fire(result);
      return result;
    } finally {
      if (this.pending.get(key) === cts) this.pending.delete(key);
      cts.dispose();
    }
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.pending.get(key)?.cancel();
    this.results.delete(key);
  }

  override dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const c of this.pending.values()) c.cancel();
    super.dispose();
  }
}
