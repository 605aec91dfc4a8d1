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
import { settledAnalysis, shownStep } from './view';

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
    if (!a || token.isCancellationRequested) return [];
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
        new vscode.CodeLens(range, {
          title: 'Show in panel',
          command: 'backprop.revealInPanel',
          arguments: [uri, layer],
          tooltip: `Open the trace panel at layer ${layer}`,
        }),
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

  dispose(): void {
    this.changed.dispose();
  }
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
