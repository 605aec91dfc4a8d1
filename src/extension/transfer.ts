/**
 * An Analysis as plain data for postMessage: structured clone keeps typed arrays and shared
 * references but not methods, so each ExpectationResult travels with its diagnostics computed
 * and gets its diagnostics() back on arrival, and the trace travels as its store's data
 * (losses, checkpoints, the records it keeps) and is rebuilt on arrival, able to recompute any
 * step. No `vscode` here (the worker imports it).
 */
import type { Analysis } from '../analysis/analyze';
import type { ExpectationResult } from '../analysis/expect';
import type { ModelDiagnostic } from '../model/types';
import { restoreTrace, TraceData, traceData } from '../engine/run';
import { forEachArray } from '../engine/store/records';

export type TransferableExpectation = Omit<ExpectationResult, 'diagnostics'> & {
  readonly savedDiagnostics: readonly ModelDiagnostic[];
};

export type TransferableAnalysis = Omit<Analysis, 'expectations' | 'trace'> & {
  readonly expectations: readonly TransferableExpectation[];
  readonly trace?: TraceData;
};

export function toTransferable(a: Analysis): TransferableAnalysis {
  return {
    ...a,
    trace: a.trace && traceData(a.trace),
    expectations: a.expectations.map((r) => ({
      expectation: r.expectation,
      symbol: r.symbol,
      at: r.at,
      cells: r.cells,
      computed: r.computed,
      shapeError: r.shapeError,
      error: r.error,
      ok: r.ok,
      savedDiagnostics: r.diagnostics(),
    })),
  };
}

/**
 * The buffers worth moving rather than copying: the store's losses and checkpoints (up to the
 * memory budget). The sender must not touch them afterwards; the model's own arrays stay.
 */
export function transferList(a: TransferableAnalysis): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const s = a.trace?.store;
  if (s)
    forEachArray([s.losses, s.checkpoints], (v) => {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
    });
  return [...out];
}

export function fromTransferable(a: TransferableAnalysis): Analysis {
  const { trace, ...rest } = a;
  return {
    ...rest,
    trace: trace && a.model ? restoreTrace(a.model.spec, trace) : undefined,
    expectations: a.expectations.map(({ savedDiagnostics, ...r }) => ({
      ...r,
      diagnostics: () => savedDiagnostics.slice(),
    })),
  };
}
