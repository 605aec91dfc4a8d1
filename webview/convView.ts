/**
 * A convolution or pooling event drawn as the notes draw it: feature maps as small heatmaps, one
 * per channel, with their values written on when they are small; kernels as matrices; the picked
 * output cell and its receptive field on the input; for max pooling, which input won each window
 * and where its δ went. Arrow keys move the picked cell within a channel, Page Up/Down across
 * channels; a click picks too.
 */
import { h } from './dom';
import { kernelOffset, poolWinner, receptiveField, Window } from './receptiveField';
import type { LegendItem } from './legend';
import { legendList } from './legend';
import { sup } from '../src/engine/numberFormat';
import type { TraceEvent } from '../src/engine/trace';
import type { DocumentData, StepData } from '../src/protocol';

/** An output cell: channel, row, column (0-based). */
export interface OutCell {
  readonly c: number;
  readonly y: number;
  readonly x: number;
}

export interface ConvViewOptions {
  readonly doc: DocumentData;
  readonly step: StepData;
  readonly event: TraceEvent;
  readonly example: number;
  readonly fmt: (x: number) => string;
  /** The picked output cell (clamped to the output's shape); the first one by default. */
  readonly picked?: OutCell;
  readonly onPick: (cell: OutCell) => void;
}

/** Maps up to this many entries per channel have their values written on them. */
const WRITTEN = 64;
/** Terms of a one-cell sum written out before "…". */
const TERMS = 9;

type Layer = DocumentData['layers'][number];

/** The window geometry of a conv2d or pooling layer, or null for other kinds. */
export function windowOf(layer: Layer | undefined): Window | null {
  if (!layer?.kernel || !layer.stride || layer.inShape.length !== 3 || layer.outShape.length !== 3) return null;
  return {
    inShape: layer.inShape,
    outShape: layer.outShape,
    kernel: layer.kernel,
    stride: layer.stride,
    padding: layer.padding ?? [0, 0],
  };
}

