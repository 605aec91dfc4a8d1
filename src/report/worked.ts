/**
 * A worked solution — every event's equations with the numbers substituted — as terminal text,
 * Markdown or a standalone LaTeX document. One walk over the events, three dialects.
 */
import { equationsFor, EquationOptions } from './equations';
import { networkText } from './layerEquations';
import { eventsOfStep, Trace, TraceEvent } from '../engine/trace';
import { formatNumber, NumberFormat } from '../engine/numberFormat';
import { Convention, Model } from '../model/types';
import { widths } from '../engine/layers/registry';
import { ExpectationResult } from '../analysis/expect';
import { latexMath, latexText } from './latexText';
import type { LeastSquaresSolution } from '../analysis/leastSquares';
import { leastSquaresLines, stepDistance } from './leastSquaresText';

export interface WorkedContext {
  readonly name: string;
  readonly convention: Convention;
  readonly widths: readonly number[];
  readonly activations: readonly string[];
  readonly loss: string;
  readonly digits?: number;
  /** The user's number settings (the editor and the panel); wins over `digits`. */
  readonly format?: NumberFormat;
  /** Hand-derived values that disagree, keyed by `${step}:${kind}:${layer}`, shown under their event. */
  readonly remarks?: ReadonlyMap<string, readonly string[]>;
  /** Only these training steps (the panel exports the step it shows); default all. */
  readonly steps?: readonly number[];
  /** A linear-regression network's closed form: a section after the introduction, each step's distance to it. */
  readonly leastSquares?: LeastSquaresSolution;
}

export type WorkedFormat = 'table' | 'markdown' | 'latex';

/** The context of a model file's worked solution: its name, layout, widths, activations and loss. */
export function workedContext(
  model: Pick<Model, 'name' | 'convention' | 'spec'>,
  more: Pick<WorkedContext, 'digits' | 'format' | 'remarks' | 'steps' | 'leastSquares'> & {
    readonly name?: string;
  } = {},
): WorkedContext {
  return {
    name: model.name,
    convention: model.convention,
    widths: widths(model.spec),
    activations: model.spec.layers.map((l) => l.activation),
    loss: model.spec.loss,
    ...more,
  };
}

const PHASE: Record<TraceEvent['kind'], string> = {
  forward: 'Forward pass',
  loss: 'Loss',
  backward: 'Backward pass',
  update: 'Weight update',
};

export function remarkKey(e: TraceEvent): string {
  return `${e.step}:${e.kind}:${e.layer}`;
}

/** The wrong hand-derived values' messages, under the event that computes each value. */
export function expectationRemarks(results: readonly ExpectationResult[]): Map<string, string[]> {
  const remarks = new Map<string, string[]>();
  for (const x of results) {
    if (x.ok) continue;
    const k = remarkKey(x.at.event);
    const errors = x
      .diagnostics()
      .filter((d) => d.severity === 'error')
      .map((d) => d.message);
    remarks.set(k, [...(remarks.get(k) ?? []), ...errors]);
  }
  return remarks;
}

function describe(
  trace: Pick<Trace, 'optimizer' | 'l2' | 'totalParameters' | 'parameterCounts' | 'layers'>,
  ctx: WorkedContext,
): string[] {
  const opt = trace.optimizer;
  const optText =
    opt.type === 'sgd'
      ? `SGD, α = ${opt.lr}`
      : opt.type === 'momentum'
        ? `momentum SGD, α = ${opt.lr}, μ = ${opt.momentum}`
        : `Adam, α = ${opt.lr}, β₁ = ${opt.beta1}, β₂ = ${opt.beta2}, ε = ${opt.eps}`;
  const layers = trace.layers;
  const kinds = layers?.some((l) => l.type !== 'dense') ? layers : undefined;
  const net = kinds
    ? `Network ${networkText(kinds[0].inShape, kinds)}`
    : `Network ${ctx.widths.join('-')} (${ctx.activations.join(', ')})`;
  return [
    `${net}, loss ${ctx.loss}, ${optText}${trace.l2 ? `, L2 λ = ${trace.l2}` : ''}.`,
    `Convention ${ctx.convention === 'out_in' ? 'out_in: z = W a + b, W^l is n_l × n_(l−1)' : 'in_out: z = a W + b, W^l is n_(l−1) × n_l'}${kinds?.some((l) => l.type === 'conv2d') ? ' (dense layers); a conv2d W is out×in×kh×kw, z = W ⋆ a + b' : ''}; ${trace.totalParameters} parameters (${trace.parameterCounts.join(' + ')}).`,
  ];
}

/**
 * A worked solution in pieces — head, each step, tail — so that a long run can be written as it
 * is produced; renderWorked() joins them. `multiStep`: the run has several steps (each gets a heading).
 */
export class WorkedWriter {
  private readonly opts: EquationOptions;
  private readonly bold: (s: string) => string;
  private readonly dim: (s: string) => string;
  private readonly red: (s: string) => string;

  constructor(
    private readonly ctx: WorkedContext,
    private readonly format: WorkedFormat,
    color = false,
    private readonly multiStep = true,
  ) {
    this.opts = {
      convention: ctx.convention,
      digits: ctx.format?.digits ?? ctx.digits ?? 6,
      style: ctx.format?.style ?? 'auto',
    };
    this.bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
    this.dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
    this.red = (s: string) => (color ? `\x1b[31m${s}\x1b[0m` : s);
  }

