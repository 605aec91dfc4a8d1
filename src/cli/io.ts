/**
 * The CLI's contact with the outside: where it writes (an Io, so tests capture the output) and
 * how it reads a model file (refusing directories, and oversized files before reading them).
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './args';
import { DEFAULT_LIMITS, ModelDiagnostic } from '../model/types';
import { tooLargeMessage } from '../model/parse';
import { analyze, Analysis, AnalyzeOptions } from '../analysis/analyze';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
  /** Writes to stdout and resolves once the destination took it (back-pressure); rejects with the write's error. */
  write?(text: string): Promise<void>;
  /** Whether stderr is a terminal (then long runs show their progress there). */
  readonly errIsTTY?: boolean;
}

/** The file's text, or the diagnostic that stands for it (a file over the size limit is the model's problem, not the command line's). */
export type ModelText = { readonly text: string } | { readonly diagnostic: ModelDiagnostic };

export function readModelFile(file: string): ModelText {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new UsageError(`${file} is a directory, not a model file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  if (size > DEFAULT_LIMITS.maxBytes) {
    const at = { line: 0, character: 0, offset: 0 };
    return {
      diagnostic: {
        range: { start: at, end: at },
        severity: 'error',
        code: 'limit',
        message: tooLargeMessage(DEFAULT_LIMITS.maxBytes, size),
      },
    };
  }
  return { text: readFileSync(file, 'utf8') };
}

/** The one pipeline on a file: its diagnostic alone when it could not be read. */
export function analyzeModelFile(file: string, options: Omit<AnalyzeOptions, 'fileName'>): Analysis {
  const m = readModelFile(file);
  return 'text' in m
    ? analyze(m.text, { ...options, fileName: file })
    : { expectations: [], diagnostics: [m.diagnostic] };
}
