/**
 * The panel's view model: pure functions from the trace data to what is drawn — the events,
 * matrices in the file's orientation, which entries an event reads and writes, where checks and
 * warnings belong, the diagram's layout. No DOM here, so it is tested in plain Node.
 */
import type { Matrix } from '../src/engine/tensor';
import { eventsOfStep, TraceEvent, TraceEventKind } from '../src/engine/trace';
import { DocumentData, RevealTarget, StepData, WireCheck } from '../src/protocol';

export type Convention = DocumentData['convention'];

// ── Events ───────────────────────────────────────────────────────────────────────────────────

/** Every event of every step, in order: the positions the panel steps through. */
export function allEvents(steps: number, layers: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let s = 1; s <= steps; s++) out.push(...eventsOfStep(s, layers));
  return out;
}

/** Index of the event within its step (forward 1..L, loss, backward L..1, update 1..L). */
export function offsetInStep(e: TraceEvent, layers: number): number {
  switch (e.kind) {
    case 'forward': return e.layer - 1;
    case 'loss': return layers;
    case 'backward': return layers + 1 + (layers - e.layer);
    case 'update': return 2 * layers + 1 + (e.layer - 1);
  }
}

export function indexOfEvent(e: TraceEvent, layers: number): number {
  return (e.step - 1) * (3 * layers + 1) + offsetInStep(e, layers);
}

export const PHASE_NAMES: Record<TraceEventKind, string> = { forward: 'Forward', loss: 'Loss', backward: 'Backward', update: 'Update' };

/** The layer whose units an event computes (the loss belongs to the last layer). */
export function eventLayer(e: TraceEvent, layers: number): number {
  return e.kind === 'loss' ? layers : e.layer;
}

// ── Keyboard ─────────────────────────────────────────────────────────────────────────────────

export type StepAction = 'next' | 'previous' | 'first' | 'last' | 'togglePlay';

/** The panel's stepping keys: ← → Home End Space (Space only where it would not press a button). */
export function keyAction(key: string, opts: { readonly onButton: boolean }): StepAction | null {
  switch (key) {
    case 'ArrowRight': return 'next';
    case 'ArrowLeft': return 'previous';
    case 'Home': return 'first';
    case 'End': return 'last';
    case ' ': case 'Spacebar': return opts.onButton ? null : 'togglePlay';
    default: return null;
  }
}

// ── Matrices in the file's orientation ───────────────────────────────────────────────────────

/** A matrix as displayed, with the engine's coordinates of each displayed entry. */
export interface MatrixView {
  readonly rows: number;
  readonly cols: number;
  get(i: number, j: number): number;
  /** Engine coordinates [row, col] of displayed entry (i, j); vectors are [0, unit]. */
  engine(i: number, j: number): [number, number];
}

function asIs(m: Matrix): MatrixView {
  return { rows: m.rows, cols: m.cols, get: (i, j) => m.data[i * m.cols + j], engine: (i, j) => [i, j] };
}

function transposed(m: Matrix): MatrixView {
  return { rows: m.cols, cols: m.rows, get: (i, j) => m.data[j * m.cols + i], engine: (i, j) => [j, i] };
}

/** A batch value (examples as rows in the engine): out_in shows one column per example. */
export function batchView(m: Matrix, conv: Convention): MatrixView {
  return conv === 'out_in' ? transposed(m) : asIs(m);
}

/** W (out × in in the engine) as the file writes it. */
export function weightView(m: Matrix, conv: Convention): MatrixView {
  return conv === 'out_in' ? asIs(m) : transposed(m);
}

/** Wᵀ as it appears in δ = Wᵀ δ (out_in) or δ Wᵀ (in_out). */
export function weightTView(m: Matrix, conv: Convention): MatrixView {
  return conv === 'out_in' ? transposed(m) : asIs(m);
}

/** A vector (b, ∂L/∂b): a column in out_in, a row in in_out. */
export function vectorView(v: Float64Array, conv: Convention): MatrixView {
  return conv === 'out_in'
    ? { rows: v.length, cols: 1, get: (i) => v[i], engine: (i) => [0, i] }
    : { rows: 1, cols: v.length, get: (_i, j) => v[j], engine: (_i, j) => [0, j] };
}

