/**
 * The Markdown of every hover, built from the trace alone (pure: no `vscode`, no arithmetic the
 * engine has not done, except the display-only m̂, v̂ of Adam and the per-example products whose
 * sum the engine recorded). Indices are 1-based and follow the file's own W layout.
 */
import { activation } from '../../engine/activations';
import { showHand } from '../../model/handNumber';
import { lossFormula } from '../../engine/losses';
import { sup } from '../../engine/numberFormat';
import { Matrix } from '../../engine/tensor';
import { StepRecord, Trace } from '../../engine/trace';
import { fileW, layerConvention, weightIndex } from '../../model/layout';
import { shapeOf, shapeText } from '../../engine/tensor';
import { Model } from '../../model/types';
import { writtenIndex, type ExpectationResult } from '../../analysis/expect';
import { describeOptimizer } from '../../report/equations';
import type { LeastSquaresSolution } from '../../analysis/leastSquares';
import { closedFormLines } from './leastSquaresHover';
import { esc, fmt, matrixTable, NumberFormat, pick, table, vectorAsRow, MAX_TABLE_ROWS } from './markdown';

export interface HoverContext {
  readonly model: Model;
  readonly trace: Trace;
  /** The 1-based step shown (the stepping session's step, or 1). */
  readonly step: number;
  readonly format: NumberFormat;
  /** A linear regression's closed-form optimum, shown in the hover of each weight and bias. */
  readonly leastSquares?: Pick<LeastSquaresSolution, 'W' | 'b'>;
}

/** `W²[1][2]` as the file writes it, for engine indices (i = out, j = in); `W¹[1][1][2][2]` for a conv2d's kernels. */
export function weightLabel(model: Model, layer: number, i: number, j: number): string {
  return `W${sup(layer)}${weightIndex(model, layer, i, j)}`;
}

/** a^(l−1)[j] as a name: the input x for l = 1. */
function activationName(l: number, j: number): string {
  return l === 1 ? `x[${j + 1}]` : `a${sup(l - 1)}[${j + 1}]`;
}

function stepOf(ctx: HoverContext): StepRecord {
  return ctx.trace.steps.get(ctx.step);
}

function stepNote(ctx: HoverContext): string {
  const n = ctx.trace.steps.length;
  return n > 1 ? ` · step ${ctx.step} of ${n}` : '';
}

function state(s: StepRecord | undefined, layer: number, key: string): Matrix | Float64Array | undefined {
  return s?.update[layer - 1]?.state[key];
}

function stateAt(x: Matrix | Float64Array | undefined, k: number): number | undefined {
  if (!x) return undefined;
  return x instanceof Float64Array ? x[k] : x.data[k];
}

/** The optimizer's rows for one parameter: its formula and the numbers substituted. */
function updateRows(
  ctx: HoverContext,
  layer: number,
  param: 'W' | 'b',
  k: number,
  w: number,
  g: number,
  wNext: number,
): string[][] {
  const f = (x: number) => esc(fmt(x, ctx.format));
  const o = ctx.trace.optimizer;
  const t = ctx.step;
  const s = stepOf(ctx);
  const p = param === 'W' ? 'w' : 'b',
    grad = `∂L/∂${p}`;
  const o_ = (x: number) => operand(x, ctx.format);
  if (o.type === 'sgd') {
    return [[`${p}′ = ${p} − α · ${grad}`, `${f(w)} − ${o_(o.lr)} · ${o_(g)}`, `**${f(wNext)}**`]];
  }
  if (o.type === 'momentum') {
    const v = stateAt(state(s, layer, `v_${param}`), k) ?? NaN;
    const prev = t > 1 ? stateAt(state(ctx.trace.steps.get(t - 1), layer, `v_${param}`), k) : undefined;
    return [
      [
        `v = μ · v + ${grad}`,
        prev === undefined ? `first step: v = ${grad}` : `${f(o.momentum)} · ${o_(prev)} + ${o_(g)}`,
        f(v),
      ],
      [`${p}′ = ${p} − α · v`, `${f(w)} − ${o_(o.lr)} · ${o_(v)}`, `**${f(wNext)}**`],
    ];
  }
  const m = stateAt(state(s, layer, `m_${param}`), k) ?? NaN;
  const v = stateAt(state(s, layer, `v_${param}`), k) ?? NaN;
  const mHat = m / (1 - Math.pow(o.beta1, t)),
    vHat = v / (1 - Math.pow(o.beta2, t));
  return [
    [`m = β₁ m + (1 − β₁) ${grad}`, '', f(m)],
    [`v = β₂ v + (1 − β₂) (${grad})²`, '', f(v)],
    [`m̂ = m / (1 − β₁ᵗ), t = ${t}`, '', f(mHat)],
    [`v̂ = v / (1 − β₂ᵗ)`, '', f(vHat)],
    [
      `${p}′ = ${p} − α · m̂ / (√v̂ + ε)`,
      `${f(w)} − ${o_(o.lr)} · ${o_(mHat)} / (√${o_(vHat)} + ${o_(o.eps)})`,
      `**${f(wNext)}**`,
    ],
  ];
}

