/**
 * The equations of the layer kinds beyond dense, in the notes' style: a convolution's z = W ⋆ a + b
 * with one output cell written out, δ^(l−1) = δ^l ∗ rot180(W) (full convolution), ∂L/∂W = a ⋆ δ
 * with one kernel entry written out; a pooling's window and where its δ went; flatten's reshape.
 * Image values are shown as example 1's channels.
 */
import { Matrix, shapeOf } from '../engine/tensor';
import { sup } from '../engine/numberFormat';
import { LayerInfo, StepRecord } from '../engine/trace';
import { grad, join, p, Part, prose, Rendered, Renderer, sym, texShape } from './render';

/** Terms of a sum written out before the rest is elided. */
const MAX_TERMS = 9;

const eq = p('=');
const pairText = (x: readonly [number, number] | undefined): string =>
  !x ? '1' : x[0] === x[1] ? String(x[0]) : `(${x[0]}, ${x[1]})`;

/** The network as a chain of shapes and layers: 1×3×3 → conv2d 2@2×2 relu → 2×2×2 → … */
export function networkText(inShape: readonly number[], layers: readonly LayerInfo[]): string {
  const parts = [shape(inShape)];
  for (const info of layers) {
    const k =
      info.type === 'conv2d'
        ? `conv2d ${info.outShape[0]}@${info.kernel?.[0]}×${info.kernel?.[1]}`
        : info.type === 'maxpool2d' || info.type === 'avgpool2d'
          ? `${info.type} ${info.kernel?.[0]}×${info.kernel?.[1]}`
          : info.type;
    parts.push(
      `${k}${info.activation !== 'identity' || info.type === 'dense' ? ` ${info.activation}` : ''}`,
      shape(info.outShape),
    );
  }
  return parts.join(' → ');
}

/** "conv2d, 2 filters 2×2, stride 1, padding 0". */
export function kindText(info: LayerInfo): string {
  switch (info.type) {
    case 'conv2d':
      return `conv2d, ${info.outShape[0]} filter${info.outShape[0] === 1 ? '' : 's'} ${info.kernel?.[0]}×${info.kernel?.[1]}, stride ${pairText(info.stride)}, padding ${pairText(info.padding)}`;
    case 'maxpool2d':
    case 'avgpool2d':
      return `${info.type} ${info.kernel?.[0]}×${info.kernel?.[1]}, stride ${pairText(info.stride)}`;
    case 'flatten':
      return 'flatten';
    case 'dense':
      return 'dense';
  }
}

const shape = (s: readonly number[]): string => s.join('×');

/** A sum of products (or of plain terms) with the tail elided. */
function sum(terms: Part[], total: number): Part {
  const shown = terms.slice(0, MAX_TERMS);
  const more = total > shown.length ? [p('…', '\\cdots')] : [];
  const all = [...shown, ...more];
  return p(all.map((x) => x.text).join(' + '), all.map((x) => x.latex).join(' + '));
}

function times(r: Renderer, a: number, b: number): Part {
  const x = r.num(a),
    y = r.num(b);
  const paren = (v: Part, n: number) => (n < 0 ? p(`(${v.text})`, `(${v.latex})`) : v);
  return p(`${paren(x, a).text}·${paren(y, b).text}`, `${paren(x, a).latex} \\cdot ${paren(y, b).latex}`);
}

/** The value entering layer l: the input for l = 1. */
function input(step: StepRecord, l: number): Matrix {
  return l === 1 ? step.input : step.forward[l - 2].a;
}

