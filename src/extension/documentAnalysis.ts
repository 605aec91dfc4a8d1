/** One analysis of a model document, for the version it was computed for (the store's unit of work). */
import type * as vscode from 'vscode';
import type { Analysis } from '../analysis/analyze';

export interface DocumentAnalysis {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly analysis: Analysis;
  /** Milliseconds the analysis took. */
  readonly elapsed: number;
  /** The steps override it ran with (Train N Steps…), or undefined for the file's own `steps`. */
  readonly steps?: number;
}
