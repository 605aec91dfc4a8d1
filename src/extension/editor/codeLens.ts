/**
 * Above each layer: a one-line summary (shape, ‖δ‖, gradient share; see summary.ts) and the
 * actions "Show in panel" (backprop.revealInPanel) and "Step to here" (backprop.stepTo, the
 * layer's forward event at the shown step). Setting: backprop.codeLens.enabled.
 */
import * as vscode from 'vscode';
import { ExtensionDeps } from '../deps';
import { MODEL_SELECTOR } from '../modelFiles';
import { toRange } from './convert';
import { readSettings } from '../settings';
import { layerSummary } from './summary';
import { settledAnalysis, shownStep, staleAnalysis, staleRange } from './view';
import { NumberFormat } from './markdown';

export class LayerCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly deps: ExtensionDeps) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const settings = readSettings(doc.uri);
    if (!settings.codeLens) return [];
    // Wait for the debounced analysis instead of forcing one: VS Code asks again after every edit.
    const a = await settledAnalysis(this.deps, doc, token);
    if (token.isCancellationRequested) return [];
    if (!a) return this.staleLenses(doc, settings.format);
    const step = shownStep(this.deps, doc.uri, a.trace);
    const uri = doc.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    a.model.ranges.layers.forEach((lr, k) => {
      const layer = k + 1;
      // Anchor on the head's line only: a lens spanning the whole layer would move with every edit inside it.
      const range = toRange(lr.head).with({ end: toRange(lr.head).start });
      lenses.push(
        new vscode.CodeLens(range, {
          title: `Layer ${layer}: ${layerSummary(a.trace, layer, step, settings.format)}`,
          command: '',
        }),
        showInPanel(uri, layer, range),
        new vscode.CodeLens(range, {
          title: 'Step to here',
          command: 'backprop.stepTo',
          arguments: [uri, { step, kind: 'forward', layer }],
          tooltip: `Step to the forward pass of layer ${layer} (step ${step})`,
        }),
      );
    });
    return lenses;
  }

  /**
   * While the file does not run: each layer's summary from its last version that did, marked so,
   * above where that layer now is (no "Step to here": there is nothing to step through).
   */
  private staleLenses(doc: vscode.TextDocument, format: NumberFormat): vscode.CodeLens[] {
    const stale = staleAnalysis(this.deps, doc);
    if (!stale) return [];
    const n = stale.errors.length;
    const uri = doc.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    stale.model.ranges.layers.forEach((lr, k) => {
      const layer = k + 1;
      const head = staleRange(doc, stale, lr.head);
      if (!head) return;
      const range = head.with({ end: head.start });
      lenses.push(
        new vscode.CodeLens(range, {
          title: `$(warning) Layer ${layer}, not up to date: ${layerSummary(stale.trace, layer, 1, format)}`,
          command: '',
          tooltip: `The file has ${n === 1 ? 'an error' : `${n} errors`}: these are the numbers of its last version that ran.`,
        }),
        showInPanel(uri, layer, range),
      );
    });
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function showInPanel(uri: string, layer: number, range: vscode.Range): vscode.CodeLens {
  return new vscode.CodeLens(range, {
    title: 'Show in panel',
    command: 'backprop.revealInPanel',
    arguments: [uri, layer],
    tooltip: `Open the trace panel at layer ${layer}`,
  });
}

export function registerCodeLens(deps: ExtensionDeps): {
  provider: LayerCodeLensProvider;
  disposable: vscode.Disposable;
} {
  const provider = new LayerCodeLensProvider(deps);
  return {
    provider,
    disposable: vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider(MODEL_SELECTOR, provider)),
  };
}
