/**
 * The last analysis of a document that produced a trace, kept while later versions do not (a
 * syntax error mid-edit), with the edits made since: so the panel, hovers and CodeLens can go on
 * showing its numbers, marked stale, at the places those numbers now sit in the text.
 */
import type * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';

/** One replacement in the text: `removed` characters at `offset` became `inserted` characters. */
interface Edit {
  readonly offset: number;
  readonly removed: number;
  readonly inserted: number;
}

/** Beyond this many edits the offsets are no longer followed (the numbers are still shown in the panel). */
const MAX_EDITS = 10_000;

export class LastGood {
  private edits: Edit[] | null = [];

  constructor(readonly result: DocumentAnalysis) {}

  /** Records a change event of the document (its changes all refer to the text before the event). */
  edited(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    if (!this.edits) return;
    // From the end of the text backwards, each change leaves the offsets of the others valid.
    const ordered = [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset);
    for (const c of ordered)
      this.edits.push({ offset: c.rangeOffset, removed: c.rangeLength, inserted: c.text.length });
    if (this.edits.length > MAX_EDITS) this.edits = null;
  }

  /** Whether the document has been edited since this analysis. */
  get changed(): boolean {
    return this.edits === null || this.edits.length > 0;
  }

  /** An offset in the current text → the same place in the analysed text (undefined: typed since). */
  toAnalysed(offset: number): number | undefined {
    if (!this.edits) return undefined;
    let x = offset;
    for (let k = this.edits.length - 1; k >= 0; k--) {
      const e = this.edits[k];
      if (x >= e.offset + e.inserted) x += e.removed - e.inserted;
      else if (x >= e.offset) return undefined;
    }
    return x;
  }

  /** An offset in the analysed text → the same place in the current text (undefined: deleted since). */
  toCurrent(offset: number): number | undefined {
    if (!this.edits) return undefined;
    let x = offset;
    for (const e of this.edits) {
      if (x >= e.offset + e.removed) x += e.inserted - e.removed;
      else if (x > e.offset) return undefined;
    }
    return x;
  }
}