/** A number as a later operand of an expression: negatives in parentheses, 0.9 · (−0.002). */
function operand(x: number, format: NumberFormat): string {
  const t = esc(fmt(x, format));
  return x < 0 ? `(${t})` : t;
}

/** Over one weight: ∂L/∂w, where it came from (δ · a, per example for a batch) and w → w′. */
export function weightHover(ctx: HoverContext, layer: number, i: number, j: number): string {
  const s = stepOf(ctx);
  const f = (x: number) => esc(fmt(x, ctx.format));
  const b = s.backward[layer - 1],
    u = s.update[layer - 1];
  const aPrev = layer === 1 ? s.input : s.forward[layer - 2].a;
  const nIn = u.W.cols,
    nOut = u.W.rows,
    N = s.input.rows;
  const k = i * nIn + j;
  const w = u.W.data[k],
    g = b.dW.data[k],
    wNext = u.WNext.data[k];
  const d = `δ${sup(layer)}[${i + 1}]`,
    a = activationName(layer, j);
  const label = weightLabel(ctx.model, layer, i, j);
  if (u.W.shape?.length === 4) return kernelHover(ctx, layer, i, k, label);
  const out: string[] = [
    `**${label}** = ${f(w)}${ctx.step > 1 ? ` (at step ${ctx.step})` : ''} · weight from ${a} to z${sup(layer)}[${i + 1}]${stepNote(ctx)}`,
    '',
  ];
  const rows: string[][] = [];
  const l2 = ctx.trace.l2;
  const reg = l2 !== 0 ? ` + 2λw` : '';
  if (N === 1) {
    const dv = b.delta.data[i],
      av = aPrev.data[j];
    const o_ = (x: number) => operand(x, ctx.format);
    const regVal = l2 !== 0 ? ` + 2 · ${o_(l2)} · ${o_(w)}` : '';
    rows.push([`∂L/∂w = ${d} · ${a}${reg}`, `${f(dv)} · ${o_(av)}${regVal}`, `**${f(g)}**`]);
  } else {
    rows.push([
      `∂L/∂w = Σₙ ${d} · ${a}${reg}`,
      `Σ below${l2 !== 0 ? ` + 2λw (= ${f(2 * l2 * w)})` : ''}`,
      `**${f(g)}**`,
    ]);
  }
  rows.push(...updateRows(ctx, layer, 'W', k, w, g, wNext));
  out.push(table(['', 'numbers', 'value'], rows, ['l', 'l', 'r']));
  if (N > 1) {
    out.push('', `Per example (${N}):`, '');
    const body: string[][] = [];
    let sum = 0;
    for (let n = 0; n < N; n++) sum += b.delta.data[n * nOut + i] * aPrev.data[n * nIn + j];
    for (const n of pick(N, MAX_TABLE_ROWS)) {
      if (n < 0) {
        body.push(['⋮', '⋮', '⋮', '⋮']);
        continue;
      }
      const dv = b.delta.data[n * nOut + i],
        av = aPrev.data[n * nIn + j];
      body.push([String(n + 1), f(dv), f(av), f(dv * av)]);
    }
    body.push(['**Σ**', '', '', `**${f(sum)}**`]);
    out.push(table(['example', d, a, 'δ · a'], body, ['l', 'r', 'r', 'r']));
  }
  out.push(...closedFormLines(ctx.leastSquares, 'W', k, w, ctx.format));
  out.push('', `_${esc(describeOptimizer(ctx.trace.optimizer))}_`);
  return out.join('\n');
}

/**
 * Over one conv2d kernel entry: its gradient, a sum over examples and output positions, and
 * its update. (The terms of that sum are the panel's to show.)
 */
