// The offsets of the last analysis that ran, followed through later edits (src/extension/lastGood.ts):
// each expectation is the text edited by hand, the offsets counted in it.
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { LastGood } from '../../../src/extension/lastGood';
import type { DocumentAnalysis } from '../../../src/extension/store';

/** A change event's entry: `rangeLength` characters at `rangeOffset` replaced by `text`. */
function change(rangeOffset: number, rangeLength: number, text: string): vscode.TextDocumentContentChangeEvent {
  return { rangeOffset, rangeLength, text } as vscode.TextDocumentContentChangeEvent;
}

/** Applies changes of one event to a text the way VS Code does (all offsets refer to the text before). */
function apply(text: string, changes: vscode.TextDocumentContentChangeEvent[]): string {
  for (const c of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset))
    text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
  return text;
}

describe('editor: the last analysis that ran, through later edits', () => {
  const analysed = 'target: [2, 3]\nW: [[1, 2, -3]]\n';
  const good = () => new LastGood({} as DocumentAnalysis);

  it('a deleted "]" above: every later offset moves left by one, both ways', () => {
    const g = good();
    const events = [[change(13, 1, '')]];
    let text = analysed;
    for (const e of events) {
      g.edited(e);
      text = apply(text, e);
    }
    assert.equal(text, 'target: [2, 3\nW: [[1, 2, -3]]\n');
    const two = analysed.indexOf('2,');
    assert.equal(g.toCurrent(two), text.indexOf('2,'));
    assert.equal(g.toAnalysed(text.indexOf('2,')), two);
    assert.equal(g.toCurrent(5), 5, 'before the edit: unchanged');
    assert.equal(g.changed, true);
  });

  it('typed text has no place in the analysed text; deleted text none in the current one', () => {
    const g = good();
    g.edited([change(9, 1, '42')]); // "2" → "42"
    assert.equal(g.toAnalysed(9), undefined);
    assert.equal(g.toAnalysed(10), undefined);
    assert.equal(g.toAnalysed(11), 10, 'the "," after the number');
    assert.equal(g.toCurrent(10), 11);
  });

  it('several changes in one event (multi-cursor), in either order, and several events', () => {
    const g = good();
    const e1 = [change(0, 0, '# a\n'), change(15, 0, '  ')];
    const e2 = [change(2, 1, 'bc')];
    let text = analysed;
    for (const e of [e1, e2]) {
      g.edited(e);
      text = apply(text, e);
    }
    assert.equal(text, '# bc\ntarget: [2, 3]\n  W: [[1, 2, -3]]\n');
    for (const needle of ['target', '[2', 'W:', '-3'])
      assert.equal(g.toCurrent(analysed.indexOf(needle)), text.indexOf(needle), needle);
    for (const needle of ['target', '[2', 'W:', '-3'])
      assert.equal(g.toAnalysed(text.indexOf(needle)), analysed.indexOf(needle), needle);
  });
});
