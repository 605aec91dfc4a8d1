/**
 * The equation of every trace event, with symbols and then with the numbers substituted, as
 * text and as LaTeX — the worked tables of the lecture notes, produced on demand so that
 * recording a trace stays cheap.
 *
 * Orientation follows the file's convention: out_in writes vectors as columns (z = W a + b,
 * a batch is one column per example); in_out writes them as rows (z = a W + b, one row each).
 */
import { Matrix, transpose } from '../engine/tensor';
import { sup } from '../engine/numberFormat';
import { eventTitle, LayerInfo, Trace, TraceEvent } from '../engine/trace';
import { activation } from '../engine/activations';
import { LossName, OptimizerSpec } from '../engine/network';
import { EquationOptions, grad, join, p, Part, prose, Rendered, Renderer, sym } from './render';
import { convGradientLines, forwardLines, inputGradientLine, kindText, upstream } from './layerEquations';

export type { EquationOptions, Rendered };

export interface EventEquations {
  /** e.g. "Forward, layer 2". */
  readonly title: string;
  /** Each line: symbols = numbers = result. */
  readonly lines: readonly Rendered[];
}

/** The optimizer with its hyperparameters, named as in the equations: "SGD, α = 0.01". */
export function describeOptimizer(o: OptimizerSpec): string {
  switch (o.type) {
    case 'sgd':
      return `SGD, α = ${o.lr}`;
    case 'momentum':
      return `momentum, α = ${o.lr}, μ = ${o.momentum}`;
    case 'adam':
      return `Adam, α = ${o.lr}, β₁ = ${o.beta1}, β₂ = ${o.beta2}, ε = ${o.eps}`;
  }
}

