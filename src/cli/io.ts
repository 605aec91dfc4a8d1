/**
 * The CLI's contact with the outside: where it writes (an Io, so tests capture the output) and
 * how it reads a model file (refusing directories and oversized files before reading them).
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './args';
import { DEFAULT_LIMITS } from '../model/types';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
  /** Writes to stdout and resolves once the destination took it (back-pressure); rejects with the write's error. */
  write?(text: string): Promise<void>;
  /** Whether stderr is a terminal (then long runs show their progress there). */
  readonly errIsTTY?: boolean;
}

export function readModelFile(file: string): string {
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
  if (size > DEFAULT_LIMITS.maxBytes)
    throw new UsageError(`${file} is ${size} bytes; model files are limited to ${DEFAULT_LIMITS.maxBytes}`);
  return readFileSync(file, 'utf8');
}
