/**
 * `backprop check`: validate, run, check the hand-derived values and the gradients; print every
 * finding as FILE:LINE:COL (or, with --format json, one JSON object), then a summary line.
 */
import { Analysis } from '../analysis/analyze';
import { GradCheckResult } from '../engine/gradcheck';
import { formatNumber } from '../engine/numberFormat';
import { ModelDiagnostic } from '../model/types';
import { UsageError } from './args';
import { analyzeModelFile, Io } from './io';
import { printDiagnostics } from './diagnostics';

export interface CheckOptions {
  /** From --epsilon; undefined: the file's gradcheck.epsilon (default 1e-4). */
  readonly epsilon?: number;
  readonly verbose: boolean;
  readonly color: boolean;
  readonly format: 'text' | 'json';
}

interface Summary {
  readonly errors: number;
  readonly warnings: number;
  readonly expectations?: { readonly right: number; readonly wrong: number };
  readonly gradcheck?: GradCheckResult;
  readonly loss?: { readonly value: number; readonly step: number };
}

function summarise(a: Analysis): Summary {
  const count = (s: ModelDiagnostic['severity']) => a.diagnostics.filter((d) => d.severity === s).length;
  const cells = a.expectations.flatMap((r) => r.cells);
  const wrongCells = cells.filter((c) => !c.ok).length;
  const n = a.trace?.steps.length ?? 0;
  const last = a.trace && n ? { value: a.trace.steps.loss(n), step: n } : undefined;
  return {
    errors: count('error'),
    warnings: count('warning'),
    ...(a.expectations.length
      ? {
          expectations: {
            right: cells.length - wrongCells,
            wrong: wrongCells + a.expectations.filter((r) => r.shapeError || r.error).length,
          },
        }
      : {}),
    ...(a.gradcheck ? { gradcheck: a.gradcheck } : {}),
    ...(last ? { loss: last } : {}),
  };
}

function gradcheckText(g: GradCheckResult): string {
  if (g.notRun) return g.notRun;
  if (g.refused) return `gradient check not run: ε = ${g.epsilon} cannot work for this model (see above)`;
  const of = g.checked < g.total ? ` of ${g.total}` : '';
  const kinks = g.kinks ? `, ${g.kinks} not differentiable there (at a kink: not compared)` : '';
  return `gradient check ${g.ok ? 'passed' : 'FAILED'}: ${g.checked}${of} parameters${kinks}, max relative error ${g.maxRelError.toExponential(1)} (ε = ${g.epsilon})`;
}

function summaryLine(file: string, s: Summary): string {
  const parts: string[] = [];
  if (s.expectations) parts.push(`hand-derived values: ${s.expectations.right} right, ${s.expectations.wrong} wrong`);
  if (s.gradcheck) parts.push(gradcheckText(s.gradcheck));
  if (s.loss) parts.push(`loss ${formatNumber(s.loss.value, 10)} at step ${s.loss.step}`);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${file}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}${parts.length ? `; ${parts.join('; ')}` : ''}`;
}

/** The findings as one JSON object: 1-based lines and columns, as the text form prints them. */
function checkJson(file: string, shown: readonly ModelDiagnostic[], s: Summary): string {
  const g = s.gradcheck;
  return JSON.stringify(
    {
      file,
      errors: s.errors,
      warnings: s.warnings,
      diagnostics: shown.map((d) => ({
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: d.severity,
        code: d.code,
        message: d.message,
        ...(d.fix?.kind === 'replace_expected' ? { replacement: d.fix.text } : {}),
      })),
      expectations: s.expectations ?? null,
      gradientCheck: g
        ? {
            ok: g.ok,
            epsilon: g.epsilon,
            checked: g.checked,
            total: g.total,
            notDifferentiable: g.kinks,
            failed: g.entries.filter((e) => !e.ok).length,
            maxRelativeError: g.maxRelError,
            ...(g.refused ? { refused: g.refused } : {}),
            ...(g.notRun ? { notRun: g.notRun } : {}),
          }
        : null,
      loss: s.loss ?? null,
    },
    null,
    2,
  );
}

export function runCheck(file: string, o: CheckOptions, io: Io): number {
  const a = analyzeModelFile(file, { gradcheck: o.epsilon !== undefined ? { epsilon: o.epsilon } : true });
  // An ε from the command line that cannot work for this model is wrong usage, with the reason.
  if (o.epsilon !== undefined && a.gradcheck?.refused)
    throw new UsageError(`--epsilon ${o.epsilon} cannot work here: ${a.gradcheck.refused}`, false);
  const shown = a.diagnostics.filter((d) => o.verbose || d.severity !== 'info');
  const s = summarise(a);
  if (o.format === 'json') io.out(checkJson(file, shown, s) + '\n');
  else {
    printDiagnostics(file, shown, io, o.color);
    io.out(summaryLine(file, s) + '\n');
  }
  return s.errors > 0 ? 1 : 0;
}
