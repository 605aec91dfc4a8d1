/**
 * The target as the loss needs it, N × K (examples as rows, K the last layer's units): most
 * losses take it as written in the batch layout; hinge also takes one class index per example
 * and checks one-hot rows; max_margin scores pairs of examples and uses no target at all (left
 * out, or one placeholder per example).
 */
import { LossName } from '../engine/network';
import { Matrix } from '../engine/tensor';
import { BatchLayout } from './types';
import { MapEntry } from './nodes';
import { Grid } from './grid';
import { Report } from './report';
import { batchMessage, toBatch } from './batches';
import { formatVector, plural } from './wording';

export interface TargetInputs {
  readonly report: Report;
  readonly layout: BatchLayout;
  readonly loss?: LossName;
  readonly lossAt?: MapEntry;
  readonly inputAt?: MapEntry;
  readonly target?: { readonly grid: Grid; readonly entry: MapEntry };
  /** Units of the last layer's output. */
  readonly K: number;
  /** Examples in the input, when it could be read. */
  readonly N: number | undefined;
  /** 1-based index of the last layer. */
  readonly lastLayer: number;
}

export function resolveTarget(t: TargetInputs): Matrix | undefined {
  if (t.loss === 'max_margin') return pairsPlaceholder(t);
  const target = t.target?.grid;
  if (!target) return undefined;
  const { report, K, N, layout } = t;
  const res = toBatch(target, K, layout);
  if (!('error' in res) && (N === undefined || res.m.rows === N)) {
    if (t.loss === 'hinge' && !oneHotRows(t, res.m)) return undefined;
    return res.m;
  }
  if (t.loss === 'hinge' && K > 1) {
    const idx = toBatch(target, 1, layout);
    if (!('error' in idx) && (N === undefined || idx.m.rows === N)) return classIndices(t, idx.m);
  }
  if ('error' in res)
    report.error(
      target.node,
      'shape',
      batchMessage('target', target, K, `the last layer (layer ${t.lastLayer}) has ${plural(K, 'unit')}`, layout) +
        (t.loss === 'hinge' ? ' (hinge also takes one class index per example, e.g. [[2], [0]])' : ''),
    );
  else report.error(target.node, 'shape', `target has ${plural(res.m.rows, 'example')} but input has ${N}`);
  return undefined;
}

/** max_margin: one score per example, examples in pairs; the target is a placeholder or absent. */
function pairsPlaceholder(t: TargetInputs): Matrix | undefined {
  const { report, K, N } = t;
  let ok = true;
  if (K !== 1) {
    ok = false;
    report.error(
      t.lossAt?.value ?? { start: 0, end: 0 },
      'loss-shape',
      `max_margin scores each example with one number, but the last layer (layer ${t.lastLayer}) has ${plural(K, 'unit')}`,
    );
  }
  if (N !== undefined && N % 2 !== 0) {
    ok = false;
    report.error(
      t.inputAt?.value ?? t.lossAt?.value ?? { start: 0, end: 0 },
      'loss-shape',
      `max_margin takes the examples in pairs (a true window, then its corrupted window), but input has ${plural(N, 'example')}`,
    );
  }
  const written = t.target?.grid;
  if (written && N !== undefined) {
    const res = toBatch(written, 1, t.layout);
    if ('error' in res || res.m.rows !== N) {
      ok = false;
      report.error(
        written.node,
        'shape',
        `max_margin does not use the target: leave it out, or write one placeholder per example (${N}, e.g. target: [${new Array<string>(Math.min(N, 8)).fill('[0]').join(', ')}])`,
      );
    }
  }
  if (!ok || N === undefined) return undefined;
  return { rows: N, cols: K, data: new Float64Array(N * K) };
}

/** hinge's targets as one-hot rows: one 1 and the rest 0 in every row, or it is not a class. */
function oneHotRows(t: TargetInputs, m: Matrix): boolean {
  for (let i = 0; i < m.rows; i++) {
    const row = m.data.subarray(i * m.cols, (i + 1) * m.cols);
    const ones = row.filter((x) => x === 1).length;
    if (ones !== 1 || row.some((x) => x !== 0 && x !== 1)) {
      t.report.error(
        t.target!.grid.node,
        'target-range',
        `hinge takes one class per example: one-hot rows or class indices, but example ${i + 1} of target is ${formatVector(row)}`,
      );
      return false;
    }
  }
  return true;
}

/** hinge's targets as class indices 0 … K−1, one per example, made one-hot. */
function classIndices(t: TargetInputs, m: Matrix): Matrix | undefined {
  const { K } = t;
  const out = new Float64Array(m.rows * K);
  for (let i = 0; i < m.rows; i++) {
    const y = m.data[i];
    if (!Number.isInteger(y) || y < 0 || y >= K) {
      t.report.error(
        t.target!.grid.node,
        'target-range',
        `hinge class indices go from 0 to ${K - 1} (the last layer has ${plural(K, 'unit')}), but example ${i + 1} of target is ${y}`,
      );
      return undefined;
    }
    out[i * K + y] = 1;
  }
  return { rows: m.rows, cols: K, data: out };
}
