/**
 * The events of the current step as a strip — forward 1..L, loss, backward L..1, update 1..L —
 * with marks where a hand-derived value is wrong or a numeric warning arises; and, for a run of
 * several steps, the loss chart (lossChart.ts), which also opens a step.
 */
import { h } from './dom';
import { indexOfEvent, PHASE_NAMES } from './events';
import { LegendItem, legendList } from './legend';
import { DocumentData, healthEvent } from '../src/protocol';
import { eventsOfStep, eventTitle, TraceEvent, TraceEventKind } from '../src/engine/trace';
import { LossChart } from './lossChart';

export interface TimelineHandlers {
  go: (index: number) => void;
  goStep: (step: number) => void;
}

export class Timeline {
  readonly element: HTMLElement;
  private readonly chips: HTMLButtonElement[] = [];
  private readonly perStep: number;
  private readonly marks = new Map<number, 'bad' | 'warn'>();
  private readonly chart: LossChart | null;
  private readonly legendSlot = h('div', { class: 'legend-slot' });
  /** The marks the legend explains now (those on the shown step's chips). */
  private legendFor = '';
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
    this.chart =
      doc.losses.length > 1
        ? new LossChart({
            losses: doc.losses,
            total: doc.losses.length,
            open: handlers.goStep,
            fmt,
            optimum: doc.leastSquares ?? undefined,
          })
        : null;
    this.element = h(
      'nav',
      { class: 'timeline', attrs: { 'aria-label': 'Events of the step' } },
      h('div', { class: 'phases' }, ...phases),
      this.chart?.element ?? null,
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
    this.chart?.setStep(e.step);
  }

  dispose(): void {
    this.chart?.dispose();
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
