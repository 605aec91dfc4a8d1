import { analyze } from '../analysis/analyze';
import { traceToJsonText } from '../report/json';
import { renderWorked, WorkedFormat } from '../report/worked';
import { widths } from '../engine/network';
import { Io } from './io';
import { printDiagnostics } from './diagnostics';

export interface TraceOptions {
  readonly steps?: number;
  readonly format: 'json' | WorkedFormat;
  readonly digits?: number;
  readonly color: boolean;
}

export function runTrace(file: string, text: string, o: TraceOptions, io: Io): number {
  const a = analyze(text, { fileName: file, steps: o.steps });
  if (!a.model || !a.trace) {
    printDiagnostics(file, a.diagnostics, io, o.color);
    return 1;
  }
  const m = a.model;
  if (o.format === 'json') {
    io.out(traceToJsonText(a.trace, { name: m.name, convention: m.convention, batchLayout: m.batchLayout }) + '\n');
  } else {
    io.out(
      renderWorked(
        a.trace,
        {
          name: m.name,
          convention: m.convention,
          widths: widths(m.spec),
          activations: m.spec.layers.map((l) => l.activation),
          loss: m.spec.loss,
          digits: o.digits,
        },
        o.format,
        o.color && o.format === 'table',
      ),
    );
  }
  // Findings go to stderr so that stdout stays a clean JSON/Markdown/LaTeX document. `trace`
  // succeeds whenever it traced: judging the hand-derived values is `check`'s job.
  printDiagnostics(
    file,
    a.diagnostics.filter((d) => d.severity !== 'info'),
    io,
    o.color,
    true,
  );
  return 0;
}
