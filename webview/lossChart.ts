/**
 * The loss over a run's steps as a chart: axes with ticks, a log-scale switch, the hovered
 * step's loss, a click (or Enter) that opens that step, and a labelled step field for runs too
 * long to point at. The plot is one keyboard control (a slider over the steps: ← → one step,
 * Page Up/Down a hundredth of the run, Home End, Enter opens). Drawn to the pixel width it has
 * (a million steps are a few hundred columns of lowest–highest loss); colours are the theme's.
 * A run in progress fills it in live (append()).
 */
import { h, s } from './dom';
import {
  canLog,
  envelope,
  logTicks,
  lossRange,
  makeScale,
  niceTicks,
  prefersLog,
  withOptimum,
  Scale,
  stepAt,
  stepTicks,
} from './chartScale';

export interface LossChartOptions {
  /** Loss per step (steps 1..losses.length so far). */
  readonly losses: Float64Array;
  /** Steps the run has (or will have, while it trains). */
  readonly total: number;
  /** Opens a step in the panel; absent while the run trains (there is nothing to open yet). */
  readonly open?: (step: number) => void;
  readonly fmt: (x: number) => string;
  /** Starts on a log scale (else chosen from the data). */
  readonly log?: boolean;
  /** A linear regression's closed form (lecture note 000): L* drawn as a line, ‖θ_t − θ*‖ beside each step's loss. */
  readonly optimum?: { readonly loss: number; readonly distances: Float64Array };
}

const HEIGHT = 150;
const M = { left: 52, right: 10, top: 8, bottom: 22 };
const count = (x: number) => x.toLocaleString('en-US');

export class LossChart {
  readonly element: HTMLElement;
  private losses: Float64Array;
  private n: number;
  private readonly total: number;
  private current = 1;
  /** The step the keyboard or the pointer is on (the readout), or null: the current step. */
  private cursor: number | null = null;
  private log: boolean;
  private width = 0;
  private frame = 0;
  private scale: Scale | null = null;
  private readonly plot: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly caption: HTMLElement;
  private readonly readout: HTMLElement;
  private readonly distance: HTMLElement | null;
  private readonly logBox: HTMLInputElement;
  private readonly field: HTMLInputElement | null;
  private readonly resize: ResizeObserver;

