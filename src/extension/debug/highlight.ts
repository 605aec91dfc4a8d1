/**
 * While a backprop session is stopped, the lines of the layer being computed (or the loss line)
 * are highlighted like the stopped line, so the whole layer stands out; the adapter's stack frames
 * carry only the first line, since a frame's range would become a selection typing could replace.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import { programUri } from './host';

export function registerLayerHighlight(type: string): vscode.Disposable {
  const decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.stackFrameHighlightBackground'),
  });
  let shown: { uri: string; range: vscode.Range } | undefined;
  const paint = () => {
    for (const e of vscode.window.visibleTextEditors) {
      e.setDecorations(decoration, shown && e.document.uri.toString() === shown.uri ? [shown.range] : []);
    }
  };
  const clear = () => {
    shown = undefined;
    paint();
  };
  const show = async (session: vscode.DebugSession) => {
    try {
      const p = (await session.customRequest('backprop/position')) as { line: number; endLine: number };
      if (typeof session.configuration.program !== 'string') return;
      // The first line has the debugger's own highlight; the rest of the layer gets the same colour.
      shown =
        p.endLine > p.line
          ? {
              uri: programUri(session.configuration.program).toString(),
              range: new vscode.Range(p.line, 0, p.endLine - 1, 0),
            }
          : undefined;
      paint();
    } catch {
      clear();
    }
  };
  return vscode.Disposable.from(
    decoration,
    vscode.debug.registerDebugAdapterTrackerFactory(type, {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
          if (m.type !== 'event') return;
          const e = (m as DebugProtocol.Event).event;
          if (e === 'stopped' || e === 'invalidated') void show(session);
          else if (e === 'continued' || e === 'terminated') clear();
        },
        onWillStopSession: clear,
      }),
    }),
    vscode.window.onDidChangeVisibleTextEditors(paint),
  );
}
