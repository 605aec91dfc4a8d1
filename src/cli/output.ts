/**
 * Writing a long trace out: text is gathered into chunks and written with back-pressure (a
 * chunk waits until the destination took the previous one), at least every few milliseconds so
 * that steps appear as they are produced. A failed write (the reader of a pipe went away, the
 * disk is full) becomes an OutputError, which the command turns into its exit status and one
 * line — never a stack trace.
 */
import type { Io } from './io';

/** Gathered text is written once it is this long, or this old. */
const CHUNK_CHARS = 64 * 1024;
const CHUNK_MS = 50;

export class OutputError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'OutputError';
  }

  /** The reader is gone (`| head`): nothing more to say; the run just ends. */
  get readerGone(): boolean {
    return this.code === 'EPIPE' || this.code === 'ERR_STREAM_DESTROYED';
  }

  /** The one line for stderr. */
  get line(): string {
    const why =
      this.code === 'ENOSPC'
        ? 'no space left on the device'
        : this.code === 'EDQUOT'
          ? 'the disk quota is exceeded'
          : this.message;
    return `backprop: cannot write the output: ${why}${this.code && !why.includes(this.code) ? ` (${this.code})` : ''}`;
  }
}

export function outputError(e: unknown): OutputError {
  if (e instanceof OutputError) return e;
  const err = e as NodeJS.ErrnoException;
  return new OutputError(typeof err?.code === 'string' ? err.code : undefined, err?.message ?? String(e));
}

export class Output {
  private pending = '';
  private since = Date.now();

  constructor(private readonly io: Io) {}

  /** Adds text; writes (and waits for the destination) when enough has gathered or time has passed. */
  async write(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= CHUNK_CHARS || Date.now() - this.since >= CHUNK_MS) await this.flush();
  }

  async flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    this.since = Date.now();
    if (!text) return;
    if (!this.io.write) {
      this.io.out(text);
      return;
    }
    try {
      await this.io.write(text);
    } catch (e) {
      throw outputError(e);
    }
  }
}
