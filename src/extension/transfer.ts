/**
 * An Analysis as plain data for postMessage: structured clone keeps typed arrays and shared
 * references but not methods, so each ExpectationResult travels with its diagnostics computed
 * and gets its diagnostics() back on arrival. No `vscode` here (the worker imports it).
 */
import type { Analysis } from '../analysis/analyze';
import type { ExpectationResult } from '../analysis/expect';
import type { ModelDiagnostic } from '../model/types';

export type TransferableExpectation = Omit<ExpectationResult, 'diagnostics'> & {
  readonly savedDiagnostics: readonly ModelDiagnostic[];
};

export type TransferableAnalysis = Omit<Analysis, 'expectations'> & {
  readonly expectations: readonly TransferableExpectation[];
};

export function toTransferable(a: Analysis): TransferableAnalysis {
  return {
    ...a,
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

export function fromTransferable(a: TransferableAnalysis): Analysis {
  return {
    ...a,
    expectations: a.expectations.map(({ savedDiagnostics, ...r }) => ({
      ...r,
      diagnostics: () => savedDiagnostics.slice(),
    })),
  };
}
