/**
 * Offsets ↔ LSP-style positions. Lines break at \n, \r\n and a lone \r, as VS Code counts them,
 * and columns are UTF-16 code units (JavaScript string indices), so a range built here is the
 * range the editor shows.
 */
import { Position, SourceRange } from './types';

export class LineTable {
  /** Offset of the first character of each line. */
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * Clamps the offset into the text, so every position built here lies within it; an offset
   * between the \r and \n of a line break moves back onto the \r (the end of its line).
   */
  position(offset: number): Position {
    let o = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    if (o > 0 && this.text.charCodeAt(o) === 10 && this.text.charCodeAt(o - 1) === 13) o--;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo], offset: o };
  }

  range(start: number, end: number): SourceRange {
    const s = this.position(start);
    const e = this.position(Math.max(start, end));
    return { start: s, end: e };
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset just past the line's text (before its line break). */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let e = this.starts[line + 1];
    if (e > 0 && this.text.charCodeAt(e - 1) === 10) e--;
    if (e > 0 && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  /** Offset of the start of the line after `offset`'s line, or the text's end. */
  nextLineStart(offset: number): number {
    const p = this.position(offset);
    return p.line + 1 < this.starts.length ? this.starts[p.line + 1] : this.text.length;
  }

  /** True when the offset's line ends with a line break. */
  hasLineBreakAfter(offset: number): boolean {
    return this.position(offset).line + 1 < this.starts.length;
  }
}
