/**
 * The host side of one trace panel: a WebviewPanel showing the stepping session of one model
 * file. It sends the trace when the panel is ready and whenever the file is re-run, follows the
 * shared session (commands, CodeLens) and moves it when the user steps in the panel, answers
 * step requests, reveals clicked values in the file and saves exports. Every message from the
 * panel is validated (src/protocol/) and handled in one switch.
 */
import * as vscode from 'vscode';
import { Analysis } from '../../analysis/analyze';
import { GRADCHECK_DEFAULTS, gradientCheck, GradCheckResult } from '../../engine/gradcheck';
import { remarkKey, renderWorked } from '../../report/worked';
import {
  checkFromWebview,
  ExportImageMessage,
  ExportWorkedMessage,
  FromWebviewMessage,
  PanelSettings,
  PanelState,
  ProtocolError,
  RevealTarget,
  StaleTrace,
  ToWebviewMessage,
} from '../../protocol';
import { eventAt } from '../../engine/trace';
import { ModelDiagnostic } from '../../model/types';
import { ExtensionDeps } from '../deps';
import { Disposable } from '../dispose';
import { SessionChange } from '../sessions';
import { panelSettings } from '../settings';
import { toRange } from '../editor/convert';
import { makeNonce, PANEL_FILES, panelHtml } from './html';
import { fileName as baseName } from '../names';
import { randomBytes } from '../randomBytes';
import { layerAtOffset, placeRange } from '../../model/places';
import { documentData, PanelSource, sourceFromAnalysis, stepData } from './payload';

export const VIEW_TYPE = 'backprop.tracePanel';

/**
 * Networks this small get a gradient check for the panel's table when the analysis has none:
 * (parameters checked) × 2 forward passes × (parameters × batch) multiply-adds, a few ms at most.
 */
const PANEL_GRADCHECK_MAX_COST = 2_000_000;

/** Errors listed in the stale banner (the Problems view has them all). */
const STALE_ERRORS_LISTED = 5;

