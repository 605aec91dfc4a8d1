/**
 * What an event reads and writes, as the panel draws it: lines of operands (W² a¹ + b² = z²),
 * each a matrix view with the entries behind the highlighted result emphasised, its place in the
 * file, and the hand-derived values marked wrong on it. Pure (no DOM).
 */
import { sup } from '../src/engine/numberFormat';
import type { TraceEvent } from '../src/engine/trace';
import type { RevealTarget, StepData, WireCheck } from '../src/protocol';
import type { Matrix } from '../src/engine/tensor';
import { eventLayer } from './events';
import {
  batchView,
  FileLayout,
  differenceView,
  MatrixView,
  scalarView,
  vectorView,
  weightTView,
  weightView,
} from './matrixViews';

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
  /** What the rows and columns are, for a batch: "examples × units" or "units × examples". */
  readonly axes?: string;
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

/**
 * The operand lines of an event. W and b are drawn in the file's convention, x, t, z, a, δ and
 * σ'(z) in its batch layout (one example as a vector, the way the equation reads) — except in the product ∂L/∂W, which keeps the orientation that
 * makes it a matrix product and says so with ᵀ.
 */
export function operandsFor(step: StepData, e: TraceEvent, layout: FileLayout, focus: Focus): OperandLine[] {
  const conv = layout.convention;
  // Examples as columns for out_in (z = W a + b), as rows for in_out (z = a W + b).
  const natural = conv === 'out_in' ? 'columns' : 'rows';
  // One example is a vector, drawn the way its equation reads; a batch as the file writes it.
  const batchLayout = step.input.rows > 1 ? layout.batchLayout : natural;
  const L = step.forward.length;
  const l = eventLayer(e, L);
  const u = Math.min(focus.unit, step.forward[l - 1].z.cols - 1);
  const n = Math.min(focus.example, step.input.rows - 1);
  const batch = (
    id: string,
    symbol: string,
    m: Matrix,
    role: Operand['role'],
    emphasis: Selection | null,
    check?: CheckSlot,
  ): Operand => ({
    id,
    symbol,
    view: batchView(m, batchLayout),
    role,
    emphasis,
    ...(step.input.rows > 1 ? { axes: batchLayout === 'rows' ? 'examples × units' : 'units × examples' } : {}),
    ...(check ? { check } : {}),
  });
  const aPrev = (k: number): Operand =>
    k === 1
      ? { ...batch('x', 'x', step.input, 'operand', null), reveal: (r, c) => ({ kind: 'input', example: r, unit: c }) }
      : batch(`a${k - 1}`, `a${sup(k - 1)}`, step.forward[k - 2].a, 'operand', null);
  const W = (k: number): Operand => ({
    id: `W${k}`,
    symbol: `W${sup(k)}`,
    view: weightView(step.update[k - 1].W, conv),
    role: 'operand',
    emphasis: null,
    reveal: param(k, 'W'),
  });
  const b = (k: number): Operand => ({
    id: `b${k}`,
    symbol: `b${sup(k)}`,
    view: vectorView(step.update[k - 1].b, conv),
    role: 'operand',
    emphasis: null,
    reveal: param(k, 'b'),
  });
  const with_ = (o: Operand, emphasis: Selection | null): Operand => ({ ...o, emphasis });

  switch (e.kind) {
    case 'forward': {
      const f = step.forward[l - 1];
      const x = with_(aPrev(l), { r: n, c: null });
      const prod = conv === 'out_in' ? [with_(W(l), { r: u, c: null }), x] : [x, with_(W(l), { r: u, c: null })];
      return [
        {
          caption: `z${sup(l)} = ${conv === 'out_in' ? `W${sup(l)} a${sup(l - 1)}` : `a${sup(l - 1)} W${sup(l)}`} + b${sup(l)}`,
          items: [
            ...prod,
            '+',
            with_(b(l), { r: 0, c: u }),
            '=',
            batch(`z${l}`, `z${sup(l)}`, f.z, 'result', { r: n, c: u }, { key: 'z', layer: l }),
          ],
        },
        {
          caption: `a${sup(l)} = σ(z${sup(l)})`,
          items: [
            batch(`z${l}`, `z${sup(l)}`, f.z, 'operand', { r: n, c: u }),
            '→',
            batch(`a${l}`, `a${sup(l)}`, f.a, 'result', { r: n, c: u }, { key: 'a', layer: l }),
          ],
        },
      ];
    }
    case 'loss': {
      const a = step.forward[L - 1].a;
      const t: Operand = {
        ...batch('t', 't', step.target, 'operand', { r: n, c: u }),
        reveal: (r, c) => ({ kind: 'target', example: r, unit: c }),
      };
      return [
        {
          caption: 'L',
          items: [
            batch(`a${L}`, `a${sup(L)}`, a, 'operand', { r: null, c: null }),
            ',',
            with_(t, { r: null, c: null }),
            '→',
            {
              id: 'L',
              symbol: 'L',
              view: scalarView(step.loss.value),
              role: 'result',
              emphasis: null,
              check: { key: 'loss', layer: 0 },
              reveal: () => ({ kind: 'loss' }),
            },
          ],
        },
        {
          caption: `∂L/∂a${sup(L)}`,
          items: [
            batch(`a${L}`, `a${sup(L)}`, a, 'operand', { r: n, c: u }),
            ',',
            t,
            '→',
            batch(`dA${L}`, `∂L/∂a${sup(L)}`, step.loss.dA, 'result', { r: n, c: u }, { key: 'dL_da', layer: L }),
          ],
        },
      ];
    }
    case 'backward': {
      const bw = step.backward[l - 1];
      const delta = batch(`delta${l}`, `δ${sup(l)}`, bw.delta, 'result', { r: n, c: u }, { key: 'delta', layer: l });
      const lines: OperandLine[] = [];
      if (l === L && step.loss.fused) {
        lines.push({
          caption: `δ${sup(L)} from a${sup(L)} − t`,
          items: [
            batch(`a${L}`, `a${sup(L)}`, step.forward[L - 1].a, 'operand', { r: n, c: u }),
            '−',
            batch('t', 't', step.target, 'operand', { r: n, c: u }),
            '→',
            delta,
          ],
        });
      } else {
        const upstream: (Operand | string)[] =
          l === L
            ? [
                batch(
                  `dA${L}`,
                  `∂L/∂a${sup(L)}`,
                  bw.dA,
                  'operand',
                  bw.sigmaPrime ? { r: n, c: u } : { r: n, c: null },
                  { key: 'dL_da', layer: L },
                ),
              ]
            : (() => {
                const WT: Operand = {
                  id: `W${l + 1}T`,
                  symbol: `(W${sup(l + 1)})ᵀ`,
                  view: weightTView(step.update[l].W, conv),
                  role: 'operand',
                  emphasis: { r: null, c: u },
                  reveal: param(l + 1, 'W'),
                };
                const d = batch(`delta${l + 1}`, `δ${sup(l + 1)}`, step.backward[l].delta, 'operand', {
                  r: n,
                  c: null,
                });
                return conv === 'out_in' ? [WT, d] : [d, WT];
              })();
        if (bw.sigmaPrime) {
          lines.push({
            caption: `δ${sup(l)} = ∂L/∂a${sup(l)} ⊙ σ'(z${sup(l)})`,
            items: [
              ...upstream,
              '⊙',
              batch(
                `sp${l}`,
                `σ'(z${sup(l)})`,
                bw.sigmaPrime,
                'operand',
                { r: n, c: u },
                { key: 'sigma_prime', layer: l },
              ),
              '=',
              delta,
            ],
          });
        } else {
          lines.push({
            caption: `δ${sup(l)} = J_softmax(z${sup(l)})ᵀ ∂L/∂a${sup(l)}`,
            items: [
              ...upstream,
              ',',
              batch(`a${l}`, `a${sup(l)}`, step.forward[l - 1].a, 'operand', { r: n, c: null }),
              '→',
              delta,
            ],
          });
        }
      }
      // ∂L/∂W = δ (a)ᵀ in out_in, (a)ᵀ δ in in_out, with examples as columns (out_in) or rows
      // (in_out): a^(l−1) drawn transposed, one row per example in out_in — which is the engine's
      // own layout, so weightView's orientation rule applies. In the other batch layout the same
      // matrices are the file's δ transposed and its a as written.
      const asWritten = batchLayout === natural;
      const prevM = l === 1 ? step.input : step.forward[l - 2].a;
      const prevSym = l === 1 ? 'x' : `a${sup(l - 1)}`;
      const prevT: Operand = {
        id: `${l === 1 ? 'x' : `a${l - 1}`}T`,
        symbol: !asWritten ? prevSym : l === 1 ? 'xᵀ' : `(${prevSym})ᵀ`,
        view: weightView(prevM, conv),
        role: 'operand',
        emphasis: { r: null, c: null },
      };
      const dOuter: Operand = {
        id: `delta${l}`,
        symbol: asWritten ? `δ${sup(l)}` : `(δ${sup(l)})ᵀ`,
        view: batchView(bw.delta, natural),
        role: 'operand',
        emphasis: { r: null, c: u },
      };
      lines.push({
        caption: `∂L/∂W${sup(l)}`,
        items: [
          ...(conv === 'out_in' ? [dOuter, prevT] : [prevT, dOuter]),
          '→',
          {
            id: `dW${l}`,
            symbol: `∂L/∂W${sup(l)}`,
            view: weightView(bw.dW, conv),
            role: 'result',
            emphasis: { r: u, c: null },
            check: { key: 'dW', layer: l },
            reveal: param(l, 'W'),
          },
        ],
      });
      lines.push({
        caption: `∂L/∂b${sup(l)}`,
        items: [
          dOuter,
          '→',
          {
            id: `db${l}`,
            symbol: `∂L/∂b${sup(l)}`,
            view: vectorView(bw.db, conv),
            role: 'result',
            emphasis: { r: 0, c: u },
            check: { key: 'db', layer: l },
            reveal: param(l, 'b'),
          },
        ],
      });
      return lines;
    }
    case 'update': {
      const up = step.update[l - 1];
      const bw = step.backward[l - 1];
      return [
        updateLine('W', l, weightView(up.W, conv), weightView(bw.dW, conv), weightView(up.WNext, conv), {
          r: u,
          c: null,
        }),
        updateLine('b', l, vectorView(up.b, conv), vectorView(bw.db, conv), vectorView(up.bNext, conv), { r: 0, c: u }),
      ];
    }
  }
}

