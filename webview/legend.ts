/**
 * Legends: every colour a part of the panel draws with, explained beside it while it is in use.
 * Each swatch is drawn with the very classes (and so the theme colours) of what it explains, and
 * a heatmap's colour scale is painted by the heatmap's own code over its range.
 */
import { h, icon, s } from './dom';
import { Palette } from './colors';
import { paintHeatmap } from './heatmap';

/** What a swatch can show: matrix cells, weight lines, timeline marks. */
export type LegendKey =
  | 'emph'
  | 'picked'
  | 'up'
  | 'down'
  | 'wrong'
  | 'invalid'
  | 'positive'
  | 'negative'
  | 'mark-bad'
  | 'mark-warn'
  | 'field'
  | 'won';

export interface LegendItem {
  readonly key: LegendKey;
  readonly label: string;
}

function swatch(key: LegendKey): Element {
  switch (key) {
    case 'positive':
    case 'negative':
      return s(
        'svg',
        { class: 'swatch line', viewBox: '0 0 24 10', width: 24, height: 10, 'aria-hidden': 'true' },
        s('line', { x1: 1, y1: 5, x2: 23, y2: 5, class: `w ${key === 'positive' ? 'pos' : 'neg'}` }),
      );
    case 'mark-bad':
    case 'mark-warn':
      return h('span', {
        class: `swatch chip-mark ${key === 'mark-bad' ? 'bad' : 'warn'}`,
        attrs: { 'aria-hidden': 'true' },
      });
    case 'wrong':
      return h(
        'span',
        { class: 'swatch cell wrong', attrs: { 'aria-hidden': 'true' } },
        icon('error'),
        h('span', { text: '1' }),
      );
    case 'field':
    case 'won':
      return h('span', { class: `swatch fm-cell ${key}`, text: '1', attrs: { 'aria-hidden': 'true' } });
    default:
      // A full-strength cell: the largest change of an update is drawn at t = 1.
      return h('span', {
        class: `swatch cell ${key}`,
        text: key === 'invalid' ? 'NaN' : '1',
        attrs: { 'aria-hidden': 'true' },
      });
  }
}

/** A legend list; empty (and hidden) when nothing is in use. */
export function legendList(title: string, items: readonly LegendItem[]): HTMLElement {
  const ul = h(
    'ul',
    { class: 'legend', attrs: { 'aria-label': title } },
    ...items.map((it) => h('li', { attrs: { 'data-legend': it.key } }, swatch(it.key), h('span', { text: it.label }))),
  );
  ul.hidden = items.length === 0;
  return ul;
}

/** One heatmap's colour scale: −scale … 0 … +scale, painted as the heatmap paints. */
export interface HeatScale {
  /** What the heatmap shows, e.g. "W¹ 128×784". */
  readonly label: string;
  readonly scale: number;
}

/** Samples across a colour bar. */
const BAR = 101;

export function heatScaleItem(sc: HeatScale, palette: Palette, fmt: (x: number) => string): HTMLElement {
  const bar = h('canvas', { class: 'heat-bar', attrs: { 'aria-hidden': 'true' } });
  paintHeatmap(bar, 1, BAR, (_i, j) => ((2 * j) / (BAR - 1) - 1) * sc.scale, sc.scale, palette);
  const lo = sc.scale > 0 ? fmt(-sc.scale) : '0',
    hi = sc.scale > 0 ? fmt(sc.scale) : '0';
  return h(
    'li',
    {
      attrs: {
        'data-legend': 'heat',
        'data-scale': sc.scale,
        'aria-label': `${sc.label}: from ${lo} (full negative colour) through 0 (background) to ${hi} (full positive colour)`,
      },
    },
    h('span', { class: 'heat-name', text: sc.label }),
    h('span', { class: 'heat-lo', text: lo }),
    bar,
    h('span', { class: 'heat-hi', text: hi }),
  );
}