export function scalarView(x: number): MatrixView {
  return { rows: 1, cols: 1, get: () => x, engine: () => [0, 0] };
}

/** Element-wise a − b of two views of the same shape (the change an update made). */
export function differenceView(a: MatrixView, b: MatrixView): MatrixView {
  return { rows: a.rows, cols: a.cols, get: (i, j) => a.get(i, j) - b.get(i, j), engine: a.engine };
}

export function maxAbs(v: MatrixView): number {
  let m = 0;
  for (let i = 0; i < v.rows; i++) for (let j = 0; j < v.cols; j++) {
    const x = Math.abs(v.get(i, j));
    if (x > m && Number.isFinite(x)) m = x;
  }
  return m;
}

export function maxAbsOf(data: Float64Array): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const x = Math.abs(data[i]);
    if (x > m && Number.isFinite(x)) m = x;
  }
  return m;
}

// ── Operands of an event ─────────────────────────────────────────────────────────────────────

/** Entries selected in engine coordinates; null in a dimension means all of it. */
export interface Selection {
  readonly r: number | null;
  readonly c: number | null;
}

export function selects(s: Selection | null, r: number, c: number): boolean {
  return !!s && (s.r === null || s.r === r) && (s.c === null || s.c === c);
}

/** The expect key and layer a drawn quantity answers to, to mark hand-derived values. */
export interface CheckSlot {
  readonly key: string;
  readonly layer: number;
}

export interface Operand {
  /** Stable name for tests and aria: z2, a1, delta1, W2, dW2, W2_next, b2_next, x, t, dA2, sp2, L. */
  readonly id: string;
  /** As written in the notes: W², (W³)ᵀ, σ'(z²), ∂L/∂W². */
  readonly symbol: string;
  readonly view: MatrixView;
  readonly role: 'operand' | 'result';
  /** Entries emphasised: what produced the highlighted result, or the highlighted result itself. */
  readonly emphasis: Selection | null;
  /** For results of an update: W' − W, to colour increases and decreases. */
  readonly change?: MatrixView;
  readonly check?: CheckSlot;
  /** Where an entry lives in the model file, when it does (W, b, input, target). */
  readonly reveal?: (r: number, c: number) => RevealTarget;
}

/** One line of operands: e.g. W² a¹ + b² = z². Strings are operators between matrices. */
export interface OperandLine {
  readonly caption: string;
  readonly items: readonly (Operand | string)[];
}

export interface Focus {
  /** Selected unit of the event's layer (0-based). */
  readonly unit: number;
  /** Example of the batch (0-based). */
  readonly example: number;
}

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
export const sup = (n: number): string => String(n).replace(/[0-9]/g, (d) => SUP[Number(d)]);

