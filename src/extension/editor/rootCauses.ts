/**
 * Per model file, the parameters its hand-derived values were last right for, and the root cause
 * of the values that went wrong since (src/analysis/rootCause.ts): the diagnostics say so once at
 * the changed parameter, the quick fixes and Apply Updated Weights offer to recompute the values
 * or to put the old parameters back.
 */
import * as vscode from 'vscode';
import { Baseline, baselineOf, RootCause, rootCause } from '../../analysis/rootCause';
import { DocumentAnalysis } from '../store';
import { fmt } from './markdown';
import { readSettings } from '../settings';

export class RootCauses implements vscode.Disposable {
  private readonly baselines = new Map<string, Baseline>();
  private readonly roots = new Map<string, { readonly version: number; readonly root: RootCause | undefined }>();
  private readonly closing: vscode.Disposable;

  constructor() {
    this.closing = vscode.workspace.onDidCloseTextDocument((d) => {
      this.baselines.delete(d.uri.toString());
      this.roots.delete(d.uri.toString());
    });
  }

  /**
   * Takes a new analysis in: its root cause against the baseline, if any; without one, its
   * parameters become the baseline. A run without a trace keeps the baseline as it was.
   */
  update(r: DocumentAnalysis): RootCause | undefined {
    const key = r.uri.toString();
    const { model, trace, expectations } = r.analysis;
    if (!model || !trace) {
      this.roots.set(key, { version: r.version, root: undefined });
      return undefined;
    }
    const base = this.baselines.get(key);
    const format = readSettings(r.uri).format;
    const root = base && rootCause(model, expectations, base, (x) => fmt(x, format));
    if (!root) this.baselines.set(key, baselineOf(model, expectations));
    this.roots.set(key, { version: r.version, root });
    return root;
  }

  /** The root cause found for this version of the document. */
  get(uri: vscode.Uri, version: number): RootCause | undefined {
    const r = this.roots.get(uri.toString());
    return r?.version === version ? r.root : undefined;
  }

  dispose(): void {
    this.closing.dispose();
  }
}
