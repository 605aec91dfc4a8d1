/**
 * The network diagram's geometry and focus: where each column, unit and block of edges goes, and
 * which of them an event reads or writes, and what a unit shows at it. Pure (no DOM).
 */
import type { TraceEvent } from '../src/engine/trace';

/** Layers wider than this collapse to a block with a heatmap. */
export const MAX_UNITS_DRAWN = 12;

export interface UnitPos {
  readonly x: number;
  readonly y: number;
}

export interface ColumnLayout {
  /** 0 = input, 1..L layers. */
  readonly layer: number;
  readonly units: number;
  readonly x: number;
  readonly collapsed: boolean;
  /** Unit centres (drawn layers only). */
  readonly unitPos: readonly UnitPos[];
  /** The block's box (collapsed layers only). */
  readonly block?: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
}

export interface EdgeLayout {
  /** Layer l: edges from column l − 1 to column l. */
  readonly layer: number;
  /** Lines per weight when both ends are drawn, else a heatmap block of W. */
  readonly lines: boolean;
  readonly block?: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
}

export interface DiagramLayout {
  /** Width of a unit's pill: room for a value written by the user's number format. */
  readonly nodeW: number;
  readonly width: number;
  readonly height: number;
  readonly columns: readonly ColumnLayout[];
  readonly edges: readonly EdgeLayout[];
  readonly loss: { readonly x: number; readonly y: number; readonly w: number };
  /** Top of the drawing area (below column headings). */
  readonly top: number;
}

export const DIAGRAM = {
  colGap: 150,
  unitGap: 40,
  nodeW: 64,
  nodeH: 24,
  blockW: 44,
  blockH: 220,
  margin: 48,
  header: 40,
} as const;

/**
 * A pill wide enough for a value written with `digits` digits (11 px monospace: 6.7 px a
 * character): the digits, a sign, a point and three more (leading zeros, an exponent, an integer part).
 */
export function pillWidth(digits: number): number {
  return Math.max(DIAGRAM.nodeW, Math.ceil((digits + 5) * 6.7) + 12);
}

/** Vertical distance between drawn units: tighter for taller columns. */
const unitGap = (n: number): number => (n > 8 ? 30 : DIAGRAM.unitGap);

export function diagramLayout(widths: readonly number[], nodeW: number = DIAGRAM.nodeW): DiagramLayout {
  const { blockW, blockH, margin, header } = DIAGRAM;
  // Wider pills, wider gaps: the weights' lines keep their length between them.
  const colGap = DIAGRAM.colGap + (nodeW - DIAGRAM.nodeW);
  const drawn = widths.map((n) => n <= MAX_UNITS_DRAWN);
  const tallest = Math.max(...widths.map((n, i) => (drawn[i] ? n * unitGap(n) : blockH)));
  const height = header + tallest + 2 * 16;
  const top = header + 16;
  const mid = top + tallest / 2;
  const columns: ColumnLayout[] = widths.map((n, layer) => {
    const x = margin + nodeW / 2 + layer * colGap;
    if (!drawn[layer])
      return {
        layer,
        units: n,
        x,
        collapsed: true,
        unitPos: [],
        block: { x: x - blockW / 2, y: mid - blockH / 2, w: blockW, h: blockH },
      };
    const gap = unitGap(n);
    const y0 = mid - ((n - 1) * gap) / 2;
    return {
      layer,
      units: n,
      x,
      collapsed: false,
      unitPos: Array.from({ length: n }, (_, i) => ({ x, y: y0 + i * gap })),
    };
  });
  const edges: EdgeLayout[] = widths.slice(1).map((_, i) => {
    const layer = i + 1;
    if (drawn[layer - 1] && drawn[layer]) return { layer, lines: true };
    const x0 = columns[layer - 1].x + (drawn[layer - 1] ? nodeW / 2 : blockW / 2) + 14;
    const x1 = columns[layer].x - (drawn[layer] ? nodeW / 2 : blockW / 2) - 14;
    return { layer, lines: false, block: { x: x0, y: mid - blockH / 2, w: x1 - x0, h: blockH } };
  });
  const lossW = nodeW + 24;
  const lossX = columns[columns.length - 1].x + colGap * 0.75 + (lossW - 88) / 2;
  return {
    nodeW,
    width: lossX + lossW / 2 + margin / 2,
    height,
    columns,
    edges,
    loss: { x: lossX, y: mid, w: lossW },
    top,
  };
}

export interface EventFocus {
  /** Columns (0 = input) whose units the event reads or writes. */
  readonly columns: ReadonlySet<number>;
  /** Layers whose incoming weights the event reads or writes. */
  readonly edges: ReadonlySet<number>;
  readonly loss: boolean;
  /** Colour edges by ∂L/∂W rather than W. */
  readonly byGradient: boolean;
}

export function eventFocus(e: TraceEvent, layers: number): EventFocus {
  switch (e.kind) {
    case 'forward':
      return { columns: new Set([e.layer - 1, e.layer]), edges: new Set([e.layer]), loss: false, byGradient: false };
    case 'loss':
      return { columns: new Set([layers]), edges: new Set(), loss: true, byGradient: false };
    case 'backward':
      return {
        columns: new Set(e.layer === layers ? [e.layer, e.layer - 1] : [e.layer, e.layer + 1, e.layer - 1]),
        edges: new Set(e.layer === layers ? [e.layer] : [e.layer, e.layer + 1]),
        loss: e.layer === layers,
        byGradient: true,
      };
    case 'update':
      return { columns: new Set([e.layer - 1, e.layer]), edges: new Set([e.layer]), loss: false, byGradient: true };
  }
}

/**
 * What a unit shows at an event: activations as far as the forward pass has come, then δ as far
 * as the backward pass has come. null: not computed yet at this event.
 */
export function unitQuantity(e: TraceEvent, column: number, layers: number): 'x' | 'a' | 'delta' | null {
  if (column === 0) return 'x';
  switch (e.kind) {
    case 'forward':
      return column <= e.layer ? 'a' : null;
    case 'loss':
      return 'a';
    case 'backward':
      return column >= e.layer ? 'delta' : 'a';
    case 'update':
      return column <= layers ? 'delta' : 'a';
  }
}