export class TracePanel extends Disposable {
  private uri: vscode.Uri | undefined;
  private ready = false;
  private revision = 0;
  private source: PanelSource | undefined;
  private settings: PanelSettings = panelSettings();
  /** Set while the session is moved on the panel's behalf, so the move is not echoed back. */
  private applyingMove = false;
  private lastLayer: number | null = null;
  /** Whether the panel has been sent the losses so far of the file's run in progress. */
  private liveShown = false;
  /** The event the panel shows (kept while the file does not run and there is no session). */
  private lastIndex = 0;
  /** The errors listed in a stale load's banner, for showError. */
  private staleErrors: readonly ModelDiagnostic[] = [];
  /** Event index to restore once (after a window reload). */
  private restoreIndex: number | undefined;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ExtensionDeps,
  ) {
    super();
    const root = deps.context.extensionUri;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
    };
    const asUri = (parts: readonly string[]) =>
      panel.webview.asWebviewUri(vscode.Uri.joinPath(root, ...parts)).toString();
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(randomBytes),
      script: asUri(PANEL_FILES.script),
      styles: PANEL_FILES.styles.map(asUri),
    });
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)));
    this.register(deps.sessions.onDidChange((c) => this.onSession(c)));
    this.register(
      deps.store.onDidUpdate((r) => {
        // A run without a trace (the file has errors) fires no session change; say so in the panel.
        if (this.isMine(r.uri) && !r.analysis.trace) void this.sendLoad('rebuilt');
      }),
    );
    // A long run of this file: its losses as they come, and its end (the finished trace follows as a load).
    this.register(
      deps.store.onDidProgress((p) => {
        if (!this.ready || !this.isMine(p.uri)) return;
        // A panel that joins a run mid-way gets its losses so far first, then the new ones as they come.
        const all = this.liveShown ? undefined : deps.store.liveLosses(p.uri);
        this.liveShown = true;
        this.post(
          all
            ? { type: 'runProgress', uri: p.uri.toString(), from: 1, losses: all.losses.slice(), total: all.total }
            : { type: 'runProgress', uri: p.uri.toString(), from: p.from, losses: p.losses, total: p.total },
        );
      }),
    );
    this.register(
      deps.store.onDidEndRun((uri) => {
        if (!this.ready || !this.isMine(uri)) return;
        this.liveShown = false;
        this.post({ type: 'runEnded', uri: uri.toString() });
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('backprop.precision') || e.affectsConfiguration('backprop.numberFormat'))
          void this.sendLoad('settings');
      }),
    );
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  get documentUri(): vscode.Uri | undefined {
    return this.uri;
  }

  /** Shows this model file (sending its trace once the panel is ready). */
  async show(uri: vscode.Uri, opts: { restoreIndex?: number } = {}): Promise<void> {
    const same = this.isMine(uri);
    if (!same) this.liveShown = false;
    this.uri = uri;
    this.lastLayer = null;
    this.panel.title = `Trace: ${baseName(uri.path)}`;
    if (opts.restoreIndex !== undefined) this.restoreIndex = opts.restoreIndex;
    if (!same || !this.source) await this.sendLoad('opened');
  }

  /** Selects a layer in the panel (the editor's cursor moved into it, or "Show in panel"). */
  selectLayer(layer: number, focus: boolean): void {
    this.lastLayer = layer;
    if (this.source) this.post({ type: 'selectLayer', revision: this.revision, layer, focus });
  }

  /** The editor's cursor moved: select the layer it is in (once per layer change). */
  onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const doc = e.textEditor.document;
    if (!this.isMine(doc.uri)) return;
    const at = doc.offsetAt(e.selections[0].active);
    // While the file does not run, its last good model, at the same place in its text.
    const current = this.deps.store.get(doc.uri)?.analysis.model;
    const good = current ? undefined : this.deps.store.lastGood(doc.uri);
    const model = current ?? good?.result.analysis.model;
    const offset = good ? good.toAnalysed(at) : at;
    if (!model || offset === undefined) return;
    const layer = layerAtOffset(model, offset);
    if (layer !== null && layer !== this.lastLayer) this.selectLayer(layer, false);
  }

  private isMine(uri: vscode.Uri): boolean {
    return !!this.uri && uri.toString() === this.uri.toString();
  }

  private post(m: ToWebviewMessage): void {
    void this.panel.webview.postMessage(m);
  }

  private async document(): Promise<vscode.TextDocument | undefined> {
    const uri = this.uri;
    if (!uri) return undefined;
    return (
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ??
      (await vscode.workspace.openTextDocument(uri))
    );
  }

  /**
   * Sends the file's current trace; while the file does not run, the last trace that did, marked
   * stale with the errors that stop it; or, when it never ran, why there is no trace.
   */
  private async sendLoad(reason: 'opened' | 'rebuilt' | 'restored' | 'settings'): Promise<void> {
    if (!this.ready || !this.uri) return;
    const doc = await this.document();
    if (!doc) return;
    const session = await this.deps.sessions.ensure(doc);
    const result = this.deps.store.get(doc.uri);
    const fileName = baseName(doc.uri.path);
    const live = result && session ? sourceFromAnalysis(doc.uri.toString(), fileName, result.analysis) : undefined;
    let source: PanelSource | undefined;
    let analysis: Analysis | undefined;
    let stale: StaleTrace | null = null;
    let index = this.lastIndex;
    this.staleErrors = [];
    if (live && session && session.trace === live.trace) {
      source = live;
      analysis = result!.analysis;
      if (this.restoreIndex !== undefined) {
        const i = this.restoreIndex;
        this.restoreIndex = undefined;
        this.applyingMove = true;
        try {
          session.jump(i);
        } finally {
          this.applyingMove = false;
        }
      }
      index = session.position;
    } else {
      const errors = result?.analysis.diagnostics.filter((d) => d.severity === 'error') ?? [];
      const good = result && !result.analysis.trace ? this.deps.store.lastGood(doc.uri) : undefined;
      source = good && sourceFromAnalysis(doc.uri.toString(), fileName, good.result.analysis);
      if (!good || !source) {
        this.source = undefined;
        const message = errors.length
          ? `${fileName} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`} (see Problems), so there is no trace to step through. First: ${errors[0].message}`
          : `${fileName} could not be run.`;
        this.post({ type: 'unavailable', uri: doc.uri.toString(), fileName, message });
        return;
      }
      analysis = good.result.analysis;
      this.staleErrors = errors.slice(0, STALE_ERRORS_LISTED);
      stale = {
        errors: this.staleErrors.map((d) => ({
          message: d.message,
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
        })),
        total: Math.max(1, errors.length),
      };
    }
    // Positions are arithmetic (3L + 1 events a step): the stale trace's too, whatever its length.
    const layers = source.trace.parameterCounts.length;
    index = Math.max(0, Math.min(source.trace.steps.length * (3 * layers + 1) - 1, index));
    this.lastIndex = index;
    const event = eventAt(index, layers);
    // The step shown first, replayed in a worker if it is a far step of a long run.
    await this.deps.replays.ensure(source.trace, event.step);
    this.settings = panelSettings(doc.uri);
    this.source = { ...source, gradcheck: source.gradcheck ?? this.smallGradcheck(analysis) };
    this.revision++;
    this.post({
      type: 'load',
      doc: documentData(this.source, this.revision),
      settings: this.settings,
      index,
      step: stepData(this.source.trace, event.step, this.source.convention, this.settings),
      reason,
      stale,
    });
    if (this.lastLayer !== null)
      this.post({ type: 'selectLayer', revision: this.revision, layer: this.lastLayer, focus: false });
  }

  /** A gradient check for the table, when the network is small enough to check in passing. */
  private smallGradcheck(a: Analysis): GradCheckResult | undefined {
    const m = a.model;
    if (!m || !a.trace) return undefined;
    const p = a.trace.totalParameters;
    const cost = Math.min(p, GRADCHECK_DEFAULTS.maxParameters) * 2 * p * m.spec.input.rows;
    if (cost > PANEL_GRADCHECK_MAX_COST) return undefined;
    try {
      return gradientCheck(m.spec, { epsilon: m.gradcheckEpsilon });
    } catch (err) {
      this.deps.log.warn(`panel: gradient check skipped: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private onSession(c: SessionChange): void {
    if (!this.isMine(c.uri)) return;
    this.lastIndex = c.session.position;
    if (c.reason === 'rebuilt') void this.sendLoad('rebuilt');
    else if (!this.applyingMove && this.source)
      this.post({ type: 'position', revision: this.revision, index: c.session.position });
  }

  private async receive(raw: unknown): Promise<void> {
    let m: FromWebviewMessage;
    try {
      m = checkFromWebview(raw);
    } catch (err) {
      this.deps.log.warn(
        `panel: ignored a malformed message (${err instanceof ProtocolError ? err.message : String(err)})`,
      );
      return;
    }
    switch (m.type) {
      case 'ready':
        return this.onReady(m.state);
      case 'getStep': {
        if (m.revision !== this.revision || !this.source) return;
        if (m.step < 1 || m.step > this.source.trace.steps.length) return;
        // A far step of a long run is replayed in a worker first: the editor does not wait on it.
        await this.deps.replays.ensure(this.source.trace, m.step);
        if (m.revision !== this.revision || !this.source) return;
        this.post({
          type: 'stepData',
          requestId: m.requestId,
          revision: this.revision,
          step: stepData(this.source.trace, m.step, this.source.convention, this.settings),
        });
        return;
      }
      case 'moved': {
        if (m.revision !== this.revision || !this.uri) return;
        this.lastIndex = m.index;
        const session = this.deps.sessions.get(this.uri);
        if (!session || session.trace !== this.source?.trace) return;
        this.applyingMove = true;
        try {
          session.jump(m.index);
        } finally {
          this.applyingMove = false;
        }
        return;
      }
      case 'reveal':
        if (m.revision === this.revision) await this.reveal(m.target);
        return;
      case 'showError': {
        const d = m.revision === this.revision ? this.staleErrors[m.index] : undefined;
        const doc = d && (await this.document());
        if (!d || !doc) return;
        // To the error, with the focus: the user is going there to fix it.
        await this.showInEditor(doc, toRange(d.range), false);
        return;
      }
      case 'exportWorked':
        return this.exportWorked(m);
      case 'exportImage':
        return this.exportImage(m);
    }
  }

  private async onReady(state: PanelState | null): Promise<void> {
    this.ready = true;
    this.liveShown = false;
    // After a reload the panel remembers its file; the serializer has usually told us already.
    if (!this.uri && state) {
      await this.show(vscode.Uri.parse(state.uri), { restoreIndex: state.index });
      return;
    }
    if (state && this.restoreIndex === undefined && this.uri && state.uri === this.uri.toString() && !this.source)
      this.restoreIndex = state.index;
    await this.sendLoad(state ? 'restored' : 'opened');
  }

  private async reveal(target: RevealTarget): Promise<void> {
    const doc = await this.document();
    if (!doc) return;
    const place = this.placeIn(doc, target);
    if (!place) return;
    await this.showInEditor(doc, place.range, true);
    this.lastLayer = place.layer ?? this.lastLayer;
  }

  /**
   * Where a value of the panel is in the document's current text: through the current model, or,
   * while the file does not run, through the last one that did and the edits made since.
   */
  private placeIn(
    doc: vscode.TextDocument,
    target: RevealTarget,
  ): { range: vscode.Range; layer: number | null } | undefined {
    const model = this.deps.store.get(doc.uri)?.analysis.model;
    if (model) {
      const r = placeRange(model, target);
      return r && { range: toRange(r), layer: layerAtOffset(model, r.start.offset) };
    }
    const good = this.deps.store.lastGood(doc.uri);
    const old = good?.result.analysis.model;
    const r = old && placeRange(old, target);
    const start = r && good.toCurrent(r.start.offset),
      end = r && good.toCurrent(r.end.offset);
    if (!r || start === undefined || end === undefined) return undefined;
    return {
      range: new vscode.Range(doc.positionAt(start), doc.positionAt(end)),
      layer: layerAtOffset(old, r.start.offset),
    };
  }

  /** Shows `range` selected in the document's editor (the one visible, else beside the panel). */
  private async showInEditor(
    doc: vscode.TextDocument,
    range: vscode.Range,
    preserveFocus: boolean,
  ): Promise<vscode.TextEditor> {
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
    const column =
      visible?.viewColumn ??
      (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    // Revealing a value keeps focus in the panel (the user is stepping there); the editor shows where it is.
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus, preview: false });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
  }

  private async exportWorked(m: ExportWorkedMessage): Promise<void> {
    const src = this.source;
    if (!src || m.revision !== this.revision || m.step > src.trace.steps.length) {
      return this.post({
        type: 'result',
        requestId: m.requestId,
        ok: false,
        message: 'The trace changed; export again.',
      });
    }
    const remarks = new Map<string, string[]>();
    for (const c of src.checks) {
      if (c.ok || c.step !== m.step) continue;
      const k = remarkKey(c.event);
      remarks.set(k, [...(remarks.get(k) ?? []), ...c.message.split('\n')]);
    }
    const text = renderWorked(
      src.trace,
      {
        name: src.name,
        convention: src.convention,
        widths: src.widths,
        activations: src.activations,
        loss: src.loss,
        format: { digits: this.settings.digits, style: this.settings.numberFormat },
        remarks,
        steps: [m.step],
        leastSquares: src.leastSquares,
      },
      m.format,
    );
    const ext = m.format === 'markdown' ? 'md' : 'tex';
    await this.save(
      m.requestId,
      new TextEncoder().encode(text),
      `step${m.step}.${ext}`,
      m.format === 'markdown' ? { Markdown: ['md'] } : { LaTeX: ['tex'] },
    );
  }

  private async exportImage(m: ExportImageMessage): Promise<void> {
    const data = m.format === 'svg' ? new TextEncoder().encode(m.data) : m.data;
    await this.save(m.requestId, data, `diagram.${m.format}`, m.format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] });
  }

  /** Asks where to save (the panel cannot write files) and writes there; replies with the outcome. */
  private async save(
    requestId: number,
    data: Uint8Array,
    suffix: string,
    filters: Record<string, string[]>,
  ): Promise<void> {
    const base = this.uri ? baseName(this.uri.path).replace(/\.bp\.(ya?ml|json)$/i, '') : 'trace';
    const dir = this.uri ? vscode.Uri.joinPath(this.uri, '..') : undefined;
    const target = await vscode.window.showSaveDialog({
      defaultUri: dir ? vscode.Uri.joinPath(dir, `${base}-${suffix}`) : undefined,
      filters,
      title: 'Export from the trace panel',
    });
    if (!target) return this.post({ type: 'result', requestId, ok: false, message: 'Export cancelled.' });
    try {
      await vscode.workspace.fs.writeFile(target, data);
      this.post({ type: 'result', requestId, ok: true, message: `Saved ${vscode.workspace.asRelativePath(target)}` });
    } catch (err) {
      this.post({
        type: 'result',
        requestId,
        ok: false,
        message: `Could not save: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
    this.closed.fire();
    this.closed.dispose();
  }
}
