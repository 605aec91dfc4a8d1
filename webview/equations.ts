/**
 * The current event's equations, typeset by KaTeX (bundled; fonts from dist/webview/katex):
 * symbols, then the numbers substituted, then the result. katex.render builds DOM nodes and sets
 * their styles through the CSSOM, which the panel's CSP allows without 'unsafe-inline'
 * (renderToString + innerHTML would need it).
 *
 * Typesetting is the costliest part of a step (a few ms per small equation, tens of ms for the
 * elided 8×8 matrices of a large layer), so: rendered events are cached; while the panel is idle
 * the other events of the step are typeset ahead; and a large equation that is not ready yet is
 * shown as text first and typeset right after the frame that shows the step.
 */
import katex from 'katex';
import { h } from './dom';
import type { EventEquations } from '../src/report/equations';

const CACHE_SIZE = 96;
/** LaTeX longer than this (about a 5×5 matrix) is typeset after the first paint on a cache miss. */
const DEFER_ABOVE = 1500;

type Job = { readonly key: string; readonly eq: EventEquations };

export class EquationRenderer {
  private readonly cache = new Map<string, HTMLElement>();
  private queue: Job[] = [];
  private idle = 0;

  /** The lines of an event; `key` identifies the event within its trace revision. */
  render(key: string, eq: EventEquations): HTMLElement {
    const hit = this.cache.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting keeps the most recent last.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const big = eq.lines.some((l) => l.latex.length > DEFER_ABOVE);
    const el = this.build(eq, !big);
    if (big) {
      el.dataset.typeset = 'pending';
      // After the frame that shows the step: rAF runs before that paint, the timeout after it.
      requestAnimationFrame(() => setTimeout(() => this.typesetPending(el), 0));
    }
    this.store(key, el);
    return el;
  }

  /** Typesets these events while the panel is idle, so stepping to them finds them ready. */
  prerender(jobs: readonly Job[]): void {
    this.queue = jobs.filter((j) => !this.cache.has(j.key));
    if (this.idle || this.queue.length === 0) return;
    const run = (deadline: IdleDeadline) => {
      this.idle = 0;
      while (this.queue.length && deadline.timeRemaining() > 2) {
        const job = this.queue.shift()!;
        if (!this.cache.has(job.key)) this.store(job.key, this.build(job.eq, true));
      }
      if (this.queue.length) this.idle = requestIdleCallback(run);
    };
    this.idle = requestIdleCallback(run);
  }

  clear(): void {
    this.cache.clear();
    this.queue = [];
  }

  private build(eq: EventEquations, typeset: boolean): HTMLElement {
    const el = h(
      'div',
      { class: 'equations', attrs: { 'data-typeset': 'done' } },
      ...eq.lines.map((line) => {
        // Screen readers get the text form (symbols, then numbers, as the notes write them): for
        // matrices it reads better than MathML, and leaving the MathML tree out halves the layout.
        const math = h('div', {
          class: 'eq-line',
          attrs: { role: 'img', 'aria-label': line.text, 'data-text': line.text, 'data-latex': line.latex },
        });
        if (typeset) typesetLine(math, line.latex);
        else math.textContent = line.text;
        return math;
      }),
    );
    return el;
  }

  private typesetPending(el: HTMLElement): void {
    if (el.dataset.typeset !== 'pending') return;
    for (const line of el.querySelectorAll<HTMLElement>('.eq-line')) typesetLine(line, line.dataset.latex ?? '');
    el.dataset.typeset = 'done';
  }

  private store(key: string, el: HTMLElement): void {
    this.cache.set(key, el);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }
}

function typesetLine(el: HTMLElement, latex: string): void {
  el.textContent = '';
  // Inline mode (with display-size fractions) lets KaTeX break long lines after = and
  // operators, which a side-by-side panel needs; display mode never breaks.
  katex.render(`\\displaystyle ${latex}`, el, {
    displayMode: false,
    throwOnError: false,
    output: 'html',
    strict: false,
  });
}