/** z and a = σ(z) of a conv2d, pooling or flatten layer, with one output cell written out. */
export function forwardLines(r: Renderer, step: StepRecord, l: number, info: LayerInfo): Rendered[] {
  const f = step.forward[l - 1];
  const x = input(step, l);
  const N = x.rows;
  const of = N > 1 ? ` (example 1 of ${N})` : '';
  const zl = sym('z', l),
    al = sym('a', l);
  const lines: Rendered[] = [];
  const [C, H, W] = info.inShape;
  if (info.type === 'flatten') {
    lines.push(
      join(
        al,
        eq,
        p(
          `flatten(a${sup(l - 1)}): ${shape(info.inShape)} → ${info.outShape[0]}, channel by channel, row by row`,
          `\\operatorname{flatten}(a^{${l - 1}})`,
        ),
        eq,
        r.value(f.a),
      ),
    );
    return lines;
  }
  const [kh, kw] = info.kernel ?? [1, 1];
  const [ph, pw] = info.padding ?? [0, 0];
  // The first output cell of example 1, channel 1: where the notes start.
  const terms: Part[] = [];
  let count = 0;
  const at = (c: number, y: number, xx: number) => x.data[((0 * C + c) * H + y) * W + xx];
  if (info.type === 'conv2d') {
    const Wt = step.update[l - 1].W;
    const b = step.update[l - 1].b;
    for (let c = 0; c < C; c++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++) {
          const y = i - ph,
            xx = j - pw;
          if (y < 0 || y >= H || xx < 0 || xx >= W) continue; // the padding's zeros add nothing
          if (count++ < MAX_TERMS) terms.push(times(r, Wt.data[((0 * C + c) * kh + i) * kw + j], at(c, y, xx)));
        }
    lines.push(
      join(
        zl,
        eq,
        p(`W${sup(l)} ⋆ a${sup(l - 1)} + b${sup(l)}`, `W^{${l}} \\star a^{${l - 1}} + b^{${l}}`),
        p(
          `(cross-correlation of ${shape(shapeOf(Wt).slice(0))} kernels with ${shape(info.inShape)}, stride ${pairText(info.stride)}, padding ${pairText(info.padding)} → ${shape(info.outShape)})`,
          `\\quad (${texShape(shapeOf(Wt))} \\text{ kernels on } ${texShape(info.inShape)} \\to ${texShape(info.outShape)})`,
        ),
      ),
    );
    lines.push(
      join(
        p(`z${sup(l)}[1][1][1]`, `z^{${l}}_{1,1,1}`),
        eq,
        p(
          `Σ_c Σ_i Σ_j W${sup(l)}[1][c][i][j] a${sup(l - 1)}[c][i][j] + b${sup(l)}[1]`,
          `\\sum_{c,i,j} W^{${l}}_{1,c,i,j}\\, a^{${l - 1}}_{c,i,j} + b^{${l}}_1`,
        ),
        eq,
        sum(terms, count),
        p('+'),
        b[0] < 0 ? p(`(${r.num(b[0]).text})`, `(${r.num(b[0]).latex})`) : r.num(b[0]),
        eq,
        r.num(f.z.data[0]),
      ),
    );
  } else {
    const max = info.type === 'maxpool2d';
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) terms.push(r.num(at(0, i, j)));
    const name = max ? 'max' : 'mean';
    lines.push(
      join(
        zl,
        eq,
        p(
          `${info.type}(a${sup(l - 1)}): each ${kh}×${kw} window, stride ${pairText(info.stride)}, channel by channel (${shape(info.inShape)} → ${shape(info.outShape)})`,
          `\\operatorname{${max ? 'maxpool' : 'avgpool'}}_{${kh}\\times ${kw}}(a^{${l - 1}})`,
        ),
      ),
    );
    const list = p(terms.map((t) => t.text).join(', '), terms.map((t) => t.latex).join(',\\ '));
    lines.push(
      join(
        p(`z${sup(l)}[1][1][1]`, `z^{${l}}_{1,1,1}`),
        eq,
        p(`${name}(`, `\\${max ? 'max' : 'operatorname{mean}'}(`),
        list,
        p(')'),
        eq,
        r.num(f.z.data[0]),
      ),
    );
    if (max)
      lines.push(join(prose(`the first maximum of each window in row-major order wins; δ goes back to it alone`)));
  }
  lines.push(join(of ? p(`z${sup(l)}${of}`, `z^{${l}}`) : zl, eq, r.value(f.z)));
  if (info.type === 'conv2d')
    lines.push(
      join(
        al,
        eq,
        p(`σ(z${sup(l)})`, `\\sigma(z^{${l}})`),
        p(`= ${f.activation}(z${sup(l)})`, `= \\operatorname{${f.activation.replace('_', '\\_')}}(z^{${l}})`),
        eq,
        r.value(f.a),
      ),
    );
  return lines;
}