/** The view of a conv2d or pooling layer's forward or backward event, or null when there is none. */
export function convView(o: ConvViewOptions): HTMLElement | null {
  const { doc, step, event: e } = o;
  if (e.kind !== 'forward' && e.kind !== 'backward') return null;
  const l = e.layer;
  const layer = doc.layers[l - 1];
  const w = windowOf(layer);
  if (!w) return null;
  const [Co, Ho, Wo] = w.outShape;
  const p0 = o.picked ?? { c: 0, y: 0, x: 0 };
  const pick: OutCell = { c: Math.min(p0.c, Co - 1), y: Math.min(p0.y, Ho - 1), x: Math.min(p0.x, Wo - 1) };
  const n = Math.min(o.example, step.input.rows - 1);
  const field = receptiveField(w, pick.y, pick.x);
  const conv = layer.type === 'conv2d';
  const aPrev = l === 1 ? step.input.data : step.forward[l - 2].a.data;
  const aName = l === 1 ? 'x' : `a${sup(l - 1)}`;
  const inField = (c: number, y: number, x: number) =>
    (conv || c === pick.c) && field.some((f) => f.y === y && f.x === x);
  const winner = layer.type === 'maxpool2d' ? poolWinner(w, aPrev, n, pick.c, pick.y, pick.x) : null;
  const won = (c: number, y: number, x: number) => !!winner && c === pick.c && winner.y === y && winner.x === x;
  const marks = (c: number, y: number, x: number) =>
    [inField(c, y, x) ? 'field' : '', won(c, y, x) ? 'won' : ''].filter(Boolean);
  const out = (id: string, symbol: string, data: ArrayLike<number>) =>
    featureMaps({
      id,
      symbol,
      data,
      shape: w.outShape,
      example: n,
      fmt: o.fmt,
      marks: (c, y, x) => (c === pick.c && y === pick.y && x === pick.x ? ['picked'] : []),
      picker: { picked: pick, onPick: o.onPick },
    });
  const input = (id: string, symbol: string, data: ArrayLike<number>) =>
    featureMaps({ id, symbol, data, shape: w.inShape, example: n, fmt: o.fmt, marks });

  const parts: (HTMLElement | string)[] = [];
  let sentence: string;
  const L = sup(l);
  const at = `(${pick.c + 1}, ${pick.y + 1}, ${pick.x + 1})`;
  const upd = step.update[l - 1];
  if (e.kind === 'forward') {
    const z = step.forward[l - 1].z.data;
    const zv = z[index(w.outShape, n, pick)];
    if (conv) {
      const [C] = w.inShape;
      const [kh, kw] = w.kernel;
      const terms: string[] = [];
      for (let c = 0; c < C; c++)
        for (const f of field) {
          const k = kernelOffset(w, pick.y, pick.x, f);
          const wv = upd.W.data[((pick.c * C + c) * kh + k.y) * kw + k.x];
          terms.push(`${paren(o.fmt(wv))}·${paren(o.fmt(aPrev[index(w.inShape, n, { c, ...f })]))}`);
        }
      sentence = `z${L}${at} = ${sum(terms)} + ${paren(o.fmt(upd.b[pick.c]))} = ${o.fmt(zv)}`;
      parts.push(
        input('fm-in', aName, aPrev),
        '⋆',
        kernels(`W${L}`, 'kernels', upd.W.data, layer, pick.c, o.fmt),
        '=',
        out('fm-out', `z${L}`, z),
      );
    } else {
      const vals = field.map((f) => o.fmt(aPrev[index(w.inShape, n, { c: pick.c, ...f })]));
      sentence = winner
        ? `z${L}${at} = max(${vals.join(', ')}) = ${o.fmt(zv)}: ${aName} at (${pick.c + 1}, ${winner.y + 1}, ${winner.x + 1}) wins (the first maximum, row by row)`
        : `z${L}${at} = (${vals.join(' + ')}) / ${w.kernel[0] * w.kernel[1]} = ${o.fmt(zv)}`;
      parts.push(input('fm-in', aName, aPrev), '→', out('fm-out', `z${L}`, z));
    }
  } else {
    const delta = step.backward[l - 1].delta.data;
    const dv = delta[index(w.outShape, n, pick)];
    const gPrev = l === 1 ? step.inputGrad.data : step.backward[l - 2].dA.data;
    const gName = `∂L/∂${aName}`;
    if (conv) {
      sentence =
        `δ${L}${at} = ${o.fmt(dv)}: ∂L/∂W${L} of kernel ${pick.c + 1} gathers δ·${aName} over this field (∂L/∂W = ${aName} ⋆ δ${L}); ` +
        `${gName} gets δ·W${L} back over the same field (δ${L} ∗ rot180(W${L}))`;
      parts.push(
        out('fm-delta', `δ${L}`, delta),
        input('fm-in', aName, aPrev),
        kernels(`∂L/∂W${L}`, 'gradients', step.backward[l - 1].dW.data, layer, pick.c, o.fmt),
        input('fm-grad', gName, gPrev),
      );
    } else {
      const k = w.kernel[0] * w.kernel[1];
      sentence = winner
        ? `δ${L}${at} = ${o.fmt(dv)} goes to ${gName} at (${pick.c + 1}, ${winner.y + 1}, ${winner.x + 1}), the window's winner; the other ${field.length - 1} inputs get 0 from it`
        : `δ${L}${at} = ${o.fmt(dv)} is shared: each of the ${k} inputs of its window gets ${o.fmt(dv / k)}`;
      parts.push(out('fm-delta', `δ${L}`, delta), '→', input('fm-grad', gName, gPrev));
    }
  }
  const legend: LegendItem[] = [
    { key: 'picked', label: 'the picked output cell (arrow keys or click to move it)' },
    { key: 'field', label: conv ? 'its receptive field on the input' : 'its pooling window' },
  ];
  if (winner) legend.push({ key: 'won', label: 'the window’s first maximum: it won, and takes all of δ' });
  return h(
    'section',
    {
      class: 'conv-view',
      attrs: { 'data-kind': layer.type, 'data-picked': `${pick.c},${pick.y},${pick.x}`, 'aria-label': 'Feature maps' },
    },
    h('p', { class: 'cell-equation', text: sentence, attrs: { 'aria-live': 'polite' } }),
    h(
      'div',
      { class: 'fm-line' },
      ...parts.map((x) =>
        typeof x === 'string' ? h('span', { class: 'op', text: x, attrs: { 'aria-hidden': 'true' } }) : x,
      ),
    ),
    legendList('Colours of the feature maps', legend),
  );
}

/** Index of (example n, cell) in an N×C×H×W array. */
function index(shape: readonly number[], n: number, cell: OutCell): number {
  const [C, H, W] = shape;
  return ((n * C + cell.c) * H + cell.y) * W + cell.x;
}

const paren = (s: string) => (s.startsWith('-') || s.startsWith('−') ? `(${s})` : s);
const sum = (terms: readonly string[]) =>
  terms.length <= TERMS ? terms.join(' + ') : `${terms.slice(0, TERMS - 1).join(' + ')} + … (${terms.length} terms)`;

interface MapsOptions {
  readonly id: string;
  readonly symbol: string;
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly example: number;
  readonly fmt: (x: number) => string;
  readonly marks: (c: number, y: number, x: number) => readonly string[];
  readonly picker?: { readonly picked: OutCell; readonly onPick: (cell: OutCell) => void };
}

