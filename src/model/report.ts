/**
 * The diagnostics of one parse, collected as offsets and turned into editor ranges at the end, so
 * that a later check can still improve one (the schema says b is missing; the shapes know how many).
 */
import { FixData, ModelDiagnostic, Severity, SourceRange } from './types';
import { Span } from './nodes';
import { LineTable } from './positions';

export interface Draft {
  readonly span: Span;
  readonly severity: Severity;
  readonly code: string;
  message: string;
  fix?: FixData;
}

export class Report {
  private readonly drafts: Draft[] = [];
  private errorCount = 0;

  constructor(
    readonly text: string,
    readonly lines: LineTable,
    readonly format: 'yaml' | 'json',
  ) {}

  get errors(): number {
    return this.errorCount;
  }

  add(span: Span, severity: Severity, code: string, message: string, fix?: FixData): Draft {
    if (severity === 'error') this.errorCount++;
    const d: Draft = { span, severity, code, message, ...(fix ? { fix } : {}) };
    this.drafts.push(d);
    return d;
  }

  error(span: Span, code: string, message: string, fix?: FixData): Draft {
    return this.add(span, 'error', code, message, fix);
  }

  warn(span: Span, code: string, message: string): Draft {
    return this.add(span, 'warning', code, message);
  }

  range(s: Span): SourceRange {
    return this.lines.range(s.start, s.end);
  }

  /** The first line of a node, from a block sequence item's `- `: where "missing key" errors go. */
  head(n: Span): Span {
    const line = this.lines.position(n.start).line;
    let start = n.start;
    let i = start - 1;
    while (i >= 0 && this.text[i] === ' ') i--;
    if (i >= 0 && this.text[i] === '-' && this.lines.position(i).line === line) start = i;
    return { start, end: Math.max(start, Math.min(n.end, this.lines.lineEnd(line))) };
  }

  diagnostics(): ModelDiagnostic[] {
    return this.drafts.map((d) => ({
      range: this.range(d.span),
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...(d.fix ? { fix: d.fix } : {}),
    }));
  }
}
