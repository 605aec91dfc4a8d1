/**
 * The network as an SVG: a column per layer, a pill per unit with its value, a line per weight
 * coloured and sized by W (forward) or ∂L/∂W (backward, update). Layers too wide to draw unit by
 * unit collapse to blocks whose heatmaps (canvas) show activations, δ and W or ∂L/∂W. The DOM is
 * built once per trace shape; stepping only updates attributes, classes and heatmap pixels.
 */
import { h, s } from './dom';
import { Palette } from './colors';
import { paintHeatmap } from './heatmap';
import { HeatScale, heatScaleItem, LegendItem, legendList } from './legend';
import { sup } from '../src/engine/numberFormat';
import { DIAGRAM, DiagramLayout, diagramLayout, eventFocus, pillWidth, unitQuantity } from './diagramLayout';
import { eventLayer } from './events';
import { maxAbsOf } from './matrixViews';
import { DocumentData, StepData } from '../src/protocol';
import type { Matrix } from '../src/engine/tensor';
import type { TraceEvent } from '../src/engine/trace';

/** The smallest scale the diagram is drawn at (its labels are 11 px at scale 1). */
const MIN_SCALE = 0.88;

export interface DiagramHandlers {
  /** A unit was clicked: select it (and show its layer in the file). */
  onUnit(layer: number, unit: number): void;
  /** A layer heading was chosen. */
  onLayer(layer: number): void;
  /** A weight line was clicked (engine layout: out i, in j). */
  onWeight(layer: number, i: number, j: number): void;
  onLoss(): void;
}

export interface DiagramSelection {
  readonly layer: number | null;
  readonly unit: number;
  readonly example: number;
}

interface UnitEls {
  readonly g: SVGGElement;
  readonly text: SVGTextElement;
  readonly title: SVGTitleElement;
}

export class Diagram {
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly layout: DiagramLayout;
  private readonly columns: SVGGElement[] = [];
  private readonly captions: SVGTextElement[] = [];
  private readonly units: UnitEls[][] = [];
  private readonly lines: SVGLineElement[][] = [];
  private readonly edgeGroups: SVGGElement[] = [];
  private readonly edgeCanvases: (HTMLCanvasElement | null)[] = [];
  private readonly edgeLabels: (SVGTextElement | null)[] = [];
  private readonly blockCanvases: (HTMLCanvasElement | null)[] = [];
  private readonly lossGroup: SVGGElement;
  private readonly lossText: SVGTextElement;
  private readonly painted = new WeakMap<HTMLCanvasElement, { data: Float64Array; palette: Palette }>();
  private readonly legend = h('div', { class: 'diagram-legend' });
  /** What the legend was last drawn for (rebuilt only when that changes). */
  private legendKey = '';
  private legendPalette: Palette | null = null;