export function operandsFor(step: StepData, e: TraceEvent, conv: Convention, focus: Focus): OperandLine[] {
  const L = step.forward.length;
  const l = eventLayer(e, L);
  const u = Math.min(focus.unit, step.forward[l - 1].z.cols - 1);
  const n = Math.min(focus.example, step.input.rows - 1);
  const batch = (id: string, symbol: string, m: Matrix, role: Operand['role'], emphasis: Selection | null, check?: CheckSlot): Operand =>
    ({ id, symbol, view: batchView(m, conv), role, emphasis, ...(check ? { check } : {}) });
  const aPrev = (k: number): Operand => k === 1
    ? { ...batch('x', 'x', step.input, 'operand', null), reveal: (r, c) => ({ kind: 'input', example: r, unit: c }) }
    : batch(`a${k - 1}`, `a${sup(k - 1)}`, step.forward[k - 2].a, 'operand', null);
  const param = (k: number, p: 'W' | 'b') => (r: number, c: number): RevealTarget => (p === 'W' ? { kind: 'param', layer: k, param: p, i: r, j: c } : { kind: 'param', layer: k, param: p, i: c, j: 0 });
  const W = (k: number): Operand => ({ id: `W${k}`, symbol: `W${sup(k)}`, view: weightView(step.update[k - 1].W, conv), role: 'operand', emphasis: null, reveal: param(k, 'W') });
  const b = (k: number): Operand => ({ id: `b${k}`, symbol: `b${sup(k)}`, view: vectorView(step.update[k - 1].b, conv), role: 'operand', emphasis: null, reveal: param(k, 'b') });
  const with_ = (o: Operand, emphasis: Selection | null): Operand => ({ ...o, emphasis });

  switch (e.kind) {
    case 'forward': {
      const f = step.forward[l - 1];
      const x = with_(aPrev(l), { r: n, c: null });
      const prod = conv === 'out_in' ? [with_(W(l), { r: u, c: null }), x] : [x, with_(W(l), { r: u, c: null })];
      return [
        { caption: `z${sup(l)} = ${conv === 'out_in' ? `W${sup(l)} a${sup(l - 1)}` : `a${sup(l - 1)} W${sup(l)}`} + b${sup(l)}`, items: [...prod, '+', with_(b(l), { r: 0, c: u }), '=', batch(`z${l}`, `z${sup(l)}`, f.z, 'result', { r: n, c: u }, { key: 'z', layer: l })] },
        { caption: `a${sup(l)} = σ(z${sup(l)})`, items: [batch(`z${l}`, `z${sup(l)}`, f.z, 'operand', { r: n, c: u }), '→', batch(`a${l}`, `a${sup(l)}`, f.a, 'result', { r: n, c: u }, { key: 'a', layer: l })] },
      ];
    }
    case 'loss': {
      const a = step.forward[L - 1].a;
      const t: Operand = { ...batch('t', 't', step.target, 'operand', { r: n, c: u }), reveal: (r, c) => ({ kind: 'target', example: r, unit: c }) };
      return [
        { caption: 'L', items: [batch(`a${L}`, `a${sup(L)}`, a, 'operand', { r: null, c: null }), ',', with_(t, { r: null, c: null }), '→', { id: 'L', symbol: 'L', view: scalarView(step.loss.value), role: 'result', emphasis: null, check: { key: 'loss', layer: 0 }, reveal: () => ({ kind: 'loss' }) }] },
        { caption: `∂L/∂a${sup(L)}`, items: [batch(`a${L}`, `a${sup(L)}`, a, 'operand', { r: n, c: u }), ',', t, '→', batch(`dA${L}`, `∂L/∂a${sup(L)}`, step.loss.dA, 'result', { r: n, c: u }, { key: 'dL_da', layer: L })] },
      ];
    }
    case 'backward': {
      const bw = step.backward[l - 1];
      const delta = batch(`delta${l}`, `δ${sup(l)}`, bw.delta, 'result', { r: n, c: u }, { key: 'delta', layer: l });
      const lines: OperandLine[] = [];
      if (l === L && step.loss.fused) {
        lines.push({ caption: `δ${sup(L)} from a${sup(L)} − t`, items: [batch(`a${L}`, `a${sup(L)}`, step.forward[L - 1].a, 'operand', { r: n, c: u }), '−', batch('t', 't', step.target, 'operand', { r: n, c: u }), '→', delta] });
      } else {
        const upstream: (Operand | string)[] = l === L
          ? [batch(`dA${L}`, `∂L/∂a${sup(L)}`, bw.dA, 'operand', bw.sigmaPrime ? { r: n, c: u } : { r: n, c: null }, { key: 'dL_da', layer: L })]
          : (() => {
            const WT: Operand = { id: `W${l + 1}T`, symbol: `(W${sup(l + 1)})ᵀ`, view: weightTView(step.update[l].W, conv), role: 'operand', emphasis: { r: null, c: u }, reveal: param(l + 1, 'W') };
            const d = batch(`delta${l + 1}`, `δ${sup(l + 1)}`, step.backward[l].delta, 'operand', { r: n, c: null });
            return conv === 'out_in' ? [WT, d] : [d, WT];
          })();
        if (bw.sigmaPrime) {
          lines.push({ caption: `δ${sup(l)} = ∂L/∂a${sup(l)} ⊙ σ'(z${sup(l)})`, items: [...upstream, '⊙', batch(`sp${l}`, `σ'(z${sup(l)})`, bw.sigmaPrime, 'operand', { r: n, c: u }, { key: 'sigma_prime', layer: l }), '=', delta] });
        } else {
          lines.push({ caption: `δ${sup(l)} = J_softmax(z${sup(l)})ᵀ ∂L/∂a${sup(l)}`, items: [...upstream, ',', batch(`a${l}`, `a${sup(l)}`, step.forward[l - 1].a, 'operand', { r: n, c: null }), '→', delta] });
        }
      }
      // ∂L/∂W = δ (a)ᵀ in out_in, (a)ᵀ δ in in_out: a^(l−1) drawn transposed, one row per example
      // in out_in — which is the engine's own layout, so weightView's orientation rule applies.
      const prevM = l === 1 ? step.input : step.forward[l - 2].a;
      const prevSym = l === 1 ? 'x' : `a${sup(l - 1)}`;
      const prevT: Operand = { id: `${l === 1 ? 'x' : `a${l - 1}`}T`, symbol: l === 1 ? 'xᵀ' : `(${prevSym})ᵀ`, view: weightView(prevM, conv), role: 'operand', emphasis: { r: null, c: null } };
      const dOuter: Operand = { id: `delta${l}`, symbol: `δ${sup(l)}`, view: delta.view, role: 'operand', emphasis: { r: null, c: u } };
      lines.push({ caption: `∂L/∂W${sup(l)}`, items: [...(conv === 'out_in' ? [dOuter, prevT] : [prevT, dOuter]), '→', { id: `dW${l}`, symbol: `∂L/∂W${sup(l)}`, view: weightView(bw.dW, conv), role: 'result', emphasis: { r: u, c: null }, check: { key: 'dW', layer: l }, reveal: param(l, 'W') }] });
      lines.push({ caption: `∂L/∂b${sup(l)}`, items: [dOuter, '→', { id: `db${l}`, symbol: `∂L/∂b${sup(l)}`, view: vectorView(bw.db, conv), role: 'result', emphasis: { r: 0, c: u }, check: { key: 'db', layer: l }, reveal: param(l, 'b') }] });
      return lines;
    }
    case 'update': {
      const up = step.update[l - 1];
      const bw = step.backward[l - 1];
      const Wv = weightView(up.W, conv), Wn = weightView(up.WNext, conv);
      const bv = vectorView(up.b, conv), bn = vectorView(up.bNext, conv);
      const row = { r: u, c: null }, unit = { r: 0, c: u };
      return [
        { caption: `W${sup(l)}, ∂L/∂W${sup(l)} → W${sup(l)}'`, items: [
          { id: `W${l}`, symbol: `W${sup(l)}`, view: Wv, role: 'operand', emphasis: row, reveal: param(l, 'W') },
          { id: `dW${l}`, symbol: `∂L/∂W${sup(l)}`, view: weightView(bw.dW, conv), role: 'operand', emphasis: row, check: { key: 'dW', layer: l }, reveal: param(l, 'W') },
          '→',
          { id: `W${l}_next`, symbol: `W${sup(l)}'`, view: Wn, role: 'result', emphasis: row, change: differenceView(Wn, Wv), check: { key: 'W_next', layer: l }, reveal: param(l, 'W') },
        ] },
        { caption: `b${sup(l)}, ∂L/∂b${sup(l)} → b${sup(l)}'`, items: [
          { id: `b${l}`, symbol: `b${sup(l)}`, view: bv, role: 'operand', emphasis: unit, reveal: param(l, 'b') },
          { id: `db${l}`, symbol: `∂L/∂b${sup(l)}`, view: vectorView(bw.db, conv), role: 'operand', emphasis: unit, check: { key: 'db', layer: l }, reveal: param(l, 'b') },
          '→',
          { id: `b${l}_next`, symbol: `b${sup(l)}'`, view: bn, role: 'result', emphasis: unit, change: differenceView(bn, bv), check: { key: 'b_next', layer: l }, reveal: param(l, 'b') },
        ] },
      ];
    }
  }
}

