/**
 * The equation of every trace event, with symbols and then with the numbers substituted, as
 * text and as LaTeX — the worked tables of the lecture notes, produced on demand so that
 * recording a trace stays cheap.
 *
 * Orientation follows the file's convention: out_in writes vectors as columns (z = W a + b,
 * a batch is one column per example); in_out writes them as rows (z = a W + b, one row each).
 */
import { Matrix, transpose } from '../engine/tensor';
import { formatNumber, NumberStyle, sup } from '../engine/numberFormat';
import { eventTitle, Trace, TraceEvent } from '../engine/trace';
import { activation } from '../engine/activations';
import { LossName, OptimizerSpec } from '../engine/network';

export interface EquationOptions {
  readonly convention?: 'out_in' | 'in_out';
  /** Significant digits (default 6). */
  readonly digits?: number;
  /** backprop.numberFormat (default auto): numbers are written as in every other view. */
  readonly style?: NumberStyle;
  /** Rows/columns shown before eliding with … (default 8). */
  readonly maxEntries?: number;
}

/** Text and LaTeX of the same thing. */
export interface Rendered {
  readonly text: string;
  readonly latex: string;
}

export interface EventEquations {
  /** e.g. "Forward, layer 2". */
  readonly title: string;
  /** Each line: symbols = numbers = result. */
  readonly lines: readonly Rendered[];
}

type Part = Rendered;
const p = (text: string, latex = text): Part => ({ text, latex });
const join = (...parts: Part[]): Rendered => ({
  text: parts.map((x) => x.text).join(' '),
  latex: parts.map((x) => x.latex).join(' '),
});

export class Renderer {
  readonly colMajor: boolean;
  readonly digits: number;
  readonly style: NumberStyle;
  readonly max: number;
  constructor(o: EquationOptions) {
    this.colMajor = (o.convention ?? 'out_in') === 'out_in';
    this.digits = o.digits ?? 6;
    this.style = o.style ?? 'auto';
    this.max = o.maxEntries ?? 8;
  }
  num(x: number): Part {
    const s = formatNumber(x, this.digits, this.style);
    const latex = Number.isNaN(x)
      ? '\\mathrm{NaN}'
      : s.replace('−', '-').replace('∞', '\\infty').replace('e', '\\mathrm{e}');
    return p(s, latex);
  }
  /** A matrix exactly as displayed (no re-orientation). */
  raw(m: Matrix): Part {
    const rows = this.pick(m.rows),
      cols = this.pick(m.cols);
    const cell = (i: number, j: number) => (i < 0 || j < 0 ? null : this.num(m.data[i * m.cols + j]));
    if (m.rows === 1 || m.cols === 1) {
      const idx = m.rows === 1 ? cols : rows;
      const vals = idx.map((k) => (k < 0 ? null : m.rows === 1 ? cell(0, k) : cell(k, 0)));
      const text = `(${vals.map((v) => v?.text ?? '…').join(', ')})`;
      const sep = m.rows === 1 ? ' & ' : ' \\\\ ';
      const latex = `\\begin{pmatrix} ${vals.map((v) => v?.latex ?? (m.rows === 1 ? '\\cdots' : '\\vdots')).join(sep)} \\end{pmatrix}`;
      return p(text, latex);
    }
    const text = `[${rows.map((i) => (i < 0 ? '…' : `[${cols.map((j) => cell(i, j)?.text ?? '…').join(', ')}]`)).join(', ')}]`;
    const latex = `\\begin{pmatrix} ${rows.map((i) => cols.map((j) => (i < 0 ? (j < 0 ? '\\ddots' : '\\vdots') : (cell(i, j)?.latex ?? '\\cdots'))).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
    return p(text, latex);
  }
  /** A batch quantity (examples as rows in the engine) in the convention's orientation. */
  batch(m: Matrix): Part {
    return this.raw(this.colMajor ? transpose(m) : m);
  }
  /** A weight matrix (out × in in the engine) in the convention's orientation. */
  weights(m: Matrix): Part {
    return this.raw(this.colMajor ? m : transpose(m));
  }
  /** W's transpose as used in δ = Wᵀ δ (out_in) or δ Wᵀ (in_out). */
  weightsT(m: Matrix): Part {
    return this.raw(this.colMajor ? transpose(m) : m);
  }
  vector(v: Float64Array): Part {
    return this.raw({ rows: this.colMajor ? v.length : 1, cols: this.colMajor ? 1 : v.length, data: v });
  }
  private pick(n: number): number[] {
    if (n <= this.max) return Array.from({ length: n }, (_, i) => i);
    const head = Math.ceil((this.max - 1) / 2),
      tail = this.max - 1 - head;
    return [...Array.from({ length: head }, (_, i) => i), -1, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
  }
}

const sym = (name: string, l: number | string, prime = false): Part =>
  p(`${name}${sup(l)}${prime ? "'" : ''}`, `${name}^{${l}}${prime ? "{}'" : ''}`);
const grad = (of: Part): Part => p(`∂L/∂${of.text}`, `\\frac{\\partial L}{\\partial ${of.latex}}`);

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

  switch (e.kind) {
    case 'forward': {
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
      const A = r.batch(step.forward[L - 1].a),
        T = r.batch(step.target);
      const [symbolic, substituted, gradSym] = lossLines(lo.loss, L, A, T);
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
      lines.push(join(grad(sym('a', L)), eq, gradSym, eq, r.batch(lo.dA)));
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
        const dA =
          l === L
            ? { s: grad(sym('a', L)), v: [r.batch(b.dA)] }
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
              r.batch(b.sigmaPrime),
              eq,
              r.batch(b.delta),
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
      const o = trace.optimizer;
      const lr = r.num(o.lr);
      const pairs: [string, Part, Part, Part, Part | null, Part | null][] = [
        [
          'W',
          r.weights(u.W),
          r.weights(b.dW),
          r.weights(u.WNext),
          stateOf(u.state, 'v_W', r, true),
          stateOf(u.state, 'm_W', r, true),
        ],
        [
          'b',
          r.vector(u.b),
          r.vector(b.db),
          r.vector(u.bNext),
          stateOf(u.state, 'v_b', r, false),
          stateOf(u.state, 'm_b', r, false),
        ],
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

/** The loss with symbols, with the numbers substituted, and ∂L/∂a^L with symbols. */
function lossLines(loss: LossName, L: number, A: Part, T: Part): [Part, Part, Part] {
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
  isW: boolean,
): Part | null {
  const s = state[key];
  if (!s) return null;
  return isW ? r.weights(s as Matrix) : r.vector(s as Float64Array);
}