  /** `digits`: the user's backprop.precision, which the pills make room for. */
  constructor(
    private readonly doc: DocumentData,
    private readonly handlers: DiagramHandlers,
    digits: number,
  ) {
    const layout = (this.layout = diagramLayout(doc.widths, pillWidth(digits)));
    this.svg = s('svg', {
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      class: 'diagram',
      role: 'group',
      'aria-label': `Network ${doc.widths.join('-')}`,
    });
    const edgesLayer = s('g', { class: 'edges' });
    const nodesLayer = s('g', { class: 'nodes' });
    this.svg.append(edgesLayer, nodesLayer);

    for (const e of layout.edges) {
      const g = s('g', { class: 'edge-layer', 'data-layer': e.layer });
      const from = layout.columns[e.layer - 1],
        to = layout.columns[e.layer];
      const row: SVGLineElement[] = [];
      if (e.lines) {
        to.unitPos.forEach((q, i) =>
          from.unitPos.forEach((p, j) => {
            const line = s('line', {
              x1: p.x + layout.nodeW / 2,
              y1: p.y,
              x2: q.x - layout.nodeW / 2,
              y2: q.y,
              class: 'w',
              'data-i': i,
              'data-j': j,
            });
            line.append(s('title'));
            row.push(line);
            g.append(line);
          }),
        );
        this.edgeCanvases.push(null);
        this.edgeLabels.push(null);
      } else {
        const b = e.block!;
        const canvas = h('canvas', { class: 'heat', attrs: { 'aria-hidden': 'true' } });
        const label = s('text', { x: b.x + b.w / 2, y: b.y - 6, class: 'block-label', 'text-anchor': 'middle' });
        g.append(
          s('rect', { x: b.x, y: b.y, width: b.w, height: b.h, class: 'block-frame' }),
          s('foreignObject', { x: b.x, y: b.y, width: b.w, height: b.h }, canvas),
          label,
        );
        this.edgeCanvases.push(canvas);
        this.edgeLabels.push(label);
      }
      this.lines.push(row);
      this.edgeGroups.push(g);
      edgesLayer.append(g);
    }

    for (const c of layout.columns) {
      const g = s('g', { class: 'column', 'data-layer': c.layer });
      const name = c.layer === 0 ? `Input x` : `Layer ${c.layer}`;
      const detail =
        c.layer === 0
          ? `${c.units} ${c.units === 1 ? 'feature' : 'features'}`
          : `${doc.activations[c.layer - 1]} · ${c.units}`;
      const head = s(
        'g',
        {
          class: 'head',
          tabindex: 0,
          role: 'button',
          'data-head': c.layer,
          'aria-label': `${name}, ${detail}: show in the model file`,
        },
        s('text', { x: c.x, y: 16, 'text-anchor': 'middle', class: 'head-name' }, name),
        s('text', { x: c.x, y: 30, 'text-anchor': 'middle', class: 'head-detail' }, detail),
      );
      const caption = s('text', { x: c.x, y: layout.height - 6, 'text-anchor': 'middle', class: 'caption' });
      g.append(head, caption);
      const els: UnitEls[] = [];
      if (c.collapsed) {
        const b = c.block!;
        const canvas = h('canvas', { class: 'heat', attrs: { 'aria-hidden': 'true' } });
        g.append(
          s('rect', { x: b.x, y: b.y, width: b.w, height: b.h, class: 'block-frame' }),
          s('foreignObject', { x: b.x, y: b.y, width: b.w, height: b.h }, canvas),
        );
        this.blockCanvases.push(canvas);
      } else {
        this.blockCanvases.push(null);
        c.unitPos.forEach((p, i) => {
          const title = s('title');
          const text = s('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle' });
          const u = s(
            'g',
            { class: 'unit', 'data-unit': i, role: 'img' },
            title,
            s('rect', {
              x: p.x - layout.nodeW / 2,
              y: p.y - DIAGRAM.nodeH / 2,
              width: layout.nodeW,
              height: DIAGRAM.nodeH,
              rx: DIAGRAM.nodeH / 2,
            }),
            text,
          );
          g.append(u);
          els.push({ g: u, text, title });
        });
      }
      this.units.push(els);
      this.captions.push(caption);
      this.columns.push(g);
      nodesLayer.append(g);
    }

    this.lossText = s('text', { x: layout.loss.x, y: layout.loss.y + 4, 'text-anchor': 'middle', class: 'loss-value' });
    this.lossGroup = s(
      'g',
      { class: 'loss', tabindex: 0, role: 'button', 'data-loss': '' },
      s('title', undefined, 'Loss: show in the model file'),
      s('rect', {
        x: layout.loss.x - layout.loss.w / 2,
        y: layout.loss.y - 16,
        width: layout.loss.w,
        height: 32,
        rx: 6,
      }),
      this.lossText,
      s('text', { x: layout.loss.x, y: 16, 'text-anchor': 'middle', class: 'head-name' }, 'Loss'),
      s('text', { x: layout.loss.x, y: 30, 'text-anchor': 'middle', class: 'head-detail' }, doc.loss),
    );
    const last = layout.columns[layout.columns.length - 1];
    nodesLayer.prepend(
      s('line', {
        x1: last.x + (last.collapsed ? DIAGRAM.blockW / 2 : layout.nodeW / 2) + 6,
        y1: layout.loss.y,
        x2: layout.loss.x - layout.loss.w / 2,
        y2: layout.loss.y,
        class: 'to-loss',
      }),
    );
    nodesLayer.append(this.lossGroup);

