/** The quick fix for a layer with W but no b: a `b` of zeros, written where the file's style puts it. */
import { FixData } from './types';
import { MapEntry, MapNode } from './nodes';
import { Report } from './report';

export function addBiasFix(report: Report, layer: MapNode, WE: MapEntry, n: number): FixData {
  const { lines, text } = report;
  const zeros = '[' + new Array<string>(n).fill('0').join(', ') + ']';
  const valueEnd = WE.value.end;
  if (report.format === 'json') {
    const multiLine = lines.position(layer.start).line !== lines.position(WE.keySpan.start).line;
    const keyCol = lines.position(WE.keySpan.start - 1).character;
    const insert = multiLine ? `,\n${' '.repeat(keyCol)}"b": ${zeros}` : `, "b": ${zeros}`;
    return { kind: 'add_bias', text: insert, insertAt: lines.position(valueEnd) };
  }
  if (layer.flow) return { kind: 'add_bias', text: `, b: ${zeros}`, insertAt: lines.position(valueEnd) };
  const keyCol = lines.position(WE.keySpan.start).character;
  const line = `${' '.repeat(keyCol)}b: ${zeros}\n`;
  if (lines.hasLineBreakAfter(valueEnd))
    return { kind: 'add_bias', text: line, insertAt: lines.position(lines.nextLineStart(valueEnd)) };
  return { kind: 'add_bias', text: '\n' + line.slice(0, -1), insertAt: lines.position(text.length) };
}
