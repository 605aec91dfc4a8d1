/**
 * The hand-derived `expect` values as the panel shows them: per value, right or wrong, and which
 * entries are wrong in the engine's layout (each checked cell carries its place in the trace, so
 * the panel marks it wherever the quantity is drawn, whatever orientation it is drawn in). Pure, no `vscode`.
 */
import { ExpectationResult } from '../../analysis/expect';
import { Model } from '../../model/types';
import { WireCheck } from '../../protocol';

export function wireChecks(model: Model, results: readonly ExpectationResult[]): WireCheck[] {
  const L = model.spec.layers.length;
  return results.map((r) => {
    const e = r.expectation;
    return {
      index: model.expectations.indexOf(e),
      step: e.step,
      // dL_da of the file-level block is the last layer's.
      layer: e.layer === 0 && e.key === 'dL_da' ? L : e.layer,
      key: e.key,
      event: r.at.event,
      symbol: r.symbol,
      ok: r.ok,
      message: r
        .diagnostics()
        .map((d) => d.message)
        .join('\n'),
      wrong: r.cells.filter((c) => !c.ok).map((c) => [c.at.row, c.at.col] as const),
      written: r.cells.filter((c) => !c.ok).map((c) => c.expected),
    };
  });
}
