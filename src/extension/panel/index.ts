/**
 * The trace panel's registration: one panel beside the editor that follows the active model
 * file, restored after a window reload (WebviewPanelSerializer), and the stepping commands —
 * openPanel, stepForward, stepBack, runToEnd, reset, stepTo (CodeLens "Step to here") and
 * revealInPanel (CodeLens "Show in panel"). The commands move the shared stepping session
 * (SessionRegistry), so the panel, hovers and CodeLens all see the same position.
 */
import * as vscode from 'vscode';
import { TraceSession } from '../../engine/session';
import { TraceEvent } from '../../engine/trace';
import { checkPanelState, checkTraceEvent } from '../../protocol';
import { ExtensionDeps } from '../deps';
import { Disposable } from '../dispose';
import { registerCommand } from '../errors';
import { isModelDocument, resolveModelDocument } from '../modelFiles';
import { TracePanel, VIEW_TYPE } from './tracePanel';

export function registerPanel(deps: ExtensionDeps): vscode.Disposable {
  return new PanelController(deps);
}

type Move = (s: TraceSession) => TraceEvent | undefined;

class PanelController extends Disposable {
  private panel: TracePanel | undefined;

  constructor(private readonly deps: ExtensionDeps) {
    super();
    const command = (id: string, run: (...args: unknown[]) => unknown) => this.register(registerCommand(deps, id, run));
    command('backprop.openPanel', async (arg) => {
      const doc = await this.resolve(arg);
      if (!doc) return this.noFile();
      await this.open(doc.uri, false);
      return doc.uri.toString();
    });
    command('backprop.stepForward', (arg) => this.move(arg, (s) => s.next()));
    command('backprop.stepBack', (arg) => this.move(arg, (s) => s.previous()));
    command('backprop.runToEnd', (arg) => this.move(arg, (s) => s.last()));
    command('backprop.reset', (arg) => this.move(arg, (s) => s.first()));
    command('backprop.stepTo', async (arg, event) => {
      // A ProtocolError says which part of the event is wrong.
      const target = checkTraceEvent(event);
      return this.move(arg, (s) => s.jumpTo(target) ?? s.current);
    });
    command('backprop.revealInPanel', async (arg, layer) => {
      const doc = await this.resolve(arg);
      if (!doc) return this.noFile();
      const panel = await this.open(doc.uri, false);
      if (typeof layer === 'number' && Number.isInteger(layer) && layer >= 0) panel.selectLayer(layer, true);
      return doc.uri.toString();
    });

    this.register(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: async (webviewPanel, state: unknown) => {
          const panel = this.adopt(webviewPanel);
          let saved;
          try {
            saved = checkPanelState(state);
          } catch {
            return;
          }
          await panel.show(vscode.Uri.parse(saved.uri), { restoreIndex: saved.index });
        },
      }),
    );
    // The panel follows the model file being edited.
    this.register(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (
          this.panel &&
          isModelDocument(e?.document) &&
          e.document.uri.toString() !== this.panel.documentUri?.toString()
        )
          void this.panel.show(e.document.uri);
      }),
    );
    this.register(vscode.window.onDidChangeTextEditorSelection((e) => this.panel?.onSelection(e)));
  }

  /** The panel, showing `uri`: created beside the editor if there is none. */
  private async open(uri: vscode.Uri, preserveFocus: boolean): Promise<TracePanel> {
    if (!this.panel) {
      const webviewPanel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        'Trace',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
        { retainContextWhenHidden: false },
      );
      this.adopt(webviewPanel);
    } else {
      this.panel.panel.reveal(undefined, preserveFocus);
    }
    await this.panel!.show(uri);
    return this.panel!;
  }

  private adopt(webviewPanel: vscode.WebviewPanel): TracePanel {
    this.panel?.dispose();
    const panel = new TracePanel(webviewPanel, this.deps);
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    return panel;
  }

  /** Moves the file's stepping session; opens the panel (keeping focus where it is) to show it. */
  private async move(arg: unknown, how: Move): Promise<TraceEvent | undefined> {
    const doc = await this.resolve(arg);
    if (!doc) return this.noFile();
    const session = await this.deps.sessions.ensure(doc);
    if (!session) {
      void vscode.window.showWarningMessage(
        `Backprop: ${vscode.workspace.asRelativePath(doc.uri)} has no trace to step through (see Problems).`,
      );
      return undefined;
    }
    if (this.panel?.documentUri?.toString() !== doc.uri.toString()) await this.open(doc.uri, true);
    return how(session);
  }

  /** The model file a command is about: its argument, the active editor's, or the one the panel shows. */
  private resolve(arg: unknown): Promise<vscode.TextDocument | undefined> {
    return resolveModelDocument(arg, this.panel?.documentUri);
  }

  private noFile(): undefined {
    void vscode.window.showWarningMessage('Backprop: open a model file (*.bp.yaml, *.bp.yml or *.bp.json) first.');
    return undefined;
  }

  override dispose(): void {
    this.panel?.dispose();
    super.dispose();
  }
}