  constructor(private readonly o: LossChartOptions) {
    this.total = Math.max(1, o.total);
    this.n = o.losses.length;
    this.losses = new Float64Array(this.total);
    this.losses.set(o.losses.subarray(0, this.total));
    this.log = (o.log ?? prefersLog(this.losses, this.n)) && canLog(this.losses, this.n);

    this.caption = h('span', { class: 'loss-title' });
    this.readout = h('span', { class: 'loss-readout', attrs: { id: 'loss-readout' } });
    this.distance = o.optimum ? h('span', { class: 'loss-distance', attrs: { id: 'loss-distance' } }) : null;
    this.logBox = h('input', { attrs: { type: 'checkbox', id: 'loss-log' } });
    this.logBox.checked = this.log;
    this.logBox.addEventListener('change', () => {
      this.log = this.logBox.checked;
      this.draw();
    });
    const logLabel = h('label', { class: 'loss-log', attrs: { for: 'loss-log' } }, this.logBox, ' Log scale');
    this.field = o.open
      ? h('input', {
          class: 'step-field',
          attrs: { type: 'number', min: 1, max: this.total, step: 1, id: 'step-field' },
        })
      : null;
    this.field?.addEventListener('change', () => {
      const v = Math.trunc(Number(this.field!.value));
      if (Number.isFinite(v) && this.field!.value.trim() !== '') this.openStep(v);
    });
    const stepBox = this.field
      ? h(
          'span',
          { class: 'loss-step' },
          h('label', { attrs: { for: 'step-field' }, text: 'Step' }),
          this.field,
          h('span', { text: `of ${count(this.total)}` }),
        )
      : null;

    this.svg = s('svg', { class: 'loss-plot', height: HEIGHT, 'aria-hidden': 'true' });
    this.plot = h('div', {
      class: 'loss-plot-box',
      attrs: {
        tabindex: 0,
        role: 'slider',
        'aria-label': o.open ? 'Loss per step: arrows pick a step, Enter opens it' : 'Loss per step so far',
        'aria-valuemin': 1,
        'aria-valuemax': this.total,
        'aria-describedby': 'loss-readout',
      },
    });
    this.plot.append(this.svg);
    this.plot.addEventListener('pointermove', (e) => this.hover(this.stepAtX(e.clientX)));
    this.plot.addEventListener('pointerleave', () => this.hover(null));
    // A click opens the step the readout names (the pointer's last position), whatever rounding the click's x had.
    this.plot.addEventListener('click', (e) => this.openStep(this.cursor ?? this.stepAtX(e.clientX)));
    this.plot.addEventListener('keydown', (e) => this.onKey(e));
    this.plot.addEventListener('blur', () => this.hover(null));

    this.element = h(
      'figure',
      { class: `loss-chart${o.open ? '' : ' live'}` },
      h(
        'figcaption',
        {},
        this.caption,
        this.readout,
        this.distance,
        h('span', { class: 'loss-tools' }, logLabel, stepBox),
        this.legend(),
      ),
      this.plot,
    );
    this.resize = new ResizeObserver(() => {
      const w = Math.floor(this.plot.clientWidth);
      if (w !== this.width) {
        this.width = w;
        this.draw();
      }
    });
    this.resize.observe(this.plot);
    this.updateText();
  }

  /** The step the panel shows. */
  setStep(step: number): void {
    this.current = step;
    if (this.field && document.activeElement !== this.field) this.field.value = String(step);
    this.drawMarkers();
    this.updateText();
  }

  /** New losses of a run in progress: steps from, from + 1, … */
  append(from: number, losses: Float64Array): void {
    const room = Math.max(0, Math.min(losses.length, this.total - (from - 1)));
    this.losses.set(losses.subarray(0, room), from - 1);
    this.n = Math.max(this.n, from - 1 + room);
    if (!this.logBox.checked && !this.log && prefersLog(this.losses, this.n)) this.log = this.logBox.checked = true;
    this.updateText();
    if (!this.frame)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
  }

  dispose(): void {
    this.resize.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
  }

  /** What the lines mean, when there is more than the loss: the least-squares optimum's swatch and value. */
  private legend(): HTMLElement | null {
    const opt = this.o.optimum;
    if (!opt) return null;
    const swatch = (cls: string) => {
      const svg = s('svg', { class: `legend-swatch ${cls}`, width: 22, height: 8, 'aria-hidden': 'true' });
      svg.append(s('line', { x1: 1, x2: 21, y1: 4, y2: 4 }));
      return svg;
    };
    return h(
      'span',
      { class: 'loss-legend', attrs: { role: 'list', 'aria-label': 'Legend' } },
      h('span', { class: 'legend-item', attrs: { role: 'listitem' } }, swatch('curve'), ' gradient descent'),
      h(
        'span',
        { class: 'legend-item', attrs: { role: 'listitem' } },
        swatch('optimum'),
        ` least squares (closed form) L* = ${this.o.fmt(opt.loss)}`,
      ),
    );
  }

  // ── Interaction ──────────────────────────────────────────────────────────────────────────

  private stepAtX(clientX: number): number {
    const box = this.plot.getBoundingClientRect();
    const plotW = Math.max(1, box.width - M.left - M.right);
    const axis = this.o.open ? Math.max(1, this.n) : this.total;
    return Math.min(Math.max(1, this.n), stepAt((clientX - box.left - M.left) / plotW, axis));
  }

  private hover(step: number | null): void {
    this.cursor = step;
    this.drawMarkers();
    this.updateText();
  }

