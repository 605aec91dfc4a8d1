/**
 * The current event in full: its equations, its operands as matrices with shapes (the entries
 * behind the highlighted result emphasised; an update's W, ∂L/∂W and W' side by side with the
 * changes coloured), the hand-derived values checked here, numeric warnings raised here, and at
 * a backward event the gradient check of that layer.
 */
import { h, icon } from './dom';
import { EquationRenderer } from './equations';
import { matrixBlock } from './matrix';
import { Convention, Focus, offsetInStep, Operand, operandsFor, sameEvent, wrongEntries } from './model';
import { checkEvent, DocumentData, EventRef, healthEvent, RevealTarget, StepData, WireGradCheckEntry } from '../src/protocol';
import { eventsOfStep } from '../src/engine/trace';

export interface DetailHandlers {
  reveal(target: RevealTarget): void;
  /** An entry of a result was chosen: make its unit the selected one. */
  selectUnit(layer: number, unit: number, example: number): void;
}

function equationKey(doc: DocumentData, e: EventRef): string {
  return `${doc.revision}:${e.step}:${e.kind}:${e.layer}`;
}

/** Rows of the gradient-check table drawn at once (failures first); the rest are summarised. */
const GRADCHECK_ROWS = 60;

export class DetailView {
  readonly element = h('section', { class: 'detail', attrs: { 'aria-labelledby': 'event-title' } });
  private readonly equations = new EquationRenderer();

  constructor(private readonly handlers: DetailHandlers) {}

  /** Drops cached typesetting (new trace or settings). */
  reset(): void {
    this.equations.clear();
  }

  render(doc: DocumentData, step: StepData, e: EventRef, focus: Focus, fmt: (x: number) => string): void {
    const L = doc.widths.length - 1;
    const eq = step.equations[offsetInStep(e, L)];
    const parts: HTMLElement[] = [
      h('h2', { attrs: { id: 'event-title' } }, eq.title, doc.losses.length > 1 ? h('span', { class: 'sub', text: ` · step ${e.step}` }) : null),
    ];

    const issues = doc.health.filter((x) => sameEvent(healthEvent(x), e));
    if (issues.length) {
      parts.push(h('div', { class: 'warnings', attrs: { role: 'status' } }, ...issues.map((x) =>
        h('p', { class: `warning ${x.severity}` }, icon(x.severity === 'error' ? 'error' : 'warning', x.severity), ' ', x.message))));
    }

    parts.push(this.equations.render(equationKey(doc, e), eq));
    parts.push(this.operands(doc, step, e, focus, fmt));

    const checks = doc.checks.filter((c) => sameEvent(checkEvent(c, L), e));
    if (checks.length) {
      parts.push(h('div', { class: 'checks', attrs: { 'aria-label': 'Your expect values at this event' } },
        h('h3', { text: 'Your values' }),
        h('ul', undefined, ...checks.map((c) => {
          const show = h('button', { class: 'link', text: 'Show in file', attrs: { type: 'button', 'aria-label': `Show expected ${c.symbol} in the model file` } });
          show.addEventListener('click', () => this.handlers.reveal({ kind: 'check', index: c.index }));
          return h('li', { class: c.ok ? 'ok' : 'bad', attrs: { 'data-check': c.key, 'data-layer': c.layer } },
            icon(c.ok ? 'pass' : 'error', c.ok ? 'matches' : 'differs'), ' ',
            h('span', { class: 'symbol', text: c.symbol }), ' ',
            h('span', { class: 'check-message', text: c.ok ? 'matches' : c.message }), ' ', show);
        }))));
    }

    if (e.kind === 'backward' && doc.gradcheck) parts.push(this.gradcheck(doc, e.layer, fmt));
    this.element.replaceChildren(...parts);

    // Typeset the step's other events while idle, the next ones first.
    const here = offsetInStep(e, L);
    const distance = (i: number) => (i > here ? i - here : here - i + 0.5);
    this.equations.prerender(eventsOfStep(e.step, L).map((ev, i) => ({ i, key: equationKey(doc, ev), eq: step.equations[i] }))
      .filter((j) => j.i !== here).sort((a, b) => distance(a.i) - distance(b.i)));
  }

  private operands(doc: DocumentData, step: StepData, e: EventRef, focus: Focus, fmt: (x: number) => string): HTMLElement {
    const conv: Convention = doc.convention;
    const L = doc.widths.length - 1;
    const wrong = wrongEntries(doc.checks, e.step, L);
    const lines = operandsFor(step, e, conv, focus);
    const activate = (op: Operand) => (r: number, c: number) => {
      // Result entries select their unit; parameters and data show where they are written.
      if (op.role === 'result' && op.check && ['z', 'a', 'delta', 'dL_da'].includes(op.check.key)) {
        this.handlers.selectUnit(op.check.layer, c, r);
      } else if (op.reveal) {
        this.handlers.reveal(op.reveal(r, c));
      }
    };
    return h('div', { class: 'operands' }, ...lines.map((line) =>
      h('div', { class: 'operand-line', attrs: { role: 'group', 'aria-label': line.caption } },
        ...line.items.map((it) => typeof it === 'string'
          ? h('span', { class: 'op', text: it, attrs: { 'aria-hidden': 'true' } })
          : matrixBlock({ operand: it, format: fmt, wrong: it.check ? wrong.get(`${it.check.key}:${it.check.layer}`) : undefined, onActivate: activate(it) })))));
  }

  private gradcheck(doc: DocumentData, layer: number, fmt: (x: number) => string): HTMLElement {
    const gc = doc.gradcheck!;
    const entries = gc.entries.filter((x) => x.layer === layer);
    const failed = entries.filter((x) => !x.ok);
    const shown = [...failed, ...entries.filter((x) => x.ok)].slice(0, GRADCHECK_ROWS);
    const name = (x: WireGradCheckEntry) => (x.param === 'W' ? `∂L/∂W[${x.i + 1}][${x.j + 1}]` : `∂L/∂b[${x.i + 1}]`);
    const table = h('table', { class: 'gradcheck-table' },
      h('thead', undefined, h('tr', undefined, ...['Parameter', 'Backprop', 'Central difference', 'Relative error', ''].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
      h('tbody', undefined, ...shown.map((x) => {
        const tr = h('tr', { class: x.ok ? 'ok' : 'bad' },
          h('th', { text: name(x), attrs: { scope: 'row' } }), h('td', { text: fmt(x.analytic) }), h('td', { text: fmt(x.numeric) }),
          h('td', { text: x.relError.toExponential(1) }), h('td', undefined, icon(x.ok ? 'pass' : 'error', x.ok ? 'passes' : 'fails')));
        tr.addEventListener('click', () => this.handlers.reveal({ kind: 'param', layer, param: x.param, i: x.i, j: x.j }));
        return tr;
      })));
    const rest = entries.length - shown.length;
    return h('div', { class: 'gradcheck' },
      h('h3', { text: `Gradient check, layer ${layer}` }),
      h('p', { class: 'sub', text: `${entries.length - failed.length} of ${entries.length} agree with the central difference (ε = ${gc.epsilon})${gc.checked < gc.total ? `; ${gc.checked} of ${gc.total} parameters sampled` : ''}.` }),
      table,
      rest > 0 ? h('p', { class: 'sub', text: `${rest} more${failed.length > shown.length ? '' : ', all passing'}.` }) : null);
  }
}
