/**
 * A stand-in for the extension host in the headless panel tests (bundled to
 * out/test/webview/fakeHost.js, loaded before dist/webview.js). It provides acquireVsCodeApi,
 * answers the panel's requests with the same payload code the real host uses
 * (src/extension/panel/payload.ts), validates everything the panel sends (src/protocol/), and
 * exposes `window.harness` for the tests to drive.
 */
import { checkFromWebview, FromWebviewMessage, PanelSettings, StaleTrace } from '../../../src/protocol';
import { documentData, PanelSource, stepData } from '../../../src/extension/panel/payload';
import { FIXTURES } from './fixtures';
import { ThemeKind, THEMES } from './themes';

interface LoadOptions {
  readonly index?: number;
  readonly reason?: 'opened' | 'rebuilt' | 'restored' | 'settings';
  readonly settings?: Partial<PanelSettings>;
  /** Show the trace as the last one that ran, with these errors in the current text. */
  readonly stale?: StaleTrace;
}

class FakeHost {
  /** Every message the panel sent, validated. */
  readonly sent: FromWebviewMessage[] = [];
  /** Messages the panel sent that failed validation. */
  readonly invalid: string[] = [];
  /** CSP violations reported by the page. */
  readonly cspViolations: string[] = [];
  /** What the panel last saved with setState. */
  savedState: unknown = undefined;
  private revision = 0;
  private source: PanelSource | null = null;
  private settings: PanelSettings = { digits: 6, numberFormat: 'auto' };
  /** Milliseconds spent building each fixture's trace, for the benchmark. */
  readonly buildMs: Record<string, number> = {};

  constructor() {
    // A reload restores what the panel saved (the tests pass it in the page's URL).
    const saved = new URLSearchParams(location.search).get('state');
    if (saved) this.savedState = JSON.parse(saved);
    document.addEventListener('securitypolicyviolation', (e) =>
      this.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  }

  api() {
    return {
      postMessage: (m: unknown) => queueMicrotask(() => this.receive(m)),
      getState: () => this.savedState,
      setState: (s: unknown) => {
        this.savedState = s;
      },
    };
  }

  /** Posts a fixture's trace as the host does when the panel opens or the file is re-run. */
  load(name: string, opts: LoadOptions = {}): void {
    const make = FIXTURES[name];
    if (!make) throw new Error(`no fixture ${name}; have ${Object.keys(FIXTURES).join(', ')}`);
    const t0 = performance.now();
    this.source = make();
    this.buildMs[name] = performance.now() - t0;
    this.settings = { ...this.settings, ...opts.settings };
    this.revision++;
    const index = opts.index ?? 0;
    const L = this.source.widths.length - 1;
    const step = Math.floor(index / (3 * L + 1)) + 1;
    this.post({
      type: 'load',
      doc: documentData(this.source, this.revision),
      settings: this.settings,
      index,
      step: stepData(this.source.trace, step, this.source.convention, this.settings),
      reason: opts.reason ?? 'opened',
      stale: opts.stale ?? null,
    });
  }

  /**
   * max |x| of a quantity of a step as the host sent it (e.g. 'input', 'update.0.W', 'backward.1.dW'),
   * for the tests of the heatmaps' colour scales.
   */
  maxAbs(step: number, path: string): number {
    const src = this.source;
    if (!src) throw new Error('no fixture loaded');
    let x: unknown = stepData(src.trace, step, src.convention, this.settings);
    for (const k of path.split('.')) x = (x as Record<string, unknown>)[k];
    const data = (x as { data: Float64Array }).data;
    return data.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  }

  /** Any message, as if from the host (the tests also send malformed ones). */
  post(message: unknown): void {
    window.postMessage(message, '*');
  }

  /** The host's side of "moved": what it would tell other views. */
  position(index: number): void {
    this.post({ type: 'position', revision: this.revision, index });
  }

  selectLayer(layer: number, focus = false): void {
    this.post({ type: 'selectLayer', revision: this.revision, layer, focus });
  }

  unavailable(message: string): void {
    this.post({ type: 'unavailable', uri: null, fileName: 'broken.bp.yaml', message });
  }

  setTheme(kind: ThemeKind): void {
    const t = THEMES[kind];
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
    document.body.classList.add(t.bodyClass);
    document.body.dataset.vscodeThemeKind = t.bodyClass;
    const root = document.documentElement;
    for (let i = root.style.length - 1; i >= 0; i--) root.style.removeProperty(root.style[i]);
    for (const [k, v] of Object.entries(t.vars)) root.style.setProperty(`--vscode-${k}`, v);
  }

  private receive(raw: unknown): void {
    let m: FromWebviewMessage;
    try {
      m = checkFromWebview(raw);
    } catch (err) {
      this.invalid.push(err instanceof Error ? err.message : String(err));
      return;
    }
    this.sent.push(m);
    const src = this.source;
    switch (m.type) {
      case 'getStep':
        if (src && m.revision === this.revision)
          this.post({
            type: 'stepData',
            requestId: m.requestId,
            revision: this.revision,
            step: stepData(src.trace, m.step, src.convention, this.settings),
          });
        return;
      case 'exportWorked':
        this.post({ type: 'result', requestId: m.requestId, ok: true, message: `Saved step ${m.step} as ${m.format}` });
        return;
      case 'exportImage':
        this.post({
          type: 'result',
          requestId: m.requestId,
          ok: true,
          message: `Saved the diagram as ${m.format} (${typeof m.data === 'string' ? m.data.length : m.data.byteLength} bytes)`,
        });
        return;
      default:
        return;
    }
  }
}

const host = new FakeHost();
const w = window as unknown as { acquireVsCodeApi: () => ReturnType<FakeHost['api']>; harness: FakeHost };
let acquired = false;
w.acquireVsCodeApi = () => {
  // VS Code allows one call per page; the panel must not call it twice.
  if (acquired) throw new Error('acquireVsCodeApi called twice');
  acquired = true;
  return host.api();
};
w.harness = host;
host.setTheme('dark');