// ── Checks and warnings at their events ──────────────────────────────────────────────────────

export function sameEvent(a: TraceEvent, b: TraceEvent): boolean {
  return a.step === b.step && a.kind === b.kind && a.layer === b.layer;
}

/** Wrong entries of every check on a quantity, keyed "key:layer" for the step. */
export function wrongEntries(checks: readonly WireCheck[], step: number, layers: number): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of checks) {
    if (c.step !== step || c.ok) continue;
    const layer = c.key === 'loss' ? 0 : c.layer === 0 ? layers : c.layer;
    const k = `${c.key}:${layer}`;
    const set = out.get(k) ?? new Set<string>();
    for (const [r, col] of c.wrong) set.add(`${r},${col}`);
    out.set(k, set);
  }
  return out;
}

// ── Diagram layout ───────────────────────────────────────────────────────────────────────────

/** Layers wider than this collapse to a block with a heatmap. */
export const MAX_UNITS_DRAWN = 12;

export interface UnitPos { readonly x: number; readonly y: number }

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
  readonly width: number;
  readonly height: number;
  readonly columns: readonly ColumnLayout[];
  readonly edges: readonly EdgeLayout[];
  readonly loss: { readonly x: number; readonly y: number };
  /** Top of the drawing area (below column headings). */
  readonly top: number;
}

