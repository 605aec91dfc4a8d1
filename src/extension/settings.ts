/**
 * The `backprop.*` settings, read in one place for every feature (editor, panel, store, worker
 * runner): typed, and a value outside its declared range falls back to the default.
 */
import * as vscode from 'vscode';
import { NumberStyle } from '../engine/numberFormat';
import { Limits } from '../model/types';
import { DEFAULT_MEMORY_BUDGET_MB, MB } from '../engine/store/plan';
import { NUMBER_STYLES, PanelSettings } from '../protocol';
import type { NumberFormat } from './editor/markdown';

export interface Settings {
  /** backprop.precision and backprop.numberFormat. */
  readonly format: NumberFormat;
  readonly inlayHints: boolean;
  readonly codeLens: boolean;
  readonly epsilon: number;
  /** Milliseconds after typing before a model file is re-run. */
  readonly debounce: number;
  readonly workerThreshold: number;
  readonly limits: Partial<Limits>;
  /** backprop.trace.memoryBudgetMB, in bytes: what the trace store of one run may keep. */
  readonly memoryBudgetBytes: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('backprop', scope);
  const style = c.get<string>('numberFormat', 'auto');
  const int = (key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const v = c.get<number>(key, fallback);
    return Number.isInteger(v) && v >= min && v <= max ? v : fallback;
  };
  const eps = c.get<number>('gradientCheck.epsilon', 1e-4);
  return {
    format: {
      digits: int('precision', 6, 1, 17),
      style: (NUMBER_STYLES as readonly string[]).includes(style) ? (style as NumberStyle) : 'auto',
    },
    inlayHints: c.get<boolean>('inlayHints.enabled', false),
    codeLens: c.get<boolean>('codeLens.enabled', true),
    epsilon: Number.isFinite(eps) && eps > 0 && eps < 1 ? eps : 1e-4,
    debounce: int('diagnostics.debounce', 250, 0, 5000),
    workerThreshold: int('worker.threshold', 2_000_000, 0),
    limits: {
      maxParameters: int('limits.maxParameters', 5_000_000, 1),
      maxSteps: int('limits.maxSteps', 10_000_000, 1),
      maxBatch: int('limits.maxBatch', 10_000, 1),
    },
    memoryBudgetBytes: int('trace.memoryBudgetMB', DEFAULT_MEMORY_BUDGET_MB, 16, 65536) * MB,
  };
}

/** The number settings as the panel receives them. */
export function panelSettings(scope?: vscode.ConfigurationScope): PanelSettings {
  const { format } = readSettings(scope);
  return { digits: format.digits, numberFormat: format.style };
}
