/**
 * The current event in full: its equations, its operands as matrices with shapes (the entries
 * behind the highlighted result emphasised; an update's W, ∂L/∂W and W' side by side with the
 * changes coloured), the hand-derived values checked here, numeric warnings raised here, and at
 * a backward event the gradient check of that layer.
 */
import { h, icon } from './dom';
import { EquationRenderer } from './equations';
import { matrixBlock } from './matrix';
import { convView, OutCell } from './convView';
import { offsetInStep, sameEvent } from './events';
import { MatrixView } from './matrixViews';
import { Focus, Operand, OperandLine, operandsFor, wrongEntries } from './operands';
import { LegendItem, legendList } from './legend';
import { DocumentData, healthEvent, RevealTarget, StepData, WireGradCheckEntry } from '../src/protocol';
import { eventsOfStep, TraceEvent } from '../src/engine/trace';
import { formatErrorSize } from '../src/engine/numberFormat';

export interface DetailHandlers {
  reveal(target: RevealTarget): void;
  /** An entry of a result was chosen: make its unit the selected one. */
  selectUnit(layer: number, unit: number, example: number): void;
}

function equationKey(doc: DocumentData, e: TraceEvent): string {
  return `${doc.revision}:${e.step}:${e.kind}:${e.layer}`;
}

/** Rows of the gradient-check table drawn at once (failures first); the rest are summarised. */
const GRADCHECK_ROWS = 60;

interface EventView {
  readonly element: HTMLElement;
  readonly title: HTMLElement;
  readonly operands: HTMLElement;
  /** The selection the operands were drawn for. */
  focus: string;
}

/** Events kept drawn (hidden) for revisiting. */
const VIEWS = 16;

/**
 * Each visited event keeps its drawn view; the others stay in the document hidden with
 * `content-visibility: hidden`, which keeps their layout, so stepping back to an event costs a
 * style flip rather than a rebuild and a fresh layout. Only the operands are redrawn when the
 * selected unit or example changes.
 */
export class DetailView {
  readonly element = h('section', { class: 'detail', attrs: { 'aria-labelledby': 'event-title' } });
  private readonly equations = new EquationRenderer();
  private readonly views = new Map<string, EventView>();
  private shown: EventView | null = null;
  /** The picked output cell of each conv2d or pooling layer's forward and backward views, kept across steps. */
  private readonly picks = new Map<string, OutCell>();

  constructor(private readonly handlers: DetailHandlers) {}

  /** Drops every drawn event and cached typesetting (new trace or settings). */
  reset(): void {
    this.equations.clear();
    this.views.clear();
    this.shown = null;
    this.element.replaceChildren();
  }

  render(doc: DocumentData, step: StepData, e: TraceEvent, focus: Focus, fmt: (x: number) => string): void {
    const L = doc.widths.length - 1;
    const key = equationKey(doc, e);
    let view = this.views.get(key);
    if (view) {
      // Map order is insertion order: re-inserting keeps the most recent last.
      this.views.delete(key);
    } else {
      view = this.build(doc, step, e, fmt);
      this.element.append(view.element);
    }
    this.views.set(key, view);
    this.drawOperands(view, doc, step, e, focus, fmt);
    if (this.shown !== view) {
      if (this.shown) hide(this.shown);
      show(view);
      this.shown = view;
    }
    for (const [k, v] of this.views) {
      if (this.views.size <= VIEWS) break;
      if (v === view) continue;
      v.element.remove();
      this.views.delete(k);
    }

    // Typeset the step's other events while idle, the next ones first.
    const here = offsetInStep(e, L);
    const distance = (i: number) => (i > here ? i - here : here - i + 0.5);
    this.equations.prerender(
      eventsOfStep(e.step, L)
        .map((ev, i) => ({ i, key: equationKey(doc, ev), eq: step.equations[i] }))
        .filter((j) => j.i !== here)
        .sort((a, b) => distance(a.i) - distance(b.i)),
    );
  }