function kernelHover(ctx: HoverContext, layer: number, o: number, k: number, label: string): string {
  const s = stepOf(ctx);
  const f = (x: number) => esc(fmt(x, ctx.format));
  const u = s.update[layer - 1],
    b = s.backward[layer - 1];
  const [, C, kh, kw] = shapeOf(u.W);
  const c = Math.floor((k % u.W.cols) / (kh * kw)),
    i = Math.floor((k % (kh * kw)) / kw),
    j = k % kw;
  const w = u.W.data[k],
    g = b.dW.data[k],
    wNext = u.WNext.data[k];
  const L = sup(layer),
    P = sup(layer - 1);
  const reg = ctx.trace.l2 !== 0 ? ' + 2λw' : '';
  const rows: string[][] = [
    [
      `∂L/∂w = Σₙ Σ_y Σ_x δ${L}[n][${o + 1}][y][x] · a${P}[n][${c + 1}][y·s + ${i} − p][x·s + ${j} − p]${reg}`,
      'a sum over examples and output positions',
      `**${f(g)}**`,
    ],
    ...updateRows(ctx, layer, 'W', k, w, g, wNext),
  ];
  return [
    `**${label}** = ${f(w)}${ctx.step > 1 ? ` (at step ${ctx.step})` : ''} · kernel ${o + 1} on input channel ${c + 1} of ${C}, row ${i + 1}, column ${j + 1}${stepNote(ctx)}`,
    '',
    table(['', 'numbers', 'value'], rows, ['l', 'l', 'r']),
    '',
    `_${esc(describeOptimizer(ctx.trace.optimizer))}_`,
  ].join('\n');
}

/** Over one bias: ∂L/∂b = Σₙ δ (per example for a batch) and b → b′. */
export function biasHover(ctx: HoverContext, layer: number, i: number): string {
  const s = stepOf(ctx);
  const f = (x: number) => esc(fmt(x, ctx.format));
  const bw = s.backward[layer - 1],
    u = s.update[layer - 1];
  const N = s.input.rows,
    nOut = u.W.rows;
  // A conv2d's bias adds to every position of its channel: per example, δ summed over them.
  const positions = bw.delta.cols / Math.max(1, nOut);
  const perExample = (n: number): number => {
    let sum = 0;
    for (let q = 0; q < positions; q++) sum += bw.delta.data[(n * nOut + i) * positions + q];
    return sum;
  };
  const w = u.b[i],
    g = bw.db[i],
    wNext = u.bNext[i];
  const d = `δ${sup(layer)}[${i + 1}]`;
  const out: string[] = [
    `**b${sup(layer)}[${i + 1}]** = ${f(w)}${ctx.step > 1 ? ` (at step ${ctx.step})` : ''} · bias of z${sup(layer)}[${i + 1}]${stepNote(ctx)}`,
    '',
  ];
  const over = positions > 1 ? ' over its positions' : '';
  const rows: string[][] = [
    N === 1
      ? [over ? `∂L/∂b = Σ ${d}${over}` : `∂L/∂b = ${d}`, '', `**${f(g)}**`]
      : [`∂L/∂b = Σₙ ${d}${over}`, 'Σ below', `**${f(g)}**`],
  ];
  rows.push(...updateRows(ctx, layer, 'b', i, w, g, wNext));
  out.push(table(['', 'numbers', 'value'], rows, ['l', 'l', 'r']));
  if (N > 1) {
    out.push('', `Per example (${N}):`, '');
    const body: string[][] = pick(N, MAX_TABLE_ROWS).map((n) =>
      n < 0 ? ['⋮', '⋮'] : [String(n + 1), f(perExample(n))],
    );
    body.push(['**Σ**', `**${f(g)}**`]);
    out.push(table(['example', d], body, ['l', 'r']));
  }
  out.push(...closedFormLines(ctx.leastSquares, 'b', i, w, ctx.format));
  out.push('', `_${esc(describeOptimizer(ctx.trace.optimizer))}_`);
  return out.join('\n');
}

