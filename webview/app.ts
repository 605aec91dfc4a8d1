/**
 * The panel: holds the position, the selection and the steps received so far; renders the
 * controls, the timeline, the diagram and the current event; talks to the host through
 * HostChannel. Stepping renders at once (optimistically) and tells the host, which moves the
 * shared session without echoing the move back.
 */
import { h, icon } from './dom';
import { Controls } from './controls';
import { DetailView } from './detail';
import { Diagram } from './diagram';
import { onThemeChange, Palette, readPalette } from './colors';
import { HostChannel } from './host';
import { eventAt, eventLayer, keyAction, StepAction } from './events';
import { eventTitle, TraceEvent } from '../src/engine/trace';
import { Timeline } from './timeline';
import { LossChart } from './lossChart';
import { makeFormatter } from './formatters';
import { svgToPng } from './raster';
import {
  DocumentData,
  LoadMessage,
  ResultMessage,
  RevealTarget,
  RunProgressMessage,
  StaleTrace,
  StepData,
  StepDataMessage,
  ToWebviewMessage,
} from '../src/protocol';

/** Steps kept in memory (a 784-128-10 step is a few megabytes). */
const STEP_CACHE = 12;
const PLAY_INTERVAL_MS = 700;
/** Idle time left below which drawing an event ahead waits for the next idle period. */
const AHEAD_MIN_IDLE_MS = 8;

export class App {
  private readonly channel: HostChannel;
  private doc: DocumentData | null = null;
  private fmt = makeFormatter({ digits: 6, numberFormat: 'auto' });
  private digits = 6;
  /** Events in the trace (3L + 1 per step): positions are arithmetic, see eventAt(). */
  private eventCount = 0;
  private index = 0;
  private readonly steps = new Map<number, StepData>();
  private readonly requested = new Set<number>();
  private layer: number | null = null;
  private unit = 0;
  private example = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private palette: Palette;
  /** The idle callback drawing the neighbouring events ahead (0: none pending). */
  private ahead = 0;

  private readonly header = h('header', { class: 'top' });
  private readonly controls: Controls;
  private readonly timelineSlot = h('div', { class: 'timeline-slot' });
  /** A long run of this file in progress: its loss chart, filling in (shown even before the first trace). */
  private readonly liveSlot = h('div', { class: 'live-slot' });
  private liveChart: LossChart | null = null;
  private liveUri: string | null = null;
  private readonly diagramSlot = h('div', { class: 'diagram-slot' });
  private readonly detail: DetailView;
  private readonly live = h('div', { class: 'visually-hidden', attrs: { 'aria-live': 'polite', id: 'announce' } });
  private readonly toast = h('div', { class: 'toast', attrs: { role: 'status', id: 'toast' } });
  private readonly message = h('div', { class: 'message', attrs: { id: 'message' } });
  /** While the file does not run: the trace shown is its last that did, and why (webview/stale). */
  private readonly staleBanner = h('section', {
    class: 'stale-banner',
    attrs: { id: 'stale', role: 'status', 'aria-labelledby': 'stale-title' },
  });
  /** What the banner shows now (redrawn, and so announced, only when it changes). */
  private staleKey = '';
  private timeline: Timeline | null = null;
  private diagram: Diagram | null = null;

  constructor(private readonly root: HTMLElement) {
    this.channel = new HostChannel((m) => this.onMessage(m));
    this.palette = readPalette();
    this.controls = new Controls({
      first: () => this.act('first'),
      previous: () => this.act('previous'),
      togglePlay: () => this.act('togglePlay'),
      next: () => this.act('next'),
      last: () => this.act('last'),
      seek: (i) => this.go(i),
      goStep: (s) => this.goStep(s),
      example: (n) => {
        this.example = n;
        this.render();
      },
      export: (what) => void this.export(what),
    });
    this.detail = new DetailView({
      reveal: (t) => this.reveal(t),
      selectUnit: (layer, unit, example) => this.select(layer, unit, example),
    });
    this.staleBanner.hidden = true;
    root.append(
      this.header,
      this.staleBanner,
      this.message,
      this.liveSlot,
      this.controls.element,
      this.timelineSlot,
      h('div', { class: 'main' }, this.diagramSlot, this.detail.element),
      this.live,
      this.toast,
    );
    root.classList.add('empty');
    this.message.textContent = 'Open a model file (*.bp.yaml, *.bp.yml or *.bp.json) to step through its training.';
    document.addEventListener('keydown', (e) => this.onKey(e));
    onThemeChange(() => {
      this.palette = readPalette();
      this.render();
    });
    matchMedia('(prefers-reduced-motion: reduce)').addEventListener('change', () => this.render());
    this.channel.post({ type: 'ready', state: this.channel.state });
  }