  /**
   * Draws an event ahead of time (hidden) and lays it out, so that stepping to it is a style flip
   * like a revisit rather than a build and a fresh layout. For idle time: reading the layout here
   * forces it, which is the point (nothing else is waiting). Returns whether it drew anything.
   */
  prepare(doc: DocumentData, step: StepData, e: TraceEvent, focus: Focus, fmt: (x: number) => string): boolean {
    const key = equationKey(doc, e);
    let view = this.views.get(key);
    if (view?.focus === `${focus.unit}:${focus.example}`) return false;
    if (!view) {
      view = this.build(doc, step, e, fmt);
      this.element.append(view.element);
      // Newest last, so the eviction in render() keeps it over events visited long ago.
      this.views.set(key, view);
    }
    this.drawOperands(view, doc, step, e, focus, fmt);
    // Layout inside a content-visibility: hidden subtree is skipped until something reads it;
    // reading a descendant's box lays out the whole view, and the layout is kept.
    view.element.lastElementChild?.getBoundingClientRect();
    return true;
  }

  private drawOperands(
    view: EventView,
    doc: DocumentData,
    step: StepData,
    e: TraceEvent,
    focus: Focus,
    fmt: (x: number) => string,
  ): void {
    const focusKey = `${focus.unit}:${focus.example}`;
    if (view.focus === focusKey) return;
    view.operands.replaceChildren(...this.operandLines(doc, step, e, focus, fmt));
    view.focus = focusKey;
  }

  private build(doc: DocumentData, step: StepData, e: TraceEvent, fmt: (x: number) => string): EventView {
    const L = doc.widths.length - 1;
    const eq = step.equations[offsetInStep(e, L)];
    const title = h(
      'h2',
      { class: 'event-title' },
      eq.title,
      doc.losses.length > 1 ? h('span', { class: 'sub', text: ` · step ${e.step}` }) : null,
    );
    const operands = h('div', { class: 'operands' });
    const parts: HTMLElement[] = [title];

    const issues = doc.health.filter((x) => sameEvent(healthEvent(x), e));
    if (issues.length) {
      parts.push(
        h(
          'div',
          { class: 'warnings', attrs: { role: 'status' } },
          ...issues.map((x) =>
            h(
              'p',
              { class: `warning ${x.severity}` },
              icon(x.severity === 'error' ? 'error' : 'warning', x.severity),
              ' ',
              x.message,
            ),
          ),
        ),
      );
    }

    parts.push(this.equations.render(equationKey(doc, e), eq), operands);

    const checks = doc.checks.filter((c) => sameEvent(c.event, e));
    if (checks.length) {
      parts.push(
        h(
          'div',
          { class: 'checks', attrs: { 'aria-label': 'Your expect values at this event' } },
          h('h3', { text: 'Your values' }),
          h(
            'ul',
            undefined,
            ...checks.map((c) => {
              const show = h('button', {
                class: 'link',
                text: 'Show in file',
                attrs: { type: 'button', 'aria-label': `Show expected ${c.symbol} in the model file` },
              });
              show.addEventListener('click', () => this.handlers.reveal({ kind: 'check', index: c.index }));
              return h(
                'li',
                { class: c.ok ? 'ok' : 'bad', attrs: { 'data-check': c.key, 'data-layer': c.layer } },
                icon(c.ok ? 'pass' : 'error', c.ok ? 'matches' : 'differs'),
                ' ',
                h('span', { class: 'symbol', text: c.symbol }),
                ' ',
                h('span', { class: 'check-message', text: c.ok ? 'matches' : c.message }),
                ' ',
                show,
              );
            }),
          ),
        ),
      );
    }

    if (e.kind === 'backward' && doc.gradcheck && doc.parameterCounts[e.layer - 1] > 0)
      parts.push(this.gradcheck(doc, e.layer, fmt));
    const element = h(
      'div',
      { class: 'event-view', attrs: { 'data-event': `${e.step}:${e.kind}:${e.layer}` } },
      ...parts,
    );
    hide({ element, title });
    return { element, title, operands, focus: '' };
  }