/** One small heatmap per channel, coloured by sign and size against the largest |value| of the example. */
function featureMaps(o: MapsOptions): HTMLElement {
  const [C, H, W] = o.shape;
  const base = o.example * C * H * W;
  let scale = 0;
  for (let k = 0; k < C * H * W; k++) scale = Math.max(scale, Math.abs(o.data[base + k]) || 0);
  const written = H * W <= WRITTEN;
  const channels = Array.from({ length: C }, (_, c) => {
    const rows = Array.from({ length: H }, (_, y) =>
      h(
        'tr',
        undefined,
        ...Array.from({ length: W }, (_, x) => {
          const v = o.data[base + (c * H + y) * W + x];
          const td = h('td', {
            class: ['fm-cell', v < 0 ? 'neg' : 'pos', ...o.marks(c, y, x)].join(' '),
            text: written ? o.fmt(v) : '',
            attrs: {
              'data-c': c,
              'data-y': y,
              'data-x': x,
              'data-value': v,
              'aria-label': `${o.symbol} channel ${c + 1} row ${y + 1} column ${x + 1}: ${o.fmt(v)}`,
            },
          });
          td.style.setProperty('--t', String(scale > 0 ? Math.min(1, Math.abs(v) / scale) : 0));
          if (o.picker) {
            const p = o.picker.picked;
            td.tabIndex = p.c === c && p.y === y && p.x === x ? 0 : -1;
          }
          return td;
        }),
      ),
    );
    return h(
      'figure',
      { class: 'fmap' },
      h('figcaption', { text: C > 1 ? `channel ${c + 1}` : '' }),
      h('table', { class: `fm-grid${written ? '' : ' small'}`, attrs: { role: 'grid' } }, ...rows),
    );
  });
  const fig = h(
    'figure',
    { class: `fmaps${o.picker ? ' pickable' : ''}`, attrs: { 'data-name': o.id } },
    h(
      'figcaption',
      undefined,
      h('span', { class: 'symbol', text: o.symbol }),
      ' ',
      h('span', { class: 'shape', text: `${C}×${H}×${W}` }),
    ),
    h('div', { class: 'fmap-row' }, ...channels),
  );
  const picker = o.picker;
  if (picker) {
    fig.addEventListener('click', (ev) => {
      const td = (ev.target as Element).closest<HTMLElement>('td[data-c]');
      if (td) picker.onPick({ c: Number(td.dataset.c), y: Number(td.dataset.y), x: Number(td.dataset.x) });
    });
    fig.addEventListener('keydown', (ev) => {
      const p = picker.picked;
      const moves: Record<string, OutCell> = {
        ArrowUp: { ...p, y: p.y - 1 },
        ArrowDown: { ...p, y: p.y + 1 },
        ArrowLeft: { ...p, x: p.x - 1 },
        ArrowRight: { ...p, x: p.x + 1 },
        PageUp: { ...p, c: p.c - 1 },
        PageDown: { ...p, c: p.c + 1 },
      };
      const next = moves[ev.key];
      if (!next) return;
      // Arrows here move the picked cell, not the event.
      ev.preventDefault();
      ev.stopPropagation();
      if (next.c >= 0 && next.c < C && next.y >= 0 && next.y < H && next.x >= 0 && next.x < W) picker.onPick(next);
    });
  }
  return fig;
}

/** Kernels as matrices: one group per output channel, a kh×kw matrix per input channel; the picked channel's marked. */
function kernels(
  symbol: string,
  id: string,
  data: ArrayLike<number>,
  layer: Layer,
  active: number,
  fmt: (x: number) => string,
): HTMLElement {
  const [O] = layer.outShape;
  const [C] = layer.inShape;
  const [kh, kw] = layer.kernel ?? [1, 1];
  const groups = Array.from({ length: O }, (_, o) =>
    h(
      'figure',
      { class: `kernel${o === active ? ' active' : ''}`, attrs: { 'data-out': o } },
      h('figcaption', { text: `${symbol}[${o + 1}]` }),
      ...Array.from({ length: C }, (_, c) =>
        h(
          'table',
          { class: 'grid kernel-grid', attrs: { 'aria-label': `${symbol} kernel ${o + 1}, input channel ${c + 1}` } },
          ...Array.from({ length: kh }, (_, i) =>
            h(
              'tr',
              undefined,
              ...Array.from({ length: kw }, (_, j) => {
                const v = data[((o * C + c) * kh + i) * kw + j];
                return h('td', { class: 'cell', text: fmt(v), attrs: { 'data-value': v } });
              }),
            ),
          ),
        ),
      ),
    ),
  );
  return h(
    'figure',
    { class: 'kernels', attrs: { 'data-name': id } },
    h(
      'figcaption',
      undefined,
      h('span', { class: 'symbol', text: symbol }),
      ' ',
      h('span', { class: 'shape', text: `${O}×${C}×${kh}×${kw}` }),
    ),
    h('div', { class: 'kernel-row' }, ...groups),
  );
}