  // ── Messages ───────────────────────────────────────────────────────────────────────────────

  private onMessage(m: Exclude<ToWebviewMessage, StepDataMessage | ResultMessage>): void {
    switch (m.type) {
      case 'load':
        return this.load(m);
      case 'unavailable': {
        this.stop();
        this.doc = null;
        this.showStale(null, '');
        this.root.classList.add('empty');
        this.header.replaceChildren(h('h1', { text: m.fileName ?? 'Backprop Stepper' }));
        this.message.replaceChildren(icon('info'), ' ', m.message);
        return;
      }
      case 'position':
        if (this.doc && m.revision === this.doc.revision) this.go(m.index, { fromHost: true });
        return;
      case 'runProgress':
        return this.showRun(m);
      case 'runEnded':
        return this.endRun();
      case 'selectLayer':
        if (!this.doc || m.revision !== this.doc.revision) return;
        this.layer = Math.min(m.layer, this.doc.widths.length - 1);
        this.render();
        if (m.focus) this.diagram?.focusLayer(this.layer);
        return;
    }
  }

  private load(m: LoadMessage): void {
    const prev = this.doc;
    const doc = (this.doc = m.doc);
    this.fmt = makeFormatter(m.settings);
    this.digits = m.settings.digits;
    // The finished run's trace is here: its own chart replaces the live one.
    this.endRun();
    const L = doc.widths.length - 1;
    this.eventCount = doc.losses.length * (3 * L + 1);
    this.steps.clear();
    this.requested.clear();
    this.steps.set(m.step.step, m.step);
    this.detail.reset();
    // Keep the selection across edits of the same file (and across a reload, from the saved state).
    const saved =
      prev?.uri === doc.uri
        ? { layer: this.layer, unit: this.unit, example: this.example }
        : this.channel.state?.uri === doc.uri
          ? this.channel.state
          : null;
    this.layer = saved?.layer !== undefined && saved.layer !== null && saved.layer <= L ? saved.layer : null;
    this.unit = saved?.unit ?? 0;
    this.example = saved && saved.example < doc.batch ? saved.example : 0;
    this.index = Math.max(0, Math.min(this.eventCount - 1, m.index));

    this.root.classList.remove('empty');
    this.message.replaceChildren();
    this.header.replaceChildren(
      h('h1', { text: doc.name }),
      h('span', { class: 'file', text: doc.fileName }),
      h('span', {
        class: 'summary',
        text: `${doc.widths.join('-')} · ${doc.activations.join(', ')} · ${doc.loss} · ${doc.optimizer} · ${doc.batch} ${doc.batch === 1 ? 'example' : 'examples'} · ${doc.parameterCounts.reduce((a, b) => a + b, 0)} parameters`,
      }),
      ...(doc.stoppedEarly ? [h('span', { class: 'stopped' }, icon('warning'), ` ${doc.stoppedEarly}`)] : []),
    );
    this.controls.setDocument(doc, this.fmt);
    // Timeline and diagram are rebuilt per trace: an edit may change the network's shape.
    this.timeline?.dispose();
    this.timeline = new Timeline(doc, { go: (i) => this.go(i), goStep: (s) => this.goStep(s) }, this.fmt);
    this.timelineSlot.replaceChildren(this.timeline.element);
    this.diagram = new Diagram(
      doc,
      {
        onUnit: (layer, unit) => {
          this.select(layer, unit, this.example);
          this.reveal(layer === 0 ? { kind: 'input', example: this.example, unit } : { kind: 'layer', layer });
        },
        onLayer: (layer) => {
          this.layer = layer;
          this.render();
          this.reveal({ kind: 'layer', layer });
        },
        onWeight: (layer, i, j) => this.reveal({ kind: 'param', layer, param: 'W', i, j }),
        onLoss: () => this.reveal({ kind: 'loss' }),
      },
      this.digits,
    );
    this.diagramSlot.replaceChildren(this.diagram.element);
    this.showStale(m.stale, doc.fileName);
    this.render();
  }

  /** The event at an index of the trace, or undefined outside it. */
  private eventAt(i: number): TraceEvent | undefined {
    return this.doc && i >= 0 && i < this.eventCount ? eventAt(i, this.doc.widths.length - 1) : undefined;
  }

  /** A long run in progress: its losses so far, drawn as they come. */
  private showRun(m: RunProgressMessage): void {
    if (this.liveUri !== m.uri || !this.liveChart) {
      this.endRun();
      this.liveUri = m.uri;
      this.liveChart = new LossChart({ losses: new Float64Array(0), total: m.total, fmt: this.fmt });
      this.liveSlot.replaceChildren(this.liveChart.element);
    }
    this.liveChart.append(m.from, m.losses);
  }

