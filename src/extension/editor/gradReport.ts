/**
 * The Check Gradients report: every checked parameter's analytic gradient (backprop) beside the
 * central difference (L(θ+ε) − L(θ−ε)) / 2ε, as a Markdown document. Pure (no `vscode`).
 */
import { GradCheckResult } from '../../engine/gradcheck';
import { formatErrorSize, sup } from '../../engine/numberFormat';
import { Model } from '../../model/types';
import { esc, fmt, NumberFormat, table } from './markdown';
import { weightLabel } from './hoverContent';

/** Rows beyond this are summarised (the failures are always listed). */
export const MAX_REPORT_ROWS = 500;

export function gradCheckMarkdown(model: Model, gc: GradCheckResult, format: NumberFormat, fileName: string): string {
  const f = (x: number) => esc(fmt(x, format));
  const e10 = formatErrorSize;
  const title = `# Gradient check: ${esc(model.name || fileName)}`;
  // Refused or not run: the reason is the report.
  if (gc.refused || gc.notRun) return [title, '', `**Not run.** ${esc(gc.refused ?? gc.notRun ?? '')}`, ''].join('\n');
  const verdict = gc.cancelled ? '⏹ cancelled' : gc.ok ? '✓ passed' : '✗ FAILED';
  const failures = gc.entries.filter((e) => !e.ok).length;
  const out = [
    title,
    '',
    `**${verdict}** · ${gc.checked}${gc.checked < gc.total ? ` of ${gc.total} (an evenly spaced sample)` : ''} parameters · ` +
      `${failures} failing${gc.kinks ? ` · ${gc.kinks} not differentiable there (at a kink: not compared)` : ''} · ` +
      `max relative error ${e10(gc.maxRelError)} · max absolute error ${e10(gc.maxAbsError)} · ε = ${gc.epsilon}`,
    '',
    'Analytic: ∂L/∂θ from the traced backward pass (step 1). Numeric: the central difference (L(θ + ε) − L(θ − ε)) / 2ε. ' +
      'Relative error: |analytic − numeric| / max(|analytic|, |numeric|). A parameter whose θ ± ε crosses a kink ' +
      '(relu at z = 0) has no derivative there to compare: it is marked ∠ with where the kink is.',
    '',
  ];
  const shown =
    gc.entries.length <= MAX_REPORT_ROWS
      ? gc.entries
      : [...gc.entries.filter((e) => !e.ok), ...gc.entries.filter((e) => e.ok)].slice(0, MAX_REPORT_ROWS);
  const rows = shown.map((e) => [
    e.param === 'W' ? weightLabel(model, e.layer, e.i, e.j) : `b${sup(e.layer)}[${e.i + 1}]`,
    f(e.analytic),
    f(e.numeric),
    e10(e.absError),
    e10(e.relError),
    e.kink ? `∠ ${esc(e.kink)}` : e.ok ? '✓' : '✗',
  ]);
  out.push(
    table(['parameter', 'analytic', 'numeric', '|error|', 'relative', ''], rows, ['l', 'r', 'r', 'r', 'r', 'l']),
  );
  if (shown.length < gc.entries.length)
    out.push('', `… and ${gc.entries.length - shown.length} more passing parameters (not listed).`);
  return out.join('\n') + '\n';
}