/** Where entry (r, c) of layer k's W or b (engine layout; b drawn as one row) is in the file. */
function param(k: number, p: 'W' | 'b'): (r: number, c: number) => RevealTarget {
  return (r, c) =>
    p === 'W' ? { kind: 'param', layer: k, param: p, i: r, j: c } : { kind: 'param', layer: k, param: p, i: c, j: 0 };
}

/** p, ∂L/∂p → p′ for one parameter of layer l, the change p′ − p coloured on the result. */
function updateLine(
  name: 'W' | 'b',
  l: number,
  before: MatrixView,
  grad: MatrixView,
  after: MatrixView,
  emphasis: Selection,
): OperandLine {
  const reveal = param(l, name);
  return {
    caption: `${name}${sup(l)}, ∂L/∂${name}${sup(l)} → ${name}${sup(l)}'`,
    items: [
      { id: `${name}${l}`, symbol: `${name}${sup(l)}`, view: before, role: 'operand', emphasis, reveal },
      {
        id: `d${name}${l}`,
        symbol: `∂L/∂${name}${sup(l)}`,
        view: grad,
        role: 'operand',
        emphasis,
        check: { key: `d${name}`, layer: l },
        reveal,
      },
      '→',
      {
        id: `${name}${l}_next`,
        symbol: `${name}${sup(l)}'`,
        view: after,
        role: 'result',
        emphasis,
        change: differenceView(after, before),
        check: { key: `${name}_next`, layer: l },
        reveal,
      },
    ],
  };
}

/**
 * Wrong entries of every check on a quantity, keyed "key:layer" for the step: each entry's engine
 * coordinates "r,c" with the value the user wrote there.
 */
export function wrongEntries(
  checks: readonly WireCheck[],
  step: number,
  layers: number,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const c of checks) {
    if (c.step !== step || c.ok) continue;
    const layer = c.key === 'loss' ? 0 : c.layer === 0 ? layers : c.layer;
    const k = `${c.key}:${layer}`;
    const entries = out.get(k) ?? new Map<string, number>();
    c.wrong.forEach(([r, col], n) => entries.set(`${r},${col}`, c.written[n]));
    out.set(k, entries);
  }
  return out;
}