  private endRun(): void {
    this.liveChart?.dispose();
    this.liveChart = null;
    this.liveUri = null;
    this.liveSlot.replaceChildren();
  }

  /** The stale banner: what is shown is the last run that worked; each error a link to it in the editor. */
  private showStale(stale: StaleTrace | null, fileName: string): void {
    this.root.classList.toggle('stale', !!stale);
    this.staleBanner.hidden = !stale;
    const key = stale ? JSON.stringify([fileName, stale]) : '';
    if (key === this.staleKey) return;
    this.staleKey = key;
    if (!stale) {
      this.staleBanner.replaceChildren();
      return;
    }
    const n = stale.total;
    const more = n - stale.errors.length;
    this.staleBanner.replaceChildren(
      h(
        'h2',
        { attrs: { id: 'stale-title' } },
        icon('warning'),
        ` Not up to date: ${fileName} has ${n === 1 ? 'an error' : `${n} errors`}`,
      ),
      h('p', { text: 'Shown: the last version of the file that ran. Fix the file and the panel follows it again.' }),
      h(
        'ul',
        undefined,
        ...stale.errors.map((err, index) => {
          const link = h('button', {
            class: 'link',
            text: `Line ${err.line}, column ${err.column}`,
            attrs: { type: 'button', 'data-error': index, title: 'Go to the error in the editor' },
          });
          link.addEventListener('click', () => {
            if (this.doc) this.channel.post({ type: 'showError', revision: this.doc.revision, index });
          });
          return h('li', undefined, link, h('span', { class: 'stale-message', text: `: ${err.message}` }));
        }),
        more > 0 ? h('li', { text: `and ${more} more in the Problems view` }) : null,
      ),
    );
  }

  // ── Stepping ───────────────────────────────────────────────────────────────────────────────

  private act(a: StepAction): void {
    switch (a) {
      case 'next':
        return this.go(this.index + 1);
      case 'previous':
        return this.go(this.index - 1);
      case 'first':
        return this.go(0);
      case 'last':
        return this.go(this.eventCount - 1);
      case 'togglePlay':
        return this.timer !== undefined ? this.stop() : this.play();
    }
  }

  private play(): void {
    if (!this.doc) return;
    if (this.index >= this.eventCount - 1) this.go(0);
    this.timer = setInterval(() => {
      if (this.index >= this.eventCount - 1) this.stop();
      else this.go(this.index + 1);
    }, PLAY_INTERVAL_MS);
    this.render();
  }