/** ∂L/∂a^l as formed by layer l + 1 when it is not dense: its symbols and the value. */
export function upstream(l: number, above: LayerInfo): Part {
  const n = l + 1;
  switch (above.type) {
    case 'conv2d':
      return p(
        `δ${sup(n)} ∗ rot180(W${sup(n)}) (full convolution)`,
        `\\delta^{${n}} * \\operatorname{rot180}(W^{${n}})`,
      );
    case 'maxpool2d':
      return p(`δ${sup(n)} sent to each window's first maximum`, `\\delta^{${n}} \\to \\arg\\max`);
    case 'avgpool2d':
      return p(
        `δ${sup(n)} / ${(above.kernel?.[0] ?? 1) * (above.kernel?.[1] ?? 1)} spread over each window`,
        `\\delta^{${n}} / ${(above.kernel?.[0] ?? 1) * (above.kernel?.[1] ?? 1)}`,
      );
    case 'flatten':
      return p(`δ${sup(n)} reshaped to ${shape(above.inShape)}`, `\\operatorname{reshape}(\\delta^{${n}})`);
    case 'dense':
      return p(`(W${sup(n)})ᵀ δ${sup(n)}`, `(W^{${n}})^{\\top} \\delta^{${n}}`);
  }
}

/** ∂L/∂W and ∂L/∂b of a conv2d layer, with one kernel entry's sum written out. */
export function convGradientLines(r: Renderer, step: StepRecord, l: number, info: LayerInfo, l2: number): Rendered[] {
  const bw = step.backward[l - 1];
  const x = input(step, l);
  const [N, C, H, W] = shapeOf(x);
  const [O, Ho, Wo] = info.outShape;
  const [sh, sw] = info.stride ?? [1, 1];
  const [ph, pw] = info.padding ?? [0, 0];
  const d = bw.delta.data;
  // ∂L/∂W[1][1][1][1] = Σ_n Σ_y Σ_x δ[n][1][y][x] · a[n][1][y·sh − ph][x·sw − pw].
  const terms: Part[] = [];
  let count = 0;
  for (let n = 0; n < N; n++)
    for (let y = 0; y < Ho; y++)
      for (let xx = 0; xx < Wo; xx++) {
        const iy = y * sh - ph,
          ix = xx * sw - pw;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
        if (count++ < MAX_TERMS)
          terms.push(times(r, d[((n * O + 0) * Ho + y) * Wo + xx], x.data[((n * C + 0) * H + iy) * W + ix]));
      }
  const reg = l2 !== 0 ? [p(`+ 2λW${sup(l)}`, `+ 2\\lambda W^{${l}}`)] : [];
  const lines: Rendered[] = [
    join(
      grad(sym('W', l)),
      eq,
      p(
        `a${sup(l - 1)} ⋆ δ${sup(l)}${N > 1 ? ', summed over the examples' : ''}`,
        `a^{${l - 1}} \\star \\delta^{${l}}`,
      ),
      ...reg,
    ),
    join(
      p(`∂L/∂W${sup(l)}[1][1][1][1]`, `\\frac{\\partial L}{\\partial W^{${l}}_{1,1,1,1}}`),
      eq,
      p(
        `Σ_n Σ_y Σ_x δ${sup(l)}[n][1][y][x] a${sup(l - 1)}[n][1][(y−1)·sh − ph + 1][(x−1)·sw − pw + 1]`,
        `\\sum_{n,y,x} \\delta^{${l}}_{n,1,y,x}\\, a^{${l - 1}}_{n,1,(y-1) s_h - p_h + 1,\\, (x-1) s_w - p_w + 1}`,
      ),
      ...reg,
      eq,
      sum(terms, count),
      ...(reg.length
        ? [
            p(
              `+ 2λ·(${r.num(step.update[l - 1].W.data[0]).text})`,
              `+ 2\\lambda \\cdot (${r.num(step.update[l - 1].W.data[0]).latex})`,
            ),
          ]
        : []),
      eq,
      r.num(bw.dW.data[0]),
    ),
    join(grad(sym('W', l)), eq, r.weights(bw.dW), prose(`(${shape(shapeOf(bw.dW))}: a row per output channel)`)),
    join(
      grad(sym('b', l)),
      eq,
      p(`Σ δ${sup(l)} over examples and positions`, `\\sum_{n,y,x} \\delta^{${l}}`),
      eq,
      r.vector(bw.db),
    ),
  ];
  return lines;
}

/** ∂L/∂x of a first layer that is not dense. */
export function inputGradientLine(r: Renderer, step: StepRecord, info: LayerInfo): Rendered {
  return join(grad(p('x')), eq, upstream(0, info), eq, r.value(step.inputGrad));
}
