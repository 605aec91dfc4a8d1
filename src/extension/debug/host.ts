/**
 * The debugger's host inside VS Code: the model file's text and analysis come from the open
 * document and the shared AnalysisStore (so a big run goes to the worker, as the panel's does),
 * and the debugger drives the shared stepping session, so the panel, hovers and CodeLens follow
 * it — and follow it back when the panel steps.
 */
import * as vscode from 'vscode';
import { DebugHost } from '../../debug/host';
import { ExtensionDeps } from '../deps';
import { isModelDocument } from '../modelFiles';
import { readSettings } from '../settings';

/** A program as launch configurations give it: a file path, or a URI in a virtual workspace. */
export function programUri(program: string): vscode.Uri {
  return /^[a-zA-Z][\w+.-]+:/.test(program) && !/^[a-zA-Z]:[\\/]/.test(program)
    ? vscode.Uri.parse(program)
    : vscode.Uri.file(program);
}

/** How a document is named as a program: its path on disk, else its URI. */
export function programOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export async function programDocument(program: string): Promise<vscode.TextDocument> {
  const uri = programUri(program);
  const key = uri.toString();
  let doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
  if (!doc) {
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      throw new Error(`cannot open ${program}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!isModelDocument(doc)) throw new Error(`${program} is not a model file (*.bp.yaml, *.bp.yml or *.bp.json)`);
  return doc;
}

export function extensionHost(deps: ExtensionDeps): DebugHost {
  const { store, sessions } = deps;
  return {
    load: async (program, steps) => {
      const doc = await programDocument(program);
      let r = await store.ensure(doc);
      // A launch `steps` runs the file that long for every view (as Train N Steps… does), so the
      // panel and the hovers step through the same trace as the debugger.
      const ran = r?.steps ?? r?.analysis.model?.spec.steps;
      if (r && steps !== undefined && ran !== steps) r = await store.setSteps(doc, steps);
      if (!r) throw new Error(`${program}: the run was cancelled`);
      return r.analysis;
    },
    numbers: () => readSettings().format,
    stopped: (program, trace, event) => {
      const uri = programUri(program);
      const move = (s: ReturnType<typeof sessions.get>) => {
        if (s && s.trace === trace) s.jumpTo(event);
      };
      const session = sessions.get(uri);
      if (session) move(session);
      else
        void programDocument(program)
          .then((doc) => sessions.ensure(doc))
          .then(move, () => undefined);
    },
    watch: (program, on) => {
      const key = programUri(program).toString();
      return vscode.Disposable.from(
        store.onDidUpdate((r) => {
          if (r.uri.toString() === key) on.changed();
        }),
        sessions.onDidChange((c) => {
          if (c.uri.toString() === key && c.reason === 'moved' && c.event) on.moved(c.session.trace, c.event);
        }),
      );
    },
  };
}