export function equationsFor(trace: Trace, e: TraceEvent, options: EquationOptions = {}): EventEquations {
  const r = new Renderer(options);
  const step = trace.steps.get(e.step);
  const L = step.forward.length;
  const lines: Rendered[] = [];
  const eq = p('=');
  const aPrevSym = (l: number) => sym('a', l - 1);
  const aPrevVal = (l: number) => (l === 1 ? step.input : step.forward[l - 2].a);
  const info = (l: number): LayerInfo | undefined => trace.layers?.[l - 1];
  const kind = (l: number) => info(l)?.type ?? 'dense';

  switch (e.kind) {
    case 'forward': {
      const here = info(e.layer);
      if (here && here.type !== 'dense') {
        lines.push(...forwardLines(r, step, e.layer, here));
        break;
      }
      const f = step.forward[e.layer - 1];
      const u = step.update[e.layer - 1];
      const l = e.layer;
      const prod = r.colMajor ? [sym('W', l), aPrevSym(l)] : [aPrevSym(l), sym('W', l)];
      const prodVal = r.colMajor ? [r.weights(u.W), r.batch(aPrevVal(l))] : [r.batch(aPrevVal(l)), r.weights(u.W)];
      lines.push(
        join(sym('z', l), eq, ...prod, p('+'), sym('b', l), eq, ...prodVal, p('+'), r.vector(u.b), eq, r.batch(f.z)),
      );
      const name = f.activation;
      lines.push(
        join(sym('a', l), eq, p(`σ(z${sup(l)})`, `\\sigma(z^{${l}})`), eq, apply(name, r.batch(f.z)), eq, r.batch(f.a)),
      );
      break;
    }
    case 'loss': {
      const lo = step.loss;
      const A = r.value(step.forward[L - 1].a),
        T = r.batch(step.target);
      const [symbolic, substituted, gradSym] =
        lo.loss === 'hinge' || lo.loss === 'max_margin'
          ? marginLines(r, lo.loss, L, step.forward[L - 1].a, step.target, lo.margin ?? 1)
          : lossLines(lo.loss, L, A, T);
      lines.push(join(symbolic, eq, substituted, eq, r.num(lo.dataTerm)));
      if (lo.l2Term !== 0) {
        lines.push(
          join(
            p('L = L_data + λ Σ W²', 'L = L_{\\text{data}} + \\lambda \\sum W^2'),
            eq,
            r.num(lo.dataTerm),
            p('+'),
            r.num(lo.l2Term),
            eq,
            r.num(lo.value),
          ),
        );
      }
      lines.push(join(grad(sym('a', L)), eq, gradSym, eq, r.value(lo.dA)));
      break;
    }
    case 'backward': {
      const l = e.layer;
      const b = step.backward[l - 1];
      const f = step.forward[l - 1];
      const d = sym('δ', l);
      const dl = p(d.text, `\\delta^{${l}}`);
      if (l === L && step.loss.fused) {
        const N = step.target.rows,
          K = step.target.cols;
        const denom = step.loss.loss === 'cross_entropy' ? `N` : `NK`;
        const n = step.loss.loss === 'cross_entropy' ? N : N * K;
        const A = r.batch(f.a),
          T = r.batch(step.target);
        lines.push(
          join(
            dl,
            eq,
            p(`(a${sup(L)} − t) / ${denom}`, `\\frac{a^{${L}} - t}{${denom}}`),
            eq,
            p(`(${A.text} − ${T.text}) / ${n}`, `\\left(${A.latex} - ${T.latex}\\right) / ${n}`),
            eq,
            r.batch(b.delta),
          ),
        );
      } else {
        const above = info(l + 1);
        const dA =
          l === L
            ? { s: grad(sym('a', L)), v: [r.value(b.dA)] }
            : above && above.type !== 'dense'
              ? { s: upstream(l, above), v: [r.value(b.dA)] }
              : r.colMajor
                ? {
                    s: p(`(W${sup(l + 1)})ᵀ δ${sup(l + 1)}`, `(W^{${l + 1}})^{\\top} \\delta^{${l + 1}}`),
                    v: [r.weightsT(step.update[l].W), r.batch(step.backward[l].delta)],
                  }
                : {
                    s: p(`δ${sup(l + 1)} (W${sup(l + 1)})ᵀ`, `\\delta^{${l + 1}} (W^{${l + 1}})^{\\top}`),
                    v: [r.batch(step.backward[l].delta), r.weightsT(step.update[l].W)],
                  };
        if (b.sigmaPrime) {
          lines.push(
            join(
              dl,
              eq,
              dA.s,
              p('⊙', '\\odot'),
              p(`σ'(z${sup(l)})`, `\\sigma'(z^{${l}})`),
              eq,
              ...dA.v,
              p('⊙', '\\odot'),
              r.value(b.sigmaPrime),
              eq,
              r.value(b.delta),
            ),
          );
          const a = activation(f.activation);
          lines.push(join(p(a.derivativeFormula.text, a.derivativeFormula.latex)));
        } else {
          lines.push(
            join(
              dl,
              eq,
              p(`J_softmax(z${sup(l)})ᵀ ·`, `J_{\\text{softmax}}(z^{${l}})^{\\top}`),
              dA.s,
              eq,
              p('(diag(p) − ppᵀ)', '(\\operatorname{diag}(p) - p p^{\\top})'),
              ...dA.v,
              eq,
              r.batch(b.delta),
            ),
          );
        }
      }
      const here = info(l);
      if (here && here.type !== 'dense') {
        if (here.type === 'conv2d') lines.push(...convGradientLines(r, step, l, here, trace.l2));
        else lines.push(join(prose(`no parameters: ${kindText(here)} has no W or b`)));
        if (l === 1) lines.push(inputGradientLine(r, step, here));
        break;
      }
      const gW = grad(sym('W', l));
      const reg = trace.l2 !== 0 ? [p(`+ 2λW${sup(l)}`, `+ 2\\lambda W^{${l}}`)] : [];
      const outer = r.colMajor
        ? p(`δ${sup(l)} (a${sup(l - 1)})ᵀ`, `\\delta^{${l}} (a^{${l - 1}})^{\\top}`)
        : p(`(a${sup(l - 1)})ᵀ δ${sup(l)}`, `(a^{${l - 1}})^{\\top} \\delta^{${l}}`);
      const outerVal = r.colMajor
        ? [r.batch(b.delta), r.raw(aPrevVal(l))]
        : [r.raw(transpose(aPrevVal(l))), r.batch(b.delta)];
      lines.push(join(gW, eq, outer, ...reg, eq, ...(reg.length ? [] : outerVal.concat(eq)), r.weights(b.dW)));
      const sumNote =
        step.input.rows > 1 ? p(`Σₙ δ${sup(l)}`, `\\sum_n \\delta^{${l}}`) : p(`δ${sup(l)}`, `\\delta^{${l}}`);
      lines.push(join(grad(sym('b', l)), eq, sumNote, eq, r.vector(b.db)));
      if (l === 1) {
        const gx = r.colMajor
          ? p('(W¹)ᵀ δ¹', '(W^{1})^{\\top} \\delta^{1}')
          : p('δ¹ (W¹)ᵀ', '\\delta^{1} (W^{1})^{\\top}');
        lines.push(join(grad(p('x')), eq, gx, eq, r.batch(step.inputGrad)));
      }
      break;
    }
    case 'update': {
      const l = e.layer;
      const u = step.update[l - 1];
      const b = step.backward[l - 1];
      if (trace.parameterCounts[l - 1] === 0) {
        lines.push(
          join(
            prose(
              `no parameters: ${kindText(info(l) ?? { type: kind(l), activation: 'identity', inShape: [], outShape: [] })} has nothing to update`,
            ),
          ),
        );
        break;
      }
      // A conv2d's kernels are never re-oriented: a row per output channel whatever the convention.
      const weights = (m: Matrix) => (kind(l) === 'conv2d' ? r.raw(m) : r.weights(m));
      const o = trace.optimizer;
      const lr = r.num(o.lr);
      const pairs: [string, Part, Part, Part, Part | null, Part | null][] = [
        [
          'W',
          weights(u.W),
          weights(b.dW),
          weights(u.WNext),
          stateOf(u.state, 'v_W', r, weights),
          stateOf(u.state, 'm_W', r, weights),
        ],
        ['b', r.vector(u.b), r.vector(b.db), r.vector(u.bNext), stateOf(u.state, 'v_b', r), stateOf(u.state, 'm_b', r)],
      ];
      for (const [name, before, g, after, v, m] of pairs) {
        const P = sym(name, l),
          P1 = sym(name, l, true),
          G = grad(P);
        if (o.type === 'sgd') {
          lines.push(join(P1, eq, P, p('−', '-'), p('α', '\\alpha'), G, eq, before, p('−', '-'), lr, g, eq, after));
        } else if (o.type === 'momentum') {
          lines.push(join(p('v'), eq, p(`μ v + ${G.text}`, `\\mu v + ${G.latex}`), eq, v!));
          lines.push(join(P1, eq, P, p('−', '-'), p('α v', '\\alpha v'), eq, before, p('−', '-'), lr, v!, eq, after));
        } else {
          lines.push(
            join(p('m'), eq, p(`β₁ m + (1 − β₁) ${G.text}`, `\\beta_1 m + (1 - \\beta_1) ${G.latex}`), eq, m!),
          );
          lines.push(
            join(
              p('v'),
              eq,
              p(`β₂ v + (1 − β₂) (${G.text})²`, `\\beta_2 v + (1 - \\beta_2) \\left(${G.latex}\\right)^2`),
              eq,
              v!,
            ),
          );
          lines.push(
            join(
              P1,
              eq,
              P,
              p('−', '-'),
              p(
                `α m̂ / (√v̂ + ε), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), t = ${e.step}`,
                `\\alpha \\frac{\\hat m}{\\sqrt{\\hat v} + \\epsilon},\\ \\hat m = \\frac{m}{1 - \\beta_1^{t}},\\ \\hat v = \\frac{v}{1 - \\beta_2^{t}},\\ t = ${e.step}`,
              ),
              eq,
              after,
            ),
          );
        }
      }
      break;
    }
  }
  return { title: eventTitle(e), lines };
}