  head(trace: Pick<Trace, 'optimizer' | 'l2' | 'totalParameters' | 'parameterCounts' | 'layers'>): string {
    const { ctx, format } = this;
    const intro = describe(trace, ctx);
    if (format === 'latex')
      return lines(
        // Compiles with pdflatex and the basic TeX Live packages: every character is spelt in ASCII (latexText.ts).
        '\\documentclass{article}',
        '\\usepackage{amsmath,amssymb}',
        '\\usepackage[margin=2cm]{geometry}',
        '\\setcounter{MaxMatrixCols}{20}',
        '\\allowdisplaybreaks',
        '\\begin{document}',
        `\\section*{Worked solution: ${latexText(ctx.name)}}`,
        ...intro.map((l) => `${latexText(l)}\n`),
        ...this.leastSquaresSection(),
      );
    if (format === 'markdown')
      return lines(`# Worked solution: ${markdownText(ctx.name)}`, '', ...intro, '', ...this.leastSquaresSection());
    return lines(this.bold(ctx.name), ...intro.map(this.dim), '', ...this.leastSquaresSection());
  }

  /** Lecture note 000's closed form, to compare gradient descent's steps with. */
  private leastSquaresSection(): string[] {
    const ls = this.ctx.leastSquares;
    if (!ls) return [];
    const eq = leastSquaresLines(ls, this.opts);
    const title = 'Least squares (closed form)';
    const note = 'Gradient descent should approach this optimum; each step gives its distance ‖θ − θ*‖ over W and b.';
    const warn = ls.warning ? [ls.warning] : [];
    if (this.format === 'latex')
      return [
        `\\subsection*{${title}}`,
        '\\begin{gather*}',
        eq.map((l) => latexMath(l.latex)).join(' \\\\\n'),
        '\\end{gather*}',
        `${latexText(note)}\n`,
        ...warn.map((w) => `\\textbf{Warning:} ${latexText(w)}\n`),
      ];
    if (this.format === 'markdown')
      return [
        `## ${title}`,
        '',
        ...eq.map((l) => `$$${l.latex}$$`),
        '',
        note,
        '',
        ...warn.map((w) => `> ⚠ ${markdownText(w)}\n`),
      ];
    return [this.bold(title), ...eq.map((l) => `    ${l.text}`), ...warn.map((w) => `    ${this.red(`⚠ ${w}`)}`), ''];
  }

  /** Every event of step n, with its equations and the remarks on it. */
  step(trace: Trace, n: number): string {
    const { format, bold, dim, red, opts } = this;
    const s = trace.steps.get(n);
    const out: string[] = [];
    if (this.multiStep || format === 'table') {
      const ls = this.ctx.leastSquares;
      const d = ls ? `‖θ − θ*‖ = ${formatNumber(stepDistance(ls, s.update[0]), opts.digits, opts.style)}` : '';
      const head = `Step ${n}: loss ${formatNumber(s.loss.value, opts.digits, opts.style)}`;
      out.push(
        format === 'latex'
          ? `\\subsection*{${latexText(d ? `${head}, ${d}` : head)}}`
          : format === 'markdown'
            ? `## ${head}${d ? `, ${d}` : ''}\n`
            : bold(`━━ ${head}${d ? ` · ${d}` : ''} ━━`),
      );
    }
    let phase = '';
    for (const e of eventsOfStep(n, s.forward.length)) {
      if (PHASE[e.kind] !== phase) {
        phase = PHASE[e.kind];
        out.push(
          format === 'latex'
            ? `\\subsubsection*{${phase}}`
            : format === 'markdown'
              ? `### ${phase}\n`
              : bold(`${phase}`),
        );
      }
      const eq = equationsFor(trace, e, opts);
      const remarks = this.ctx.remarks?.get(remarkKey(e)) ?? [];
      if (format === 'latex') {
        out.push(
          `\\paragraph{${latexText(eq.title)}}`,
          '\\begin{gather*}',
          eq.lines.map((l) => latexMath(l.latex)).join(' \\\\\n'),
          '\\end{gather*}',
        );
        for (const r of remarks) out.push(`\\textbf{Check:} ${latexText(r)}\n`);
      } else if (format === 'markdown') {
        out.push(`**${eq.title}**`, '', ...eq.lines.map((l) => `$$${l.latex}$$`), '');
        for (const r of remarks) out.push(`> ✗ ${markdownText(r)}`, '');
      } else {
        out.push(`  ${dim(eq.title)}`, ...eq.lines.map((l) => `    ${l.text}`));
        for (const r of remarks) out.push(`    ${red(`✗ ${r}`)}`);
      }
    }
    return lines(...out);
  }

  tail(trace: Pick<Trace, 'stoppedEarly'>): string {
    const out: string[] = [];
    if (trace.stoppedEarly)
      out.push(this.format === 'latex' ? `\\textbf{${latexText(trace.stoppedEarly)}}` : `**${trace.stoppedEarly}**`);
    if (this.format === 'latex') out.push('\\end{document}');
    return lines(...out);
  }
}

/** Lines as text, each ending in a newline (so that pieces join into the whole). */
function lines(...ls: string[]): string {
  return ls.map((l) => `${l}\n`).join('');
}

export function renderWorked(trace: Trace, ctx: WorkedContext, format: WorkedFormat, color = false): string {
  const w = new WorkedWriter(ctx, format, color, trace.steps.length > 1);
  const n = trace.steps.length;
  const steps = ctx.steps
    ? [...new Set(ctx.steps)].filter((s) => s >= 1 && s <= n).sort((a, b) => a - b)
    : Array.from({ length: n }, (_, i) => i + 1);
  return w.head(trace) + steps.map((s) => w.step(trace, s)).join('') + w.tail(trace);
}

/** Prose in Markdown whose `$` would otherwise open math (KaTeX in the preview) and `*`, `_` emphasis. */
export function markdownText(s: string): string {
  return s.replace(/([\\$*_`])/g, '\\$1');
}
