/**
 * How the equations write values: numbers to a number of significant digits, matrices and
 * vectors as text and LaTeX in the convention's orientation (out_in: vectors are columns), large
 * ones elided with …, images channel by channel.
 */
import { Matrix, shapeOf, transpose } from '../engine/tensor';
import { formatNumber, NumberStyle, sup } from '../engine/numberFormat';
import { latexText } from './latexText';

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

export type Part = Rendered;
export const p = (text: string, latex = text): Part => ({ text, latex });
export const join = (...parts: Part[]): Rendered => ({
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
  /**
   * One example of an image batch (N×C×H×W, or a C×H×W kernel's out row), channel by channel:
   * [c1: [[…]], c2: [[…]]]; channels beyond maxEntries are elided.
   */
  image(m: Matrix, example = 0): Part {
    const [, C, H, W] = shapeOf(m);
    const channels = this.pick(C).map((c) =>
      c < 0
        ? p('…', '\\cdots')
        : this.raw({
            rows: H,
            cols: W,
            data: m.data.subarray((example * C + c) * H * W, (example * C + c + 1) * H * W),
          }),
    );
    return p(
      `[${channels.map((x, i) => (x.text === '…' ? '…' : `c${i + 1}: ${x.text}`)).join(', ')}]`,
      `\\left( ${channels.map((x) => x.latex).join(',\\ ')} \\right)`,
    );
  }
  /** A batch quantity of any kind: images as example 1's channels, everything else as batch(). */
  value(m: Matrix): Part {
    return shapeOf(m).length === 4 ? this.image(m) : this.batch(m);
  }
  private pick(n: number): number[] {
    if (n <= this.max) return Array.from({ length: n }, (_, i) => i);
    const head = Math.ceil((this.max - 1) / 2),
      tail = this.max - 1 - head;
    return [...Array.from({ length: head }, (_, i) => i), -1, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
  }
}

export const sym = (name: string, l: number | string, prime = false): Part =>
  p(`${name}${sup(l)}${prime ? "'" : ''}`, `${name}^{${l}}${prime ? "{}'" : ''}`);
export const grad = (of: Part): Part => p(`∂L/∂${of.text}`, `\\frac{\\partial L}{\\partial ${of.latex}}`);

/** Symbols a line of words writes as math, in LaTeX: KaTeX (the panel) has no \ensuremath inside \text. */
const PROSE_MATH: Readonly<Record<string, string>> = {
  δ: '\\delta',
  σ: '\\sigma',
  Σ: '\\Sigma',
  '×': '\\times',
  '→': '\\to',
  '⋆': '\\star',
  '∗': '\\ast',
  '⊙': '\\odot',
  '∂': '\\partial',
  ᵀ: '^{\\top}',
  ...Object.fromEntries([...'⁰¹²³⁴⁵⁶⁷⁸⁹'].map((c, i) => [c, `^{${i}}`])),
};

/**
 * A line of words among the equations: as it is in text; in LaTeX its words in \text{} (so spaces
 * and letters stay words) and its symbols as math, which both KaTeX and pdflatex read.
 */
export function prose(text: string): Part {
  let latex = '',
    run = '';
  const flush = () => {
    if (run) latex += `\\text{${latexText(run)}}`;
    run = '';
  };
  for (const ch of text) {
    const m = PROSE_MATH[ch];
    if (m === undefined) run += ch;
    else {
      flush();
      latex += `{${m}}`;
    }
  }
  flush();
  return p(text, latex);
}

/** A shape such as 2×1×2×2 in LaTeX's math. */
export const texShape = (s: readonly number[]): string => s.join(' \\times ');