/** f(x) with the argument glued to the name: `sigmoid((1, 2))`. */
function apply(name: string, arg: Part): Part {
  return p(`${name}(${arg.text})`, `\\operatorname{${name.replace(/_/g, '\\_')}}\\left(${arg.latex}\\right)`);
}

/** Terms written out before the rest is elided: a batch's margins would fill the page. */
const MAX_TERMS = 6;

/**
 * The margin losses with their terms written out, max(0, 1 − a_y + a_j) per example and class
 * (hinge) or max(0, Δ − s + s_c) per pair (max_margin), and ∂L/∂a^L with symbols.
 */
function marginLines(
  r: Renderer,
  loss: 'hinge' | 'max_margin',
  L: number,
  a: Matrix,
  t: Matrix,
  margin: number,
): [Part, Part, Part] {
  const n = a.rows,
    k = a.cols,
    A = a.data,
    T = t.data;
  const m = r.num(margin);
  const terms: Part[] = [];
  let count = 0;
  const term = (hi: number, lo: number) => {
    if (count++ >= MAX_TERMS) return;
    const h = r.num(hi),
      l = r.num(lo);
    const minus = lo < 0 ? p(`(${l.text})`, `(${l.latex})`) : l;
    terms.push(
      p(`max(0, ${m.text} − ${h.text} + ${minus.text})`, `\\max(0,\\ ${m.latex} - ${h.latex} + ${minus.latex})`),
    );
  };
  const sum = (): Part => {
    const more = count > MAX_TERMS ? [p('…', '\\cdots')] : [];
    const all = [...terms, ...more];
    return p(all.map((x) => x.text).join(' + '), all.map((x) => x.latex).join(' + '));
  };
  const a_ = `a${sup(L)}`,
    al = `a^{${L}}`;
  if (loss === 'hinge') {
    for (let i = 0; i < n; i++) {
      let y = 0;
      for (let j = 1; j < k; j++) if (T[i * k + j] > T[i * k + y]) y = j;
      for (let j = 0; j < k; j++) if (j !== y) term(A[i * k + y], A[i * k + j]);
    }
    const S = sum();
    return [
      p(
        `L = (1/NK) Σₙ Σ_{j≠yₙ} max(0, ${m.text} − ${a_}_y + ${a_}_j)`,
        `L = \\frac{1}{NK} \\sum_n \\sum_{j \\ne y_n} \\max(0,\\ ${m.latex} - ${al}_{y_n} + ${al}_j)`,
      ),
      p(`(1/${n * k}) [${S.text}]`, `\\frac{1}{${n * k}} \\left[${S.latex}\\right]`),
      p(
        `(1/NK) per active margin: +1 at j, −1 at y (0 at the hinge)`,
        `\\frac{1}{NK} \\textstyle\\sum_{\\text{active}} (e_j - e_{y_n})`,
      ),
    ];
  }
  const pairs = Math.floor(n / 2);
  for (let q = 0; q < pairs; q++) for (let j = 0; j < k; j++) term(A[2 * q * k + j], A[(2 * q + 1) * k + j]);
  const S = sum();
  return [
    p(
      `J = (1/P) Σ_pairs max(0, ${m.text} − s + s_c), s = ${a_} of the true window, s_c of the corrupted`,
      `J = \\frac{1}{P} \\sum_{\\text{pairs}} \\max(0,\\ ${m.latex} - s + s_c)`,
    ),
    p(`(1/${pairs * k}) [${S.text}]`, `\\frac{1}{${pairs * k}} \\left[${S.latex}\\right]`),
    p(`−1/P at s, +1/P at s_c where the margin is active (0 at the hinge)`, `\\mp \\frac{1}{P} \\text{ where active}`),
  ];
}

