/**
 * A matrix as a keyboard-navigable grid: a table for small matrices, a virtualised grid (only
 * the visible window of cells exists) for large ones, so a 128×784 W renders in a millisecond.
 * Cells carry their exact value and engine coordinates (data-value, data-r, data-c) for tests
 * and the "reveal in file" action.
 */
import { h, icon } from './dom';
import { maxAbs, MatrixView } from './matrixViews';
import { Operand, selects } from './operands';

export interface MatrixOptions {
  readonly operand: Operand;
  readonly format: (x: number) => string;
  /** Engine coordinates "r,c" of hand-derived values that disagree, with the value the user wrote. */
  readonly wrong?: ReadonlyMap<string, number>;
  /** Enter or click on an entry (engine coordinates). */
  readonly onActivate?: (r: number, c: number) => void;
}

/** Matrices up to this size are plain tables; larger ones are virtualised. */
export const SMALL = { rows: 16, cols: 12 } as const;
const CELL = { w: 72, h: 22 } as const;
const VIEWPORT = { rows: 10, cols: 6 } as const;

export function matrixBlock(o: MatrixOptions): HTMLElement {
  const { operand: op } = o;
  const v = op.view;
  const shape = `${v.rows}×${v.cols}`;
  const label = `${op.symbol}, ${shape}${op.axes ? ` (${op.axes})` : ''}`;
  const grid = v.rows <= SMALL.rows && v.cols <= SMALL.cols ? new TableGrid(o, label) : new VirtualGrid(o, label);
  return h(
    'figure',
    { class: `matrix ${op.role}`, attrs: { 'data-name': op.id } },
    h(
      'figcaption',
      undefined,
      h('span', { class: 'symbol', text: op.symbol }),
      ' ',
      h('span', { class: 'shape', text: shape, attrs: { 'aria-hidden': 'true', title: op.axes } }),
    ),
    grid.element,
  );
}

/** Shared cell decoration and keyboard movement; subclasses decide which cells exist. */
abstract class Grid {
  /** Set by the subclass's constructor (fields are defined before it runs, never from here). */
  element!: HTMLElement;
  protected active: [number, number] = [0, 0];
  private readonly changeScale: number;

  constructor(protected readonly o: MatrixOptions) {
    this.changeScale = o.operand.change ? maxAbs(o.operand.change) : 0;
  }

  protected listen(): void {
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('click', (e) => {
      const cell = (e.target as Element).closest<HTMLElement>('[data-i]');
      if (!cell) return;
      this.moveTo(Number(cell.dataset.i), Number(cell.dataset.j), false);
      this.activate();
    });
  }

  /** Makes (i, j) exist and be visible; returns its element. */
  protected abstract reveal(i: number, j: number): HTMLElement | null;

  protected get view(): MatrixView {
    return this.o.operand.view;
  }

  /** Whether a cell has room for a second line (the value the user wrote, under a wrong entry). */
  protected abstract readonly roomy: boolean;

  /**
   * Right and wrong never share a channel with increase and decrease: a change tints the cell's
   * fill; a wrong entry gets an icon, a strong inset border and a label (and says so to a screen
   * reader), whatever its fill.
   */
  protected decorate(cell: HTMLElement, i: number, j: number): void {
    const op = this.o.operand;
    const x = this.view.get(i, j);
    const [r, c] = this.view.engine(i, j);
    const text = this.o.format(x);
    cell.dataset.i = String(i);
    cell.dataset.j = String(j);
    cell.dataset.r = String(r);
    cell.dataset.c = String(c);
    cell.dataset.value = String(x);
    cell.setAttribute('role', 'gridcell');
    cell.tabIndex = i === this.active[0] && j === this.active[1] ? 0 : -1;
    const cls = ['cell'];
    const said: string[] = [];
    if (selects(op.emphasis, r, c)) cls.push(op.role === 'result' ? 'picked' : 'emph');
    if (!Number.isFinite(x)) cls.push('invalid');
    if (op.change && this.changeScale > 0) {
      const d = op.change.get(i, j);
      if (d !== 0) {
        cls.push(d > 0 ? 'up' : 'down');
        cell.style.setProperty('--t', Math.min(1, Math.abs(d) / this.changeScale).toFixed(3));
        said.push(`${d > 0 ? 'increased' : 'decreased'} by ${this.o.format(Math.abs(d))}`);
      }
    }
    const written = this.o.wrong?.get(`${r},${c}`);
    if (written === undefined) {
      cell.textContent = text;
    } else {
      cls.push('wrong');
      const yours = this.o.format(written);
      said.push(`wrong: you wrote ${yours}`);
      cell.replaceChildren(icon('error'), h('span', { class: 'num', text }));
      if (this.roomy)
        cell.append(h('span', { class: 'yours', text: `yours ${yours}`, attrs: { 'aria-hidden': 'true' } }));
      cell.title = `Differs from your value ${yours} (computed ${text})`;
    }
    if (said.length) cell.setAttribute('aria-label', `${text}, ${said.join(', ')}`);
    cell.className = cls.join(' ');
  }