  private stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.render();
  }

  private go(index: number, opts: { fromHost?: boolean } = {}): void {
    if (!this.doc || this.eventCount === 0) return;
    const i = Math.max(0, Math.min(this.eventCount - 1, Math.trunc(index)));
    if (i === this.index) return;
    const chipFocused = this.timeline?.hasFocus() ?? false;
    this.index = i;
    this.render(chipFocused);
    if (!opts.fromHost) this.channel.post({ type: 'moved', revision: this.doc.revision, index: i });
  }

  /** The same event in another step. */
  private goStep(step: number): void {
    if (!this.doc) return;
    const perStep = 3 * (this.doc.widths.length - 1) + 1;
    this.go((step - 1) * perStep + (this.index % perStep));
  }

  private select(layer: number, unit: number, example: number): void {
    this.layer = layer;
    this.unit = unit;
    this.example = example;
    this.render();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || !this.doc) return;
    const t = e.target instanceof Element ? e.target : null;
    // Controls with their own arrow keys keep them: the slider, pickers, matrices.
    if (t?.closest('input, textarea, vscode-dropdown, [role="grid"]')) {
      if (!(e.key === ' ' && t.matches('input[type="range"]'))) return;
    }
    const action = keyAction(e.key, { onButton: !!t?.closest('button, vscode-button, [role="button"]') });
    if (!action) return;
    e.preventDefault();
    this.act(action);
  }

  // ── Rendering ──────────────────────────────────────────────────────────────────────────────

  private render(focusChip = false): void {
    const doc = this.doc;
    if (!doc || !this.diagram || !this.timeline) return;
    const t0 = performance.now();
    const e = this.eventAt(this.index);
    if (!e) return;
    const L = doc.widths.length - 1;
    const name = eventTitle(e);
    this.controls.update(this.index, this.eventCount, e.step, this.example, this.timer !== undefined, name);
    this.timeline.update(this.index, e, focusChip);
    const step = this.steps.get(e.step);
    if (step) {
      const layer = eventLayer(e, L);
      const focus = { unit: this.layer === layer ? this.unit : 0, example: this.example };
      this.diagram.update(
        step,
        e,
        { layer: this.layer, unit: focus.unit, example: this.example },
        this.palette,
        this.fmt,
      );
      const t1 = performance.now();
      this.detail.render(doc, step, e, focus, this.fmt);
      // The split, for scripts/bench-panel.mjs.
      this.root.dataset.diagramMs = (t1 - t0).toFixed(2);
      this.root.dataset.detailMs = (performance.now() - t1).toFixed(2);
      this.root.classList.remove('loading');
    } else {
      this.root.classList.add('loading');
      void this.fetch(e.step).then(() => {
        if (this.eventAt(this.index)?.step === e.step) this.render();
      });
    }
    this.live.textContent = `${name}${doc.losses.length > 1 ? `, step ${e.step}` : ''}`;
    this.root.dataset.event = `${e.step}:${e.kind}:${e.layer}`;
    this.root.dataset.index = String(this.index);
    this.root.dataset.renderMs = (performance.now() - t0).toFixed(2);
    this.prefetch(e.step);
    if (step) this.drawAheadWhenIdle();
    this.channel.state = { uri: doc.uri, index: this.index, layer: this.layer, unit: this.unit, example: this.example };
  }

  /**
   * While the panel is idle, draws the next and the previous events (hidden, laid out), so that
   * stepping to them shows them at the cost of a revisit. A key press cancels what is not done.
   */
  private drawAheadWhenIdle(): void {
    if (this.ahead) cancelIdleCallback(this.ahead);
    const run = (deadline: IdleDeadline) => {
      this.ahead = 0;
      const doc = this.doc;
      if (!doc) return;
      const L = doc.widths.length - 1;
      for (const i of [this.index + 1, this.index - 1]) {
        const e = this.eventAt(i);
        const step = e && this.steps.get(e.step);
        if (!step) continue;
        // One event per idle period at most, and only with time to spare (the rest next time).
        if (deadline.timeRemaining() < AHEAD_MIN_IDLE_MS) {
          this.ahead = requestIdleCallback(run);
          return;
        }
        const layer = eventLayer(e, L);
        if (
          this.detail.prepare(
            doc,
            step,
            e,
            { unit: this.layer === layer ? this.unit : 0, example: this.example },
            this.fmt,
          )
        ) {
          this.ahead = requestIdleCallback(run);
          return;
        }
      }
    };
    this.ahead = requestIdleCallback(run);
  }

  private async fetch(step: number): Promise<void> {
    const doc = this.doc;
    if (!doc || this.steps.has(step) || this.requested.has(step)) return;
    this.requested.add(step);
    const reply = await this.channel.request<StepDataMessage>((requestId) => ({
      type: 'getStep',
      requestId,
      revision: doc.revision,
      step,
    }));
    this.requested.delete(step);
    if (this.doc?.revision !== reply.revision) return;
    this.steps.set(step, reply.step);
    // Forget the steps farthest from the one shown.
    if (this.steps.size > STEP_CACHE) {
      const here = this.eventAt(this.index)?.step ?? step;
      const far = [...this.steps.keys()].sort((a, b) => Math.abs(b - here) - Math.abs(a - here))[0];
      this.steps.delete(far);
    }
  }

  /** Asks for the neighbouring steps before they are needed. */
  private prefetch(step: number): void {
    const n = this.doc?.losses.length ?? 0;
    for (const s of [step + 1, step - 1]) if (s >= 1 && s <= n) void this.fetch(s);
  }

  // ── Actions handed to the host ─────────────────────────────────────────────────────────────

  private reveal(target: RevealTarget): void {
    if (this.doc) this.channel.post({ type: 'reveal', revision: this.doc.revision, target });
  }

  private async export(what: 'markdown' | 'latex' | 'svg' | 'png'): Promise<void> {
    const doc = this.doc;
    if (!doc || !this.diagram) return;
    let reply: ResultMessage;
    try {
      if (what === 'markdown' || what === 'latex') {
        const step = this.eventAt(this.index)?.step ?? 1;
        reply = await this.channel.request<ResultMessage>((requestId) => ({
          type: 'exportWorked',
          requestId,
          revision: doc.revision,
          format: what,
          step,
        }));
      } else {
        const background = getComputedStyle(document.body).backgroundColor || '#ffffff';
        const svg = this.diagram.toSvg(background);
        if (what === 'svg') {
          reply = await this.channel.request<ResultMessage>((requestId) => ({
            type: 'exportImage',
            requestId,
            format: 'svg',
            data: svg,
          }));
        } else {
          const data = await svgToPng(svg, this.diagram.size.width, this.diagram.size.height, 2);
          reply = await this.channel.request<ResultMessage>((requestId) => ({
            type: 'exportImage',
            requestId,
            format: 'png',
            data,
          }));
        }
      }
    } catch (err) {
      reply = {
        type: 'result',
        requestId: 0,
        ok: false,
        message: `Export failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    this.toast.textContent = reply.message;
    this.toast.classList.toggle('error', !reply.ok);
  }
}