/** Over `W:` or `b:`: the gradient and the updated values, in the file's layout. */
export function matrixHover(ctx: HoverContext, layer: number, param: 'W' | 'b'): string {
  const s = stepOf(ctx);
  const b = s.backward[layer - 1],
    u = s.update[layer - 1];
  const L = sup(layer);
  const conv = layerConvention(ctx.model, layer);
  if (param === 'W' && u.W.shape?.length === 4)
    return [
      `**W${L}** · ${shapeText(u.W.shape)} (out×in×kh×kw)${stepNote(ctx)}`,
      '',
      `∂L/∂W${L} (a row per output channel, each kernel's entries in order):`,
      '',
      matrixTable(b.dW, ctx.format, 'out ', ''),
      '',
      `W${L}′ after the update (${esc(describeOptimizer(ctx.trace.optimizer))}):`,
      '',
      matrixTable(u.WNext, ctx.format, 'out ', ''),
    ].join('\n');
  if (param === 'W') {
    const shape =
      conv === 'out_in'
        ? `${u.W.rows} × ${u.W.cols} (n${L} × n${sup(layer - 1)}, out_in)`
        : `${u.W.cols} × ${u.W.rows} (n${sup(layer - 1)} × n${L}, in_out)`;
    return [
      `**W${L}** · ${shape}${stepNote(ctx)}`,
      '',
      `∂L/∂W${L}:`,
      '',
      matrixTable(fileW(ctx.model, b.dW), ctx.format, 'row', ''),
      '',
      `W${L}′ after the update (${esc(describeOptimizer(ctx.trace.optimizer))}):`,
      '',
      matrixTable(fileW(ctx.model, u.WNext), ctx.format, 'row', ''),
    ].join('\n');
  }
  return [
    `**b${L}** · ${u.b.length} unit${u.b.length === 1 ? '' : 's'}${stepNote(ctx)}`,
    '',
    `∂L/∂b${L}:`,
    '',
    matrixTable(vectorAsRow(b.db), ctx.format, '', 'unit '),
    '',
    `b${L}′ after the update (${esc(describeOptimizer(ctx.trace.optimizer))}):`,
    '',
    matrixTable(vectorAsRow(u.bNext), ctx.format, '', 'unit '),
  ].join('\n');
}

/** Per unit for one example (a table with a row per unit), or per quantity for a batch. */
function unitTables(ctx: HoverContext, columns: readonly [string, Matrix][]): string {
  const f = (x: number) => esc(fmt(x, ctx.format));
  const N = columns[0][1].rows,
    n = columns[0][1].cols;
  if (N === 1) {
    const body = pick(n, MAX_TABLE_ROWS).map((j) =>
      j < 0 ? ['⋮', ...columns.map(() => '⋮')] : [String(j + 1), ...columns.map(([, m]) => f(m.data[j]))],
    );
    return table(['unit', ...columns.map(([name]) => name)], body, ['l', ...columns.map(() => 'r' as const)]);
  }
  return columns
    .map(([name, m]) => `${name} (a row per example):\n\n${matrixTable(m, ctx.format, 'example', 'unit ')}`)
    .join('\n\n');
}

/** Over a layer's head: shapes, then z, a and δ. */
export function layerHover(ctx: HoverContext, layer: number): string {
  const s = stepOf(ctx);
  const fw = s.forward[layer - 1],
    b = s.backward[layer - 1];
  const L = sup(layer);
  const info = ctx.trace.layers?.[layer - 1];
  const shapes =
    info && info.type !== 'dense'
      ? `${shapeText(info.inShape)} → ${shapeText(info.outShape)} · ${info.type}`
      : `${s.update[layer - 1].W.cols} → ${fw.z.cols}`;
  const params = ctx.trace.parameterCounts[layer - 1];
  return [
    `**Layer ${layer}** · ${shapes} · \`${fw.activation}\` · ${params} parameters${stepNote(ctx)}`,
    '',
    unitTables(ctx, [
      [`z${L}`, fw.z],
      [`a${L}`, fw.a],
      [`δ${L} = ∂L/∂z${L}`, b.delta],
    ]),
  ].join('\n');
}

/** Over `activation`: the function, its derivative and σ′(z) at this input. */
export function activationHover(ctx: HoverContext, layer: number): string {
  const s = stepOf(ctx);
  const fw = s.forward[layer - 1],
    bw = s.backward[layer - 1];
  const act = activation(fw.activation);
  const L = sup(layer);
  const out = [
    `**\`${fw.activation}\`** · layer ${layer}${stepNote(ctx)}`,
    '',
    `${esc(act.formula.text)}  `,
    `${esc(act.derivativeFormula.text)}`,
    '',
  ];
  const last = layer === s.forward.length;
  if (act.derivative) {
    // The recorded σ′ when there is one; for a fused output layer the engine skips it, so evaluate it here.
    let sp = bw.sigmaPrime;
    if (!sp) {
      const data = new Float64Array(fw.z.data.length);
      act.derivative(fw.z.data, fw.a.data, data);
      sp = { rows: fw.z.rows, cols: fw.z.cols, data };
    }
    out.push(
      unitTables(ctx, [
        [`z${L}`, fw.z],
        [`σ(z${L})`, fw.a],
        [`σ′(z${L})`, sp],
      ]),
    );
  } else {
    out.push(
      `The Jacobian is not element-wise: δ${L} = (diag(p) − ppᵀ) ∂L/∂a${L} per example, p = a${L}.`,
      '',
      unitTables(ctx, [
        [`z${L}`, fw.z],
        [`p = a${L}`, fw.a],
      ]),
    );
  }
  if (last && s.loss.fused)
    out.push(
      '',
      `With \`${s.loss.loss}\`, δ${L} is computed from z${L} directly (σ′ folded in), which is exact and stable.`,
    );
  return out.join('\n');
}