  private onKey(e: KeyboardEvent): void {
    const [i, j] = this.active;
    const { rows, cols } = this.view;
    const page = VIEWPORT.rows;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [i - 1, j],
      ArrowDown: [i + 1, j],
      ArrowLeft: [i, j - 1],
      ArrowRight: [i, j + 1],
      Home: e.ctrlKey ? [0, 0] : [i, 0],
      End: e.ctrlKey ? [rows - 1, cols - 1] : [i, cols - 1],
      PageUp: [i - page, j],
      PageDown: [i + page, j],
    };
    const to = moves[e.key];
    if (to) {
      // Inside a matrix the arrows move between entries; they step the trace everywhere else.
      e.preventDefault();
      e.stopPropagation();
      this.moveTo(Math.max(0, Math.min(rows - 1, to[0])), Math.max(0, Math.min(cols - 1, to[1])), true);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      this.activate();
    }
  }

  private moveTo(i: number, j: number, focus: boolean): void {
    const old = this.element.querySelector<HTMLElement>('[tabindex="0"][data-i]');
    if (old) old.tabIndex = -1;
    this.active = [i, j];
    const cell = this.reveal(i, j);
    if (cell) {
      cell.tabIndex = 0;
      if (focus) cell.focus();
    }
  }

  private activate(): void {
    const [r, c] = this.view.engine(this.active[0], this.active[1]);
    this.o.onActivate?.(r, c);
  }
}

class TableGrid extends Grid {
  protected readonly roomy = true;

  constructor(o: MatrixOptions, label: string) {
    super(o);
    const v = this.view;
    const table = h('table', { class: 'grid', attrs: { role: 'grid', 'aria-label': label } });
    for (let i = 0; i < v.rows; i++) {
      const tr = h('tr');
      for (let j = 0; j < v.cols; j++) {
        const td = h('td');
        this.decorate(td, i, j);
        tr.append(td);
      }
      table.append(tr);
    }
    this.element = table;
    this.listen();
  }

  protected reveal(i: number, j: number): HTMLElement | null {
    return this.element.querySelector<HTMLElement>(`[data-i="${i}"][data-j="${j}"]`);
  }
}

class VirtualGrid extends Grid {
  protected readonly roomy = false;
  private readonly viewport: HTMLElement;
  private readonly layer: HTMLElement;
  private frame = 0;
  private window = { i0: -1, i1: -1, j0: -1, j1: -1 };

  constructor(o: MatrixOptions, label: string) {
    super(o);
    const v = this.view;
    this.layer = h('div', { class: 'vgrid-layer' });
    this.layer.style.width = `${v.cols * CELL.w}px`;
    this.layer.style.height = `${v.rows * CELL.h}px`;
    this.viewport = h('div', { class: 'vgrid-viewport' }, this.layer);
    this.viewport.style.width = `${Math.min(v.cols, VIEWPORT.cols) * CELL.w + 14}px`;
    this.viewport.style.height = `${Math.min(v.rows, VIEWPORT.rows) * CELL.h + 14}px`;
    this.viewport.addEventListener('scroll', () => {
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.paint());
    });
    this.element = h(
      'div',
      {
        class: 'grid vgrid',
        attrs: { role: 'grid', 'aria-label': label, 'aria-rowcount': v.rows, 'aria-colcount': v.cols },
      },
      this.viewport,
    );
    this.listen();
    // The viewport has no size until the grid is in the document; paint what the default size shows.
    this.paint(Math.min(v.rows, VIEWPORT.rows) * CELL.h, Math.min(v.cols, VIEWPORT.cols) * CELL.w);
  }

  private paint(height = this.viewport.clientHeight, width = this.viewport.clientWidth): void {
    const v = this.view;
    const i0 = Math.floor(this.viewport.scrollTop / CELL.h),
      j0 = Math.floor(this.viewport.scrollLeft / CELL.w);
    const i1 = Math.min(v.rows, i0 + Math.ceil(height / CELL.h) + 1),
      j1 = Math.min(v.cols, j0 + Math.ceil(width / CELL.w) + 1);
    const w = this.window;
    if (w.i0 === i0 && w.i1 === i1 && w.j0 === j0 && w.j1 === j1) return;
    this.window = { i0, i1, j0, j1 };
    const hadFocus = this.layer.contains(document.activeElement);
    const rows: HTMLElement[] = [];
    for (let i = i0; i < i1; i++) {
      const row = h('div', { class: 'vrow', attrs: { role: 'row', 'aria-rowindex': i + 1 } });
      row.style.transform = `translateY(${i * CELL.h}px)`;
      for (let j = j0; j < j1; j++) {
        const cell = h('div', { attrs: { 'aria-colindex': j + 1 } });
        cell.style.transform = `translateX(${j * CELL.w}px)`;
        this.decorate(cell, i, j);
        row.append(cell);
      }
      rows.push(row);
    }
    this.layer.replaceChildren(...rows);
    if (hadFocus) this.reveal(this.active[0], this.active[1])?.focus();
  }

  protected reveal(i: number, j: number): HTMLElement | null {
    const vp = this.viewport;
    const top = i * CELL.h,
      left = j * CELL.w;
    if (top < vp.scrollTop) vp.scrollTop = top;
    else if (top + CELL.h > vp.scrollTop + vp.clientHeight) vp.scrollTop = top + CELL.h - vp.clientHeight;
    if (left < vp.scrollLeft) vp.scrollLeft = left;
    else if (left + CELL.w > vp.scrollLeft + vp.clientWidth) vp.scrollLeft = left + CELL.w - vp.clientWidth;
    this.paint();
    return this.layer.querySelector<HTMLElement>(`[data-i="${i}"][data-j="${j}"]`);
  }
}