export const DIAGRAM = { colGap: 150, unitGap: 40, nodeW: 64, nodeH: 24, blockW: 44, blockH: 220, margin: 48, header: 40 } as const;

/** Vertical distance between drawn units: tighter for taller columns. */
const unitGap = (n: number): number => (n > 8 ? 30 : DIAGRAM.unitGap);

export function diagramLayout(widths: readonly number[]): DiagramLayout {
  const { colGap, blockW, blockH, margin, header } = DIAGRAM;
  const drawn = widths.map((n) => n <= MAX_UNITS_DRAWN);
  const tallest = Math.max(...widths.map((n, i) => (drawn[i] ? n * unitGap(n) : blockH)));
  const height = header + tallest + 2 * 16;
  const top = header + 16;
  const mid = top + tallest / 2;
  const columns: ColumnLayout[] = widths.map((n, layer) => {
    const x = margin + DIAGRAM.nodeW / 2 + layer * colGap;
    if (!drawn[layer]) return { layer, units: n, x, collapsed: true, unitPos: [], block: { x: x - blockW / 2, y: mid - blockH / 2, w: blockW, h: blockH } };
    const gap = unitGap(n);
    const y0 = mid - ((n - 1) * gap) / 2;
    return { layer, units: n, x, collapsed: false, unitPos: Array.from({ length: n }, (_, i) => ({ x, y: y0 + i * gap })) };
  });
  const edges: EdgeLayout[] = widths.slice(1).map((_, i) => {
    const layer = i + 1;
    if (drawn[layer - 1] && drawn[layer]) return { layer, lines: true };
    const x0 = columns[layer - 1].x + (drawn[layer - 1] ? DIAGRAM.nodeW / 2 : blockW / 2) + 14;
    const x1 = columns[layer].x - (drawn[layer] ? DIAGRAM.nodeW / 2 : blockW / 2) - 14;
    return { layer, lines: false, block: { x: x0, y: mid - blockH / 2, w: x1 - x0, h: blockH } };
  });
  const lossX = columns[columns.length - 1].x + colGap * 0.75;
  return { width: lossX + 40 + margin / 2, height, columns, edges, loss: { x: lossX, y: mid }, top };
}

// ── What an event touches, for the diagram's focus ───────────────────────────────────────────

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
    case 'forward': return { columns: new Set([e.layer - 1, e.layer]), edges: new Set([e.layer]), loss: false, byGradient: false };
    case 'loss': return { columns: new Set([layers]), edges: new Set(), loss: true, byGradient: false };
    case 'backward': return {
      columns: new Set(e.layer === layers ? [e.layer, e.layer - 1] : [e.layer, e.layer + 1, e.layer - 1]),
      edges: new Set(e.layer === layers ? [e.layer] : [e.layer, e.layer + 1]),
      loss: e.layer === layers, byGradient: true,
    };
    case 'update': return { columns: new Set([e.layer - 1, e.layer]), edges: new Set([e.layer]), loss: false, byGradient: true };
  }
}

/**
 * What a unit shows at an event: activations as far as the forward pass has come, then δ as far
 * as the backward pass has come. null: not computed yet at this event.
 */
export function unitQuantity(e: TraceEvent, column: number, layers: number): 'x' | 'a' | 'delta' | null {
  if (column === 0) return 'x';
  switch (e.kind) {
    case 'forward': return column <= e.layer ? 'a' : null;
    case 'loss': return 'a';
    case 'backward': return column >= e.layer ? 'delta' : 'a';
    case 'update': return column <= layers ? 'delta' : 'a';
  }
}