  private openStep(step: number): void {
    if (!this.o.open || this.n < 1) return;
    this.o.open(Math.min(this.n, Math.max(1, step)));
  }

  private onKey(e: KeyboardEvent): void {
    const n = Math.max(1, this.n);
    const at = this.cursor ?? this.current;
    const page = Math.max(1, Math.round(n / 100));
    const to =
      e.key === 'ArrowRight' || e.key === 'ArrowUp'
        ? at + 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowDown'
          ? at - 1
          : e.key === 'PageUp'
            ? at + page
            : e.key === 'PageDown'
              ? at - page
              : e.key === 'Home'
                ? 1
                : e.key === 'End'
                  ? n
                  : null;
    if (to !== null) this.hover(Math.min(n, Math.max(1, to)));
    else if (e.key === 'Enter' || e.key === ' ') this.openStep(at);
    else return;
    // The panel's own ← → Home End step through events: not while the chart has the keys.
    e.preventDefault();
    e.stopPropagation();
  }

  // ── Drawing ──────────────────────────────────────────────────────────────────────────────

  private updateText(): void {
    const { fmt } = this.o;
    const n = this.n;
    this.caption.textContent = this.o.open
      ? `Loss over ${count(n)} step${n === 1 ? '' : 's'}${n ? `: ${fmt(this.losses[0])} → ${fmt(this.losses[n - 1])}` : ''}`
      : `Training: step ${count(n)} of ${count(this.total)}${n ? ` · L = ${fmt(this.losses[n - 1])}` : ''}`;
    const at = Math.min(this.cursor ?? this.current, Math.max(1, n));
    const text = n ? `Step ${count(at)}: L = ${fmt(this.losses[at - 1])}` : '';
    this.readout.textContent = this.cursor !== null || this.o.open ? text : '';
    const d = this.o.optimum?.distances[at - 1];
    const dText = d !== undefined && n ? `‖θ − θ*‖ = ${fmt(d)}` : '';
    if (this.distance) this.distance.textContent = this.readout.textContent ? dText : '';
    this.plot.setAttribute('aria-valuenow', String(at));
    this.plot.setAttribute(
      'aria-valuetext',
      `step ${count(at)} of ${count(n)}, loss ${n ? fmt(this.losses[at - 1]) : 'none yet'}${dText ? `, ${dText}` : ''}`,
    );
  }

  private x(step: number): number {
    const plotW = this.width - M.left - M.right;
    const n = this.o.open ? Math.max(1, this.n) : this.total;
    return M.left + (n > 1 ? ((step - 1) / (n - 1)) * plotW : plotW / 2);
  }

  private y(v: number): number {
    const plotH = HEIGHT - M.top - M.bottom;
    const f = this.scale!.at(v);
    return M.top + (1 - Math.min(1.05, Math.max(-0.05, Number.isFinite(f) ? f : -0.05))) * plotH;
  }