/** The loss with symbols, with the numbers substituted, and ∂L/∂a^L with symbols. */
function lossLines(loss: Exclude<LossName, 'hinge' | 'max_margin'>, L: number, A: Part, T: Part): [Part, Part, Part] {
  const a = `a${sup(L)}`,
    al = `a^{${L}}`;
  switch (loss) {
    case 'sse':
      return [
        p(`L = Σ (${a} − t)²`, `L = \\sum (${al} - t)^2`),
        p(`Σ (${A.text} − ${T.text})²`, `\\sum \\left(${A.latex} - ${T.latex}\\right)^2`),
        p(`2(${a} − t)`, `2(${al} - t)`),
      ];
    case 'half_sse':
      return [
        p(`L = ½ Σ (${a} − t)²`, `L = \\tfrac{1}{2} \\sum (${al} - t)^2`),
        p(`½ Σ (${A.text} − ${T.text})²`, `\\tfrac{1}{2} \\sum \\left(${A.latex} - ${T.latex}\\right)^2`),
        p(`${a} − t`, `${al} - t`),
      ];
    case 'mse':
      return [
        p(`L = (1/NK) Σ (${a} − t)²`, `L = \\frac{1}{NK} \\sum (${al} - t)^2`),
        p(`(1/NK) Σ (${A.text} − ${T.text})²`, `\\frac{1}{NK} \\sum \\left(${A.latex} - ${T.latex}\\right)^2`),
        p(`2(${a} − t) / NK`, `\\frac{2(${al} - t)}{NK}`),
      ];
    case 'cross_entropy':
      return [
        p(`L = −(1/N) Σ t log ${a}`, `L = -\\frac{1}{N} \\sum t \\log ${al}`),
        p(`−(1/N) Σ ${T.text} log ${A.text}`, `-\\frac{1}{N} \\sum ${T.latex} \\log ${A.latex}`),
        p(`−t / (N ${a})`, `-\\frac{t}{N ${al}}`),
      ];
    case 'binary_cross_entropy':
      return [
        p(
          `L = −(1/NK) Σ [t log ${a} + (1 − t) log(1 − ${a})]`,
          `L = -\\frac{1}{NK} \\sum \\left[t \\log ${al} + (1 - t) \\log(1 - ${al})\\right]`,
        ),
        p(
          `−(1/NK) Σ [t log a + (1 − t) log(1 − a)], a = ${A.text}, t = ${T.text}`,
          `-\\frac{1}{NK} \\sum \\left[t \\log a + (1 - t) \\log(1 - a)\\right],\\ a = ${A.latex},\\ t = ${T.latex}`,
        ),
        p(`(${a} − t) / (${a}(1 − ${a}) NK)`, `\\frac{${al} - t}{${al}(1 - ${al})\\,NK}`),
      ];
  }
}

function stateOf(
  state: Readonly<Record<string, Matrix | Float64Array>>,
  key: string,
  r: Renderer,
  weights?: (m: Matrix) => Part,
): Part | null {
  const s = state[key];
  if (!s) return null;
  return weights ? weights(s as Matrix) : r.vector(s as Float64Array);
}
