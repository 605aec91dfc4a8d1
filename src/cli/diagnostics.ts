import { ModelDiagnostic } from '../model/types';
import { Io } from './io';

/** `FILE:LINE:COL: error|warning: message`, 1-based, as compilers print them. */
export function formatDiagnostic(file: string, d: ModelDiagnostic, color = false): string {
  const sev = d.severity === 'info' ? 'note' : d.severity;
  const paint = !color
    ? sev
    : sev === 'error'
      ? `\x1b[1;31m${sev}\x1b[0m`
      : sev === 'warning'
        ? `\x1b[1;33m${sev}\x1b[0m`
        : `\x1b[1;36m${sev}\x1b[0m`;
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${paint}: ${d.message}`;
}

export function printDiagnostics(
  file: string,
  diagnostics: readonly ModelDiagnostic[],
  io: Io,
  color: boolean,
  toErr = false,
): void {
  const write = (text: string) => (toErr ? io.err(text) : io.out(text));
  for (const d of diagnostics) write(formatDiagnostic(file, d, color) + '\n');
}