  private operandLines(
    doc: DocumentData,
    step: StepData,
    e: TraceEvent,
    focus: Focus,
    fmt: (x: number) => string,
  ): HTMLElement[] {
    const L = doc.widths.length - 1;
    const wrong = wrongEntries(doc.checks, e.step, L);
    const maps = this.convSection(doc, step, e, focus, fmt);
    // Beside feature maps, the flat lines of a dense layer's products (W a + b, Wᵀ δ, δ aᵀ) would
    // mislead for a convolution or a pooling layer; their element-wise lines (σ, δ ⊙ σ') stay.
    const lines = operandsFor(step, e, doc, focus).filter((line) => !maps || elementWise(line));
    const activate = (op: Operand) => (r: number, c: number) => {
      // Result entries select their unit; parameters and data show where they are written.
      if (op.role === 'result' && op.check && ['z', 'a', 'delta', 'dL_da'].includes(op.check.key)) {
        this.handlers.selectUnit(op.check.layer, c, r);
      } else if (op.reveal) {
        this.handlers.reveal(op.reveal(r, c));
      }
    };
    const wrongOf = (op: Operand) => (op.check ? wrong.get(`${op.check.key}:${op.check.layer}`) : undefined);
    return [
      ...(maps ? [maps] : []),
      ...lines.map((line) =>
        h(
          'div',
          { class: 'operand-line', attrs: { role: 'group', 'aria-label': line.caption } },
          ...line.items.map((it) =>
            typeof it === 'string'
              ? h('span', { class: 'op', text: it, attrs: { 'aria-hidden': 'true' } })
              : matrixBlock({ operand: it, format: fmt, wrong: wrongOf(it), onActivate: activate(it) }),
          ),
        ),
      ),
      legendList('Colours of the matrices', operandLegend(lines, wrongOf)),
    ];
  }

  /** The feature maps of a conv2d or pooling event; picking another output cell redraws them in place. */
  private convSection(
    doc: DocumentData,
    step: StepData,
    e: TraceEvent,
    focus: Focus,
    fmt: (x: number) => string,
  ): HTMLElement | null {
    const key = `${e.kind}:${e.layer}`;
    const draw = (): HTMLElement | null =>
      convView({
        doc,
        step,
        event: e,
        example: focus.example,
        fmt,
        picked: this.picks.get(key),
        onPick: (cell) => {
          this.picks.set(key, cell);
          const next = draw();
          if (!next) return;
          section?.replaceWith(next);
          section = next;
          next.querySelector<HTMLElement>('.fmaps.pickable td[tabindex="0"]')?.focus();
        },
      });
    let section = draw();
    return section;
  }