/** Over `loss`: its value and ∂L/∂a of the output layer. */
export function lossHover(ctx: HoverContext): string {
  const s = stepOf(ctx);
  const lo = s.loss;
  const f = (x: number) => esc(fmt(x, ctx.format));
  const L = s.forward.length;
  const formula = lossFormula(lo.loss);
  const value =
    lo.l2Term !== 0 ? `L = ${f(lo.dataTerm)} + ${f(lo.l2Term)} (L2) = **${f(lo.value)}**` : `L = **${f(lo.value)}**`;
  const out = [
    `**\`${lo.loss}\`** · ${esc(formula.text)}${stepNote(ctx)}`,
    '',
    value,
    '',
    `${esc(formula.gradText)}`,
    '',
  ];
  out.push(
    unitTables(ctx, [
      [`a${sup(L)}`, s.forward[L - 1].a],
      ['t', s.target],
      [`∂L/∂a${sup(L)}`, lo.dA],
    ]),
  );
  if (lo.fused) out.push('', `δ${sup(L)} is computed from z${sup(L)} directly for this activation and loss.`);
  if (ctx.trace.steps.length > 1) {
    const first = ctx.trace.steps.loss(1),
      lastLoss = ctx.trace.steps.loss(ctx.trace.steps.length);
    out.push('', `Loss over ${ctx.trace.steps.length} steps: ${f(first)} → ${f(lastLoss)}`);
  }
  return out.join('\n');
}

/** The parts of an ExpectationResult a hover needs (data only: it may have come from a worker). */
export type CheckedExpectation = Pick<
  ExpectationResult,
  'expectation' | 'symbol' | 'cells' | 'computed' | 'shapeError' | 'error' | 'ok'
>;

/** Over one hand-derived number: what was expected, what the engine computed, and the verdict. */
export function expectHover(r: CheckedExpectation, row: number, col: number, format: NumberFormat): string {
  const f = (x: number) => esc(fmt(x, format));
  const e = r.expectation;
  const idx = writtenIndex(e, row, col);
  const head = `**${esc(r.symbol)}${idx}** · hand-derived value${e.step !== 1 ? ` at step ${e.step}` : ''}`;
  if (r.error) return `${head}\n\n✗ ${esc(r.error)}`;
  if (r.shapeError) {
    const out = [head, '', `✗ ${esc(r.shapeError)}`];
    if (r.computed?.length) {
      const rows = r.computed.length,
        cols = r.computed[0]?.length ?? 0;
      out.push(
        '',
        'Computed:',
        '',
        matrixTable({ rows, cols, data: Float64Array.from(r.computed.flat()) }, format, 'row'),
      );
    }
    return out.join('\n');
  }
  const c = r.cells.find((x) => x.row === row && x.col === col);
  if (!c) return head;
  const tolerance =
    e.toleranceMode === 'scaled' ? `${f(e.tolerance)} × max(1, ${esc('|computed|')}) = ${f(c.allowed)}` : f(c.allowed);
  // Arithmetic is shown as written, and the computed value in the same form when it has one.
  const asWritten = (text: string | undefined, x: number) => (text ? `${esc(showHand(text))} = ${f(x)}` : f(x));
  const rows = [
    ['expected (yours)', asWritten(c.written, c.expected)],
    ['computed', `**${asWritten(c.computedWritten, c.computed)}**`],
    [esc('|expected − computed|'), c.diff === 0 ? '0' : esc(fmt(c.diff, format))],
    ['tolerance', tolerance],
  ];
  const verdict = c.ok ? '✓ matches' : `✗ does not match: the engine computed ${f(c.computed)}`;
  return [head, '', table(['', 'value'], rows, ['l', 'r']), '', verdict].join('\n');
}
