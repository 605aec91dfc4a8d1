import { analyze } from '../analysis/analyze';
import { Io } from './io';
import { printDiagnostics } from './diagnostics';
import { formatNumber } from '../engine/numberFormat';

export interface CheckOptions {
  readonly epsilon?: number;
  readonly verbose: boolean;
  readonly color: boolean;
}

export function runCheck(file: string, text: string, o: CheckOptions, io: Io): number {
  const a = analyze(text, { fileName: file, gradcheck: o.epsilon ? { epsilon: o.epsilon } : true });
  printDiagnostics(
    file,
    a.diagnostics.filter((d) => o.verbose || d.severity !== 'info'),
    io,
    o.color,
  );
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = a.diagnostics.filter((d) => d.severity === 'warning').length;
  const parts: string[] = [];
  if (a.trace) {
    const cells = a.expectations.flatMap((r) => r.cells);
    const wrong = cells.filter((c) => !c.ok).length + a.expectations.filter((r) => r.shapeError || r.error).length;
    if (a.expectations.length)
      parts.push(`hand-derived values: ${cells.length - cells.filter((c) => !c.ok).length} right, ${wrong} wrong`);
    if (a.gradcheck) {
      const g = a.gradcheck;
      parts.push(
        `gradient check ${g.ok ? 'passed' : 'FAILED'}: ${g.checked}${g.checked < g.total ? ` of ${g.total}` : ''} parameters, max relative error ${g.maxRelError.toExponential(1)} (ε = ${g.epsilon})`,
      );
    }
    const n = a.trace.steps.length;
    if (n) parts.push(`loss ${formatNumber(a.trace.steps.loss(n), 10)} at step ${n}`);
  }
  io.out(
    `${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${parts.length ? `; ${parts.join('; ')}` : ''}\n`,
  );
  return errors > 0 ? 1 : 0;
}