  private gradcheck(doc: DocumentData, layer: number, fmt: (x: number) => string): HTMLElement {
    const gc = doc.gradcheck!;
    const entries = gc.entries.filter((x) => x.layer === layer);
    const failed = entries.filter((x) => !x.ok);
    const kinks = entries.filter((x) => x.kink).length;
    const shown = [...failed, ...entries.filter((x) => x.ok)].slice(0, GRADCHECK_ROWS);
    const name = (x: WireGradCheckEntry) => (x.param === 'W' ? `∂L/∂W[${x.i + 1}][${x.j + 1}]` : `∂L/∂b[${x.i + 1}]`);
    const table = h(
      'table',
      { class: 'gradcheck-table' },
      h(
        'thead',
        undefined,
        h(
          'tr',
          undefined,
          ...['Parameter', 'Backprop', 'Central difference', 'Relative error', ''].map((t) =>
            h('th', { text: t, attrs: { scope: 'col' } }),
          ),
        ),
      ),
      h(
        'tbody',
        undefined,
        ...shown.map((x) => {
          // At a kink there is no derivative to compare: say where, instead of a verdict.
          const verdict = x.kink ? icon('info', x.kink) : icon(x.ok ? 'pass' : 'error', x.ok ? 'passes' : 'fails');
          if (x.kink) verdict.title = x.kink;
          const tr = h(
            'tr',
            { class: x.kink ? 'kink' : x.ok ? 'ok' : 'bad' },
            h('th', { text: name(x), attrs: { scope: 'row' } }),
            h('td', { text: fmt(x.analytic) }),
            h('td', { text: fmt(x.numeric) }),
            h('td', { text: formatErrorSize(x.relError) }),
            h('td', undefined, verdict),
          );
          tr.addEventListener('click', () =>
            this.handlers.reveal({ kind: 'param', layer, param: x.param, i: x.i, j: x.j }),
          );
          return tr;
        }),
      ),
    );
    const rest = entries.length - shown.length;
    return h(
      'div',
      { class: 'gradcheck' },
      h('h3', { text: `Gradient check, layer ${layer}` }),
      h('p', {
        class: 'sub',
        text: `${entries.length - failed.length - kinks} of ${entries.length} agree with the central difference (ε = ${gc.epsilon})${kinks ? `; ${kinks} not differentiable there (a kink)` : ''}${gc.checked < gc.total ? `; ${gc.checked} of ${gc.total} parameters sampled` : ''}.`,
      }),
      h('div', { class: 'table-scroll' }, table),
      rest > 0
        ? h('p', { class: 'sub', text: `${rest} more${failed.length > shown.length ? '' : ', all passing'}.` })
        : null,
    );
  }
}

/** A line with no weight, bias or transposed operand and no empty one: element by element, true of any layer kind. */
function elementWise(line: OperandLine): boolean {
  return line.items.every(
    (it) => typeof it === 'string' || (!/^(d?W\d|d?b\d|(x|a\d+)T$)/.test(it.id) && it.view.rows * it.view.cols > 0),
  );
}

/** What the matrices of an event are drawn with, each colour once, in the order a reader meets them. */
function operandLegend(
  lines: readonly OperandLine[],
  wrongOf: (op: Operand) => ReadonlyMap<string, number> | undefined,
): LegendItem[] {
  const ops = lines.flatMap((l) => l.items.filter((x): x is Operand => typeof x !== 'string'));
  const items: LegendItem[] = [];
  if (ops.some((o) => o.role === 'operand' && o.emphasis))
    items.push({ key: 'emph', label: 'entries behind the highlighted result' });
  if (ops.some((o) => o.role === 'result' && o.emphasis))
    items.push({ key: 'picked', label: 'the highlighted result (click another entry)' });
  const change = ops.flatMap((o) => (o.change ? [o.change] : []));
  if (change.some((v) => some(v, (d) => d > 0))) items.push({ key: 'up', label: 'increased by the update' });
  if (change.some((v) => some(v, (d) => d < 0))) items.push({ key: 'down', label: 'decreased by the update' });
  if (ops.some((o) => (wrongOf(o)?.size ?? 0) > 0))
    items.push({ key: 'wrong', label: 'differs from your expect value (yours beneath)' });
  if (ops.some((o) => some(o.view, (x) => !Number.isFinite(x)))) items.push({ key: 'invalid', label: 'NaN or ∞' });
  return items;
}

function some(v: MatrixView, test: (x: number) => boolean): boolean {
  for (let i = 0; i < v.rows; i++) for (let j = 0; j < v.cols; j++) if (test(v.get(i, j))) return true;
  return false;
}

/** Out of sight, out of the tab order and the accessibility tree, its layout kept. */
function hide(v: Pick<EventView, 'element' | 'title'>): void {
  v.element.classList.remove('shown');
  v.element.inert = true;
  v.title.removeAttribute('id');
}

function show(v: Pick<EventView, 'element' | 'title'>): void {
  v.element.classList.add('shown');
  v.element.inert = false;
  v.title.id = 'event-title';
}
