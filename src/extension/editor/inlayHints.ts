/**
 * The gradient beside each weight and bias literal (setting backprop.inlayHints.enabled, off by
 * default): `1 ∇0`, `2 ∇104`. Only literals inside the requested range are visited, so a large
 * matrix costs what is on screen.
 */
import * as vscode from 'vscode';
import { layerConvention, weightCell } from '../../model/layout';
import { biasUnit } from '../../model/places';
import { MatrixRanges, SourceRange } from '../../model/types';
import { ExtensionDeps } from '../deps';
import { MODEL_SELECTOR } from '../modelFiles';
import { toPosition } from './convert';
import { fmt } from './markdown';
import { weightLabel } from './hoverContent';
import { readSettings } from '../settings';
import { sup } from '../../engine/numberFormat';
import { latestAnalysis, shownStep } from './view';

/** Cells of a matrix literal whose line lies in [first, last], as (row, col, range). */
function* cellsInLines(m: MatrixRanges, first: number, last: number): Generator<[number, number, SourceRange]> {
  for (let r = 0; r < m.cells.length; r++) {
    const row = m.cells[r];
    if (!row.length || row[row.length - 1].end.line < first) continue;
    if (row[0].start.line > last) break;
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (cell.start.line >= first && cell.start.line <= last) yield [r, c, cell];
    }
  }
}

export class GradientInlayHints implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly deps: ExtensionDeps) {}

  refresh(): void {
    this.changed.fire();
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const settings = readSettings(doc.uri);
    if (!settings.inlayHints) return [];
    // Hints sit at offsets of one version of the text; after an edit, wait for its analysis.
    const a = latestAnalysis(this.deps, doc);
    if (!a) return [];
    const step = shownStep(this.deps, doc.uri, a.trace);
    const s = a.trace.steps.get(step);
    const hints: vscode.InlayHint[] = [];
    const hint = (at: SourceRange, value: number, name: string) => {
      const h = new vscode.InlayHint(toPosition(at.end), `∇${fmt(value, settings.format)}`);
      h.paddingLeft = true;
      h.tooltip = `${name} at step ${step}`;
      hints.push(h);
    };
    a.model.ranges.layers.forEach((lr, k) => {
      const layer = k + 1;
      const b = s.backward[k];
      if (!b) return;
      if (lr.W) {
        for (const [r, c, cell] of cellsInLines(lr.W, range.start.line, range.end.line)) {
          const [i, j] = weightCell(layerConvention(a.model, layer), r, c);
          if (i < b.dW.rows && j < b.dW.cols)
            hint(cell, b.dW.data[i * b.dW.cols + j], `∂L/∂${weightLabel(a.model, layer, i, j)}`);
        }
      }
      if (lr.b) {
        for (const [r, c, cell] of cellsInLines(lr.b, range.start.line, range.end.line)) {
          const i = biasUnit(r, c);
          if (i < b.db.length) hint(cell, b.db[i], `∂L/∂b${sup(layer)}[${i + 1}]`);
        }
      }
    });
    return hints;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerInlayHints(deps: ExtensionDeps): {
  provider: GradientInlayHints;
  disposable: vscode.Disposable;
} {
  const provider = new GradientInlayHints(deps);
  return {
    provider,
    disposable: vscode.Disposable.from(provider, vscode.languages.registerInlayHintsProvider(MODEL_SELECTOR, provider)),
  };
}