  private draw(): void {
    const W = this.width;
    this.svg.replaceChildren();
    if (W < M.left + M.right + 10) return;
    this.svg.setAttribute('width', String(W));
    this.svg.setAttribute('viewBox', `0 0 ${W} ${HEIGHT}`);
    const data = lossRange(this.losses, this.n, this.log);
    if (!data) return;
    const range = withOptimum(data, this.o.optimum?.loss, this.log);
    this.scale = makeScale(range, this.log);
    const plotW = W - M.left - M.right;
    const bottom = HEIGHT - M.bottom;
    const axes = s('g', { class: 'axes' });
    // y: grid lines and labels.
    const ys = this.log ? logTicks(this.scale.lo, this.scale.hi, 4) : niceTicks(this.scale.lo, this.scale.hi, 4);
    for (const v of ys) {
      const y = this.y(v);
      if (y < M.top - 1 || y > bottom + 1) continue;
      axes.append(
        s('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y, y2: y }),
        s('text', { class: 'tick y', x: M.left - 6, y: y + 4 }, this.o.fmt(v)),
      );
    }
    // x: step labels.
    const xn = this.o.open ? Math.max(1, this.n) : this.total;
    for (const st of stepTicks(xn, Math.max(2, Math.floor(plotW / 90)))) {
      const x = this.x(st);
      // Labels at the ends of the axis stay inside it.
      const anchor = x > W - M.right - 24 ? 'end' : x < M.left + 24 ? 'start' : 'middle';
      axes.append(
        s('line', { class: 'tick-mark', x1: x, x2: x, y1: bottom, y2: bottom + 4 }),
        s('text', { class: 'tick x', x, y: HEIGHT - 6, 'text-anchor': anchor }, count(st)),
      );
    }
    axes.append(
      s('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: bottom, y2: bottom }),
      s('line', { class: 'axis', x1: M.left, x2: M.left, y1: M.top, y2: bottom }),
    );
    this.svg.append(axes, this.curve(plotW), ...this.optimumLine(), s('g', { class: 'markers' }));
    this.drawMarkers();
  }

  /** L* as a dashed line across the plot (none on a log scale when L* = 0: it has no place there). */
  private optimumLine(): SVGElement[] {
    const L = this.o.optimum?.loss;
    if (L === undefined || !Number.isFinite(L) || (this.log && L <= 0)) return [];
    const y = this.y(L).toFixed(1);
    const line = s('line', { class: 'optimum', x1: M.left, x2: this.width - M.right, y1: y, y2: y });
    line.append(s('title', {}, `least squares (closed form): L* = ${this.o.fmt(L)}`));
    return [line];
  }

  /** Short runs: a line through every step; long ones: each column's lowest–highest loss, joined. */
  private curve(plotW: number): SVGPathElement {
    const n = this.n;
    let d = '';
    if (n <= plotW) {
      let pen = false;
      for (let i = 0; i < n; i++) {
        const v = this.losses[i];
        const ok = Number.isFinite(v) && (!this.log || v > 0);
        if (ok) d += `${pen ? 'L' : 'M'}${this.x(i + 1).toFixed(1)} ${this.y(v).toFixed(1)}`;
        pen = ok;
      }
    } else {
      // Columns across the part of the axis the run has reached (all of it once it is done).
      const span = this.o.open ? plotW : Math.max(1, Math.round(((n - 1) / Math.max(1, this.total - 1)) * plotW));
      const { min, max } = envelope(this.losses, n, span + 1);
      let pen = false;
      for (let c = 0; c <= span; c++) {
        const ok = !Number.isNaN(min[c]) && (!this.log || max[c] > 0);
        if (ok) {
          const x = (M.left + c).toFixed(1);
          const lo = this.log && min[c] <= 0 ? max[c] : min[c];
          d += `${pen ? 'L' : 'M'}${x} ${this.y(max[c]).toFixed(1)}V${this.y(lo).toFixed(1)}`;
        }
        pen = ok;
      }
    }
    return s('path', { class: 'curve', d });
  }

  private drawMarkers(): void {
    const g = this.svg.querySelector('g.markers');
    if (!g || !this.scale) return;
    g.replaceChildren();
    const top = M.top,
      bottom = HEIGHT - M.bottom;
    const mark = (step: number, cls: string) => {
      if (step < 1 || step > this.n) return;
      const x = this.x(step);
      const v = this.losses[step - 1];
      g.append(s('line', { class: cls, x1: x, x2: x, y1: top, y2: bottom }));
      if (Number.isFinite(v) && (!this.log || v > 0))
        g.append(s('circle', { class: `${cls}-dot`, cx: x, cy: this.y(v), r: 3 }));
    };
    if (this.o.open) mark(this.current, 'current');
    if (this.cursor !== null) mark(this.cursor, 'cursor');
  }
}
