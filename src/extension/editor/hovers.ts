/** Hovers on gradients: what every number, key and layer of a model file does in backprop. */
import * as vscode from 'vscode';
import { ExtensionDeps } from '../deps';
import { MODEL_SELECTOR } from '../modelFiles';
import { targetAt } from '../../model/places';
import { toRange } from './convert';
import {
  activationHover,
  biasHover,
  expectHover,
  layerHover,
  lossHover,
  matrixHover,
  weightHover,
} from './hoverContent';
import {
  currentAnalysis,
  hoverContext,
  ReadyAnalysis,
  staleAnalysis,
  StaleAnalysis,
  staleNote,
  staleRange,
} from './view';

/** Set once a hover was shown, for the walkthrough's "show a hover" step. */
export const HOVER_SHOWN_CONTEXT = 'backprop.hoverShown';

export class GradientHoverProvider implements vscode.HoverProvider {
  private announced = false;

  constructor(private readonly deps: ExtensionDeps) {}

  async provideHover(
    doc: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const current = await currentAnalysis(this.deps, doc);
    if (token.isCancellationRequested) return undefined;
    // While the file does not run, the numbers of its last version that did, marked stale.
    const stale: StaleAnalysis | undefined = current ? undefined : staleAnalysis(this.deps, doc);
    const a: ReadyAnalysis | undefined = current ?? stale;
    if (!a) return undefined;
    const offset = stale ? stale.good.toAnalysed(doc.offsetAt(position)) : doc.offsetAt(position);
    const target = offset === undefined ? undefined : targetAt(a.model, offset);
    if (!target) return undefined;
    const ctx = hoverContext(this.deps, doc.uri, a);
    let text: string;
    switch (target.kind) {
      case 'weight':
        text = weightHover(ctx, target.layer, target.i, target.j);
        break;
      case 'bias':
        text = biasHover(ctx, target.layer, target.i);
        break;
      case 'matrix':
        text = matrixHover(ctx, target.layer, target.param);
        break;
      case 'layer':
        text = layerHover(ctx, target.layer);
        break;
      case 'activation':
        text = activationHover(ctx, target.layer);
        break;
      case 'loss':
        text = lossHover(ctx);
        break;
      case 'expect': {
        const e = a.model.expectations[target.index];
        const r = a.analysis.expectations.find((x) => x.expectation === e);
        if (!r) return undefined;
        text = expectHover(r, target.row, target.col, ctx.format);
        break;
      }
    }
    if (!this.announced) {
      this.announced = true;
      void vscode.commands.executeCommand('setContext', HOVER_SHOWN_CONTEXT, true);
    }
    const md = new vscode.MarkdownString(stale ? `${staleNote(stale)}\n\n---\n\n${text}` : text);
    md.supportThemeIcons = false;
    return new vscode.Hover(md, stale ? staleRange(doc, stale, target.range) : toRange(target.range));
  }
}

export function registerHovers(deps: ExtensionDeps): vscode.Disposable {
  return vscode.languages.registerHoverProvider(MODEL_SELECTOR, new GradientHoverProvider(deps));
}
