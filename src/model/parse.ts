/**
 * parseModel: model-file text → Model + diagnostics with exact ranges. Data only: nothing in the
 * file is executed. Never throws: any failure, even an internal one, becomes a diagnostic.
 */
import { DEFAULT_LIMITS, Limits, ModelDiagnostic, ParseResult } from './types';
import { LineTable } from './positions';
import { parseJson } from './json';
import { parseYaml } from './yaml';
import { FrontEndResult } from './nodes';
import { Report } from './report';
import { buildModel } from './modelBuilder';
import { textProblem } from './encoding';

/** What a file over the size limit is told (the CLI says it before reading one). */
export function tooLargeMessage(maxBytes: number, bytes?: number): string {
  const size = bytes === undefined ? `larger than ${maxBytes} bytes` : `${bytes} bytes, above the limit of ${maxBytes}`;
  return `The file is ${size} (limits.maxBytes); it was not read`;
}

export interface ParseOptions {
  /** Picks the format from the extension (.json → JSON, anything else YAML) and names the model. */
  readonly fileName?: string;
  readonly format?: 'yaml' | 'json';
  readonly limits?: Partial<Limits>;
}

export function formatOf(fileName: string | undefined): 'yaml' | 'json' {
  return fileName !== undefined && /\.json$/i.test(fileName) ? 'json' : 'yaml';
}

/** UTF-8 length, stopping as soon as it passes `cap`. */
function utf8LengthOver(text: string, cap: number): number | undefined {
  if (text.length > cap) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
    if (n > cap) return n;
  }
  return undefined;
}

export function parseModel(text: string, options: ParseOptions = {}): ParseResult {
  const limits: Limits = { ...DEFAULT_LIMITS, ...definedOnly(options.limits) };
  const format = options.format ?? formatOf(options.fileName);
  const lines = new LineTable(typeof text === 'string' ? text : '');
  const at0 = lines.range(0, 0);
  if (typeof text !== 'string')
    return {
      diagnostics: [{ range: at0, severity: 'error', code: 'internal', message: 'The model text is not a string' }],
    };
  const over = utf8LengthOver(text, limits.maxBytes);
  if (over !== undefined)
    return {
      diagnostics: [
        {
          range: lines.range(0, lines.lineEnd(0)),
          severity: 'error',
          code: 'limit',
          message: tooLargeMessage(limits.maxBytes),
        },
      ],
    };
  const notText = textProblem(text);
  if (notText?.severity === 'error')
    return {
      diagnostics: [
        {
          range: lines.range(notText.span.start, notText.span.end),
          severity: 'error',
          code: notText.code,
          message: notText.message,
        },
      ],
    };
  try {
    const front: FrontEndResult = format === 'json' ? parseJson(text) : parseYaml(text);
    const problems = notText ? [notText, ...front.problems] : front.problems;
    const syntax: ModelDiagnostic[] = problems.map((p) => ({
      range: lines.range(p.span.start, p.span.end),
      severity: p.severity,
      code: p.code,
      message: p.message,
    }));
    const fatal = problems.some((p) => p.severity === 'error');
    if (!front.root && fatal) return { diagnostics: syntax };
    const report = new Report(text, lines, format);
    const model = buildModel(front.root, report, {
      limits,
      ...(options.fileName !== undefined ? { fileName: options.fileName } : {}),
    });
    const diagnostics = [...syntax, ...report.diagnostics()];
    if (!model && !diagnostics.some((d) => d.severity === 'error'))
      // Every way to fail says why; should one not, the file must not look fine.
      diagnostics.push({
        range: at0,
        severity: 'error',
        code: 'internal',
        message: 'Internal error while reading the model: it was not built, and no check said why',
      });
    return fatal || !model ? { diagnostics } : { model, diagnostics };
  } catch (e) {
    // A bug here must not take the editor down with it; say so at the top of the file.
    const message = e instanceof Error ? e.message : String(e);
    return {
      diagnostics: [
        {
          range: at0,
          severity: 'error',
          code: 'internal',
          message: `Internal error while reading the model: ${message}`,
        },
      ],
    };
  }
}

function definedOnly(p: Partial<Limits> | undefined): Partial<Limits> {
  if (!p) return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(p)) if (typeof v === 'number' && !Number.isNaN(v)) out[k] = v;
  return out;
}
