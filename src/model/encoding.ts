/**
 * Is this text a model file at all? A UTF-16 file read as UTF-8 (a NUL after every character), a
 * binary file (NULs and control bytes) or a file in another 8-bit encoding (bytes UTF-8 cannot
 * read, decoded as U+FFFD) gets one short sentence at the first telling character, instead of a
 * parser's complaint about 4 KB of its bytes.
 */
import { Span } from './nodes';

export interface TextProblem {
  readonly span: Span;
  readonly message: string;
  readonly code: 'encoding' | 'binary';
  /** An error stops the read; a warning (a stray U+FFFD, which a comment may hold) does not. */
  readonly severity: 'error' | 'warning';
}

/** Characters looked at: enough to tell, cheap on a 64 MB file. */
const SAMPLE = 8192;
const REPLACEMENT = 0xfffd;

/** Control characters that no YAML or JSON text holds (tab, line feed and carriage return are fine). */
function isControl(c: number): boolean {
  return (c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f;
}

export function textProblem(text: string): TextProblem | undefined {
  const n = Math.min(text.length, SAMPLE);
  let nulEven = 0,
    nulOdd = 0,
    firstNul = -1,
    firstControl = -1,
    firstBad = -1,
    bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
      if (firstNul < 0) firstNul = i;
    } else if (isControl(c)) {
      if (firstControl < 0) firstControl = i;
    } else if (c === REPLACEMENT) {
      bad++;
      if (firstBad < 0) firstBad = i;
    }
  }
  const at = (i: number): Span => ({ start: i, end: i + 1 });
  // UTF-16 read as UTF-8: its byte-order mark becomes two U+FFFD, and every ASCII character
  // brings a NUL, all on the same parity.
  const bom16 =
    text.charCodeAt(0) === REPLACEMENT && text.charCodeAt(1) === REPLACEMENT && firstNul >= 0 && firstNul < 4;
  if (bom16 || (firstNul >= 0 && Math.max(nulEven, nulOdd) > n / 4 && Math.min(nulEven, nulOdd) < n / 64))
    return {
      span: { start: 0, end: 0 },
      message:
        'This file is UTF-16 (a NUL byte after every character): save it as UTF-8, which model files are read as',
      code: 'encoding',
      severity: 'error',
    };
  const binary = firstNul >= 0 ? firstNul : firstControl;
  if (binary >= 0)
    return {
      span: at(binary),
      message: `This is not a text file: it holds binary data (byte 0x${text.charCodeAt(binary).toString(16).padStart(2, '0')} here); a model file is YAML or JSON text`,
      code: 'binary',
      severity: 'error',
    };
  if (bad > 0)
    return {
      span: at(firstBad),
      message:
        bad > n / 8
          ? 'This is not a text file: most of its bytes are not UTF-8; a model file is YAML or JSON text'
          : 'This file is not UTF-8 here (a byte UTF-8 cannot read, perhaps Latin-1 or Windows-1252): save it as UTF-8',
      code: bad > n / 8 ? 'binary' : 'encoding',
      severity: bad > n / 8 ? 'error' : 'warning',
    };
  return undefined;
}
