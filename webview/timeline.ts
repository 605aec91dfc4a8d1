/**
 * The events of the current step as a strip — forward 1..L, loss, backward L..1, update 1..L —
 * with marks where a hand-derived value is wrong or a numeric warning arises; and, for a run of
 * several steps, the loss curve, which also selects the step.
 */
import { h, s } from './dom';
import { indexOfEvent, PHASE_NAMES } from './events';
import { LegendItem, legendList } from './legend';
import { DocumentData, healthEvent } from '../src/protocol';
import { eventsOfStep, eventTitle, TraceEvent, TraceEventKind } from '../src/engine/trace';

export interface TimelineHandlers {
  go: (index: number) => void;
  goStep: (step: number) => void;
}

export class Timeline {
  readonly element: HTMLElement;
  private readonly chips: HTMLButtonElement[] = [];
  private readonly perStep: number;
  private readonly marks = new Map<number, 'bad' | 'warn'>();
  private readonly legendSlot = h('div', { class: 'legend-slot' });
  /** The marks the legend explains now (those on the shown step's chips). */
  private legendFor = '';
  private readonly curve: LossCurve | null;
  /** Index of the current step's first event. */
  private base = 0;

  constructor(
    private readonly doc: DocumentData,
    handlers: TimelineHandlers,
    fmt: (x: number) => string,
  ) {
    const L = doc.widths.length - 1;
    this.perStep = 3 * L + 1;
    for (const c of doc.checks) if (!c.ok) this.marks.set(indexOfEvent(c.event, L), 'bad');
    for (const x of doc.health) {
      const k = indexOfEvent(healthEvent(x), L);
      if (!this.marks.has(k)) this.marks.set(k, 'warn');
    }

    const groups = new Map<TraceEventKind, HTMLElement>();
    eventsOfStep(1, L).forEach((e, k) => {
      const chip = h('button', {
        class: `chip ${e.kind}`,
        text: e.kind === 'loss' ? 'L' : String(e.layer),
        attrs: { type: 'button', tabindex: -1, 'data-offset': k },
      });
      chip.addEventListener('click', () => handlers.go(this.base + k));
      this.chips.push(chip);
      let g = groups.get(e.kind);
      if (!g) {
        g = h('div', { class: 'chips', attrs: { role: 'group', 'aria-label': PHASE_NAMES[e.kind] } });
        groups.set(e.kind, g);
      }
      g.append(chip);
    });
    const phases: HTMLElement[] = [...groups].map(([kind, g]) =>
      h(
        'div',
        { class: `phase ${kind}` },
        h('span', { class: 'phase-name', text: PHASE_NAMES[kind], attrs: { 'aria-hidden': 'true' } }),
        g,
      ),
    );
    phases.push(this.legendSlot);
    this.curve = doc.losses.length > 1 ? new LossCurve(doc.losses, handlers.goStep, fmt) : null;
    this.element = h(
      'nav',
      { class: 'timeline', attrs: { 'aria-label': 'Events of the step' } },
      h('div', { class: 'phases' }, ...phases),
      this.curve?.element ?? null,
    );
  }

  update(index: number, e: TraceEvent, focusChip: boolean): void {
    this.base = (e.step - 1) * this.perStep;
    const current = index - this.base;
    const events = eventsOfStep(e.step, this.doc.widths.length - 1);
    this.chips.forEach((chip, k) => {
      const ev = events[k];
      const mark = this.marks.get(this.base + k);
      chip.classList.toggle('current', k === current);
      chip.classList.toggle('bad', mark === 'bad');
      chip.classList.toggle('warn', mark === 'warn');
      chip.tabIndex = k === current ? 0 : -1;
      if (k === current) chip.setAttribute('aria-current', 'step');
      else chip.removeAttribute('aria-current');
      chip.setAttribute(
        'aria-label',
        `${eventTitle(ev)}${mark === 'bad' ? ', a value differs from yours' : mark === 'warn' ? ', numeric warning' : ''}`,
      );
    });
    this.updateLegend();
    if (focusChip) this.chips[current]?.focus();
    this.curve?.update(e.step);
  }

  private updateLegend(): void {
    const shown = new Set(this.chips.map((_c, k) => this.marks.get(this.base + k)));
    const items: LegendItem[] = [];
    if (shown.has('bad')) items.push({ key: 'mark-bad', label: 'a value differs from yours' });
    if (shown.has('warn')) items.push({ key: 'mark-warn', label: 'numeric warning' });
    const key = items.map((i) => i.key).join();
    if (key === this.legendFor && this.legendSlot.firstChild) return;
    this.legendFor = key;
    this.legendSlot.replaceChildren(legendList('Marks on the events', items));
  }

  /** Whether keyboard focus is on one of the chips (then stepping moves it along). */
  hasFocus(): boolean {
    return this.chips.some((c) => c === document.activeElement);
  }
}

class LossCurve {
  readonly element: HTMLElement;
  private readonly marker: SVGLineElement;
  private readonly points: { x: number; y: number }[];
  private static readonly W = 600;
  private static readonly H = 80;

  constructor(losses: Float64Array, goStep: (step: number) => void, fmt: (x: number) => string) {
    const { W, H } = LossCurve;
    const finite = Array.from(losses).filter(Number.isFinite);
    const lo = Math.min(...finite),
      hi = Math.max(...finite);
    // A log scale when the loss falls by orders of magnitude, as training curves usually do.
    const log = lo > 0 && hi / lo > 100;
    const f = (v: number) => (log ? Math.log10(v) : v);
    const a = f(lo),
      b = f(hi);
    const n = losses.length;
    this.points = Array.from(losses, (v, i) => ({
      x: 8 + (n === 1 ? 0 : (i / (n - 1)) * (W - 16)),
      y: Number.isFinite(v) ? 8 + (b === a ? 0.5 : 1 - (f(v) - a) / (b - a)) * (H - 16) : H - 8,
    }));
    // A long run is drawn from at most ~1000 of its points (the curve is 600 units wide).
    const every = Math.max(1, Math.ceil(n / 1000));
    const drawn = this.points.filter((_, i) => i % every === 0 || i === n - 1);
    const poly = s('polyline', {
      points: drawn.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '),
      class: 'curve',
    });
    // A vertical rule: the curve is stretched to the panel's width, which would squash a dot.
    this.marker = s('line', { y1: 0, y2: H, class: 'marker' });
    const svg = s(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, class: 'loss-curve', preserveAspectRatio: 'none', 'aria-hidden': 'true' },
      poly,
      this.marker,
    );
    svg.addEventListener('click', (e) => {
      const box = svg.getBoundingClientRect();
      const x = ((e.clientX - box.left) / box.width) * W;
      const step = Math.round(((x - 8) / (W - 16)) * (n - 1)) + 1;
      goStep(Math.max(1, Math.min(n, step)));
    });
    this.element = h(
      'figure',
      { class: 'loss' },
      h('figcaption', {
        text: `Loss over ${n} steps${log ? ' (log scale)' : ''}: ${fmt(losses[0])} → ${fmt(losses[n - 1])}`,
      }),
      svg,
    );
  }

  update(step: number): void {
    const p = this.points[step - 1];
    if (!p) return;
    this.marker.setAttribute('x1', p.x.toFixed(1));
    this.marker.setAttribute('x2', p.x.toFixed(1));
  }
}