    this.svg.addEventListener('click', (e) => this.onClick(e.target as Element));
    this.svg.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && (e.target as Element).matches('[data-head], [data-loss]')) {
        e.preventDefault();
        e.stopPropagation();
        this.onClick(e.target as Element);
      }
    });
    // Drawn at most a little larger than its own units, so text keeps the panel's size, and at
    // least 88% of them, so an 11 px label stays above 9.5 px.
    this.svg.style.maxWidth = `${Math.round(layout.width * 1.2)}px`;
    this.svg.style.minWidth = `${Math.round(layout.width * MIN_SCALE)}px`;
    this.element = h('div', { class: 'diagram-box' }, h('div', { class: 'diagram-wrap' }, this.svg), this.legend);
  }

  private onClick(target: Element): void {
    const unit = target.closest<SVGGElement>('[data-unit]');
    const col = target.closest<SVGGElement>('.column');
    if (unit && col) return this.handlers.onUnit(Number(col.dataset.layer), Number(unit.dataset.unit));
    const head = target.closest<SVGGElement>('[data-head]');
    if (head) return this.handlers.onLayer(Number(head.dataset.head));
    const line = target.closest<SVGLineElement>('line.w');
    const edge = target.closest<SVGGElement>('.edge-layer');
    if (line && edge)
      return this.handlers.onWeight(Number(edge.dataset.layer), Number(line.dataset.i), Number(line.dataset.j));
    if (target.closest('[data-loss]')) this.handlers.onLoss();
  }

  update(step: StepData, e: TraceEvent, sel: DiagramSelection, palette: Palette, fmt: (x: number) => string): void {
    const L = this.doc.widths.length - 1;
    const focus = eventFocus(e, L);
    const n = Math.min(sel.example, step.input.rows - 1);
    const active = eventLayer(e, L);
    /** The heatmaps drawn, with their x, to list them left to right. */
    const heat: (HeatScale & { x: number })[] = [];

    this.layout.columns.forEach((_c, col) => {
      const q = unitQuantity(e, col, L);
      const m: Matrix | null =
        q === 'x'
          ? step.input
          : q === 'a'
            ? step.forward[col - 1].a
            : q === 'delta'
              ? step.backward[col - 1].delta
              : null;
      const g = this.columns[col];
      g.classList.toggle('dim', !focus.columns.has(col));
      g.classList.toggle('selected', sel.layer === col);
      const sym =
        q === 'x' ? 'x' : q === 'a' ? `a${sup(col)}` : q === 'delta' ? `δ${sup(col)}` : `a${sup(col)} (not yet)`;
      setText(this.captions[col], sym);
      const canvas = this.blockCanvases[col];
      if (canvas) {
        // Units down, examples across.
        if (m) {
          const scale = maxAbsOf(m.data);
          this.paint(canvas, m.data, palette, () =>
            paintHeatmap(canvas, m.cols, m.rows, (i, j) => m.data[j * m.cols + i], scale, palette),
          );
          heat.push({
            label: `${sym} (${m.cols} units × ${m.rows} ${m.rows === 1 ? 'example' : 'examples'})`,
            scale,
            x: this.layout.columns[col].x,
          });
        }
        canvas.classList.toggle('pending', !m);
        return;
      }
      this.units[col].forEach((u, i) => {
        const x = m ? m.data[n * m.cols + i] : NaN;
        setText(u.text, m ? fmt(x) : '·');
        const label = m ? `${sym} unit ${i + 1}: ${fmt(x)}` : `${sym} unit ${i + 1}: not computed yet`;
        setText(u.title, label);
        u.g.setAttribute('aria-label', label);
        u.g.classList.toggle('pending', !m);
        u.g.classList.toggle('invalid', !!m && !Number.isFinite(x));
        u.g.classList.toggle(
          'picked',
          col === active &&
            i === Math.min(sel.unit, this.doc.widths[col] - 1) &&
            e.kind !== 'update' &&
            focus.columns.has(col),
        );
      });
    });

    this.layout.edges.forEach((edge, k) => {
      const l = edge.layer;
      const g = this.edgeGroups[k];
      g.classList.toggle('dim', !focus.edges.has(l));
      // Gradients once the backward pass has produced them, the weights otherwise.
      const byGradient = focus.byGradient && (e.kind === 'update' || l >= e.layer);
      const M = byGradient ? step.backward[l - 1].dW : step.update[l - 1].W;
      const scale = maxAbsOf(M.data);
      const canvas = this.edgeCanvases[k];
      // Lines and a heatmap are a dense layer's weights, n_l × n_(l−1); a convolution's kernels
      // (or pooling's and flatten's none) are not one weight per pair of units, so none are drawn.
      const dense = M.rows === this.doc.widths[l] && M.cols === this.doc.widths[l - 1];
      if (!dense) {
        if (canvas) {
          canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
          setText(
            this.edgeLabels[k]!,
            M.data.length ? `${byGradient ? '∂L/∂W' : 'W'}${sup(l)}: kernels` : 'no weights',
          );
        }
        for (const line of this.lines[k]) line.setAttribute('visibility', 'hidden');
        return;
      }
      if (canvas) {
        this.paint(canvas, M.data, palette, () =>
          paintHeatmap(canvas, M.rows, M.cols, (i, j) => M.data[i * M.cols + j], scale, palette),
        );
        const label = `${byGradient ? '∂L/∂W' : 'W'}${sup(l)} ${M.rows}×${M.cols}`;
        setText(this.edgeLabels[k]!, label);
        heat.push({ label, scale, x: edge.block?.x ?? 0 });
        return;
      }
      const name = byGradient ? `∂L/∂W${sup(l)}` : `W${sup(l)}`;
      for (const line of this.lines[k]) {
        const i = Number(line.dataset.i),
          j = Number(line.dataset.j);
        const w = M.data[i * M.cols + j];
        const t = scale > 0 && Number.isFinite(w) ? Math.abs(w) / scale : 0;
        line.setAttribute('class', `w ${!Number.isFinite(w) ? 'invalid' : w >= 0 ? 'pos' : 'neg'}`);
        line.setAttribute('stroke-width', (0.75 + 3.25 * t).toFixed(2));
        line.setAttribute('stroke-opacity', (0.25 + 0.75 * t).toFixed(2));
        setText(line.firstElementChild!, `${name}[${i + 1}][${j + 1}] = ${fmt(w)}`);
      }
    });

    this.lossGroup.classList.toggle('dim', !focus.loss);
    const lossComputed = e.kind !== 'forward';
    setText(this.lossText, lossComputed ? `L = ${fmt(step.loss.value)}` : 'L = ·');
    this.lossGroup.setAttribute(
      'aria-label',
      lossComputed
        ? `Loss ${fmt(step.loss.value)}: show in the model file`
        : 'Loss, not computed yet: show in the model file',
    );
    this.drawLegend(
      heat.sort((a, b) => a.x - b.x).map(({ label, scale }) => ({ label, scale })),
      palette,
      fmt,
    );
  }

  /** Sign colours of the lines, NaN/∞, and each heatmap's colour scale with its range, as drawn now. */
  private drawLegend(heat: readonly HeatScale[], palette: Palette, fmt: (x: number) => string): void {
    const lines = this.svg.querySelectorAll('line.w');
    const has = (cls: string) => [...lines].some((l) => l.classList.contains(cls));
    const items: LegendItem[] = [];
    if (has('pos')) items.push({ key: 'positive', label: 'W or ∂L/∂W above 0 (wider: larger)' });
    if (has('neg')) items.push({ key: 'negative', label: 'below 0' });
    if (has('invalid') || this.svg.querySelector('.unit.invalid')) items.push({ key: 'invalid', label: 'NaN or ∞' });
    const key = JSON.stringify([items, heat, fmt(Math.PI)]);
    if (key === this.legendKey && this.legendPalette === palette) return;
    this.legendKey = key;
    this.legendPalette = palette;
    const scales = h(
      'ul',
      { class: 'legend heat-scales', attrs: { 'aria-label': 'Heatmap colour scales' } },
      ...heat.map((sc) => heatScaleItem(sc, palette, fmt)),
    );
    scales.hidden = heat.length === 0;
    this.legend.replaceChildren(legendList('Diagram colours', items), scales);
  }

  /** Repaints a heatmap only when it is to show other numbers or colours (most events keep x and W). */
  private paint(canvas: HTMLCanvasElement, data: Float64Array, palette: Palette, draw: () => void): void {
    const last = this.painted.get(canvas);
    if (last && last.data === data && last.palette === palette) return;
    draw();
    this.painted.set(canvas, { data, palette });
  }

  /** Moves keyboard focus to a layer's heading (after "Show in panel"). */
  focusLayer(layer: number): void {
    const head = this.svg.querySelector<SVGGElement>(`[data-head="${layer}"]`);
    head?.focus();
    head?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  /** A standalone SVG document of the diagram as drawn now, colours inlined, heatmaps as images. */
  toSvg(background: string): string {
    const clone = this.svg.cloneNode(true) as SVGSVGElement;
    inlineStyles(this.svg, clone);
    const live = this.svg.querySelectorAll('foreignObject');
    clone.querySelectorAll('foreignObject').forEach((fo, k) => {
      const canvas = live[k]?.querySelector('canvas');
      const img = s('image', {
        x: fo.getAttribute('x') ?? 0,
        y: fo.getAttribute('y') ?? 0,
        width: fo.getAttribute('width') ?? 0,
        height: fo.getAttribute('height') ?? 0,
        preserveAspectRatio: 'none',
        href: canvas ? canvas.toDataURL('image/png') : '',
      });
      fo.replaceWith(img);
    });
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    const vb = this.svg.viewBox.baseVal;
    clone.setAttribute('width', String(vb.width));
    clone.setAttribute('height', String(vb.height));
    clone.prepend(s('rect', { x: 0, y: 0, width: vb.width, height: vb.height, fill: background }));
    return new XMLSerializer().serializeToString(clone);
  }

  get size(): { width: number; height: number } {
    return { width: this.layout.width, height: this.layout.height };
  }
}

/** Sets text only when it changes: an equal write still replaces the node and costs a relayout. */
function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

const INLINE = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
] as const;

/** Copies the computed presentation of every element, so the SVG looks the same outside the panel. */
function inlineStyles(live: Element, copy: Element): void {
  const css = getComputedStyle(live);
  if (!(live instanceof SVGSVGElement)) for (const p of INLINE) copy.setAttribute(p, css.getPropertyValue(p));
  copy.removeAttribute('class');
  copy.removeAttribute('tabindex');
  const a = live.children,
    b = copy.children;
  for (let i = 0; i < a.length; i++) if (a[i].tagName !== 'foreignObject') inlineStyles(a[i], b[i]);
}
