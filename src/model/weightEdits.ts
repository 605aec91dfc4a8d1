/**
 * "Apply Updated Weights": the text edits that write W and b after the last traced step into the
 * file, number literal by number literal, so comments, layout and every other byte stay as they
 * are. Pure (no `vscode`).
 */
import { Trace } from '../engine/trace';
import { shortestDecimal } from '../engine/numberFormat';
import { layerConvention, weightCell } from './layout';
import { biasCells } from './places';
import { Model, SourceRange } from './types';

export interface TextEdit {
  readonly range: SourceRange;
  readonly text: string;
}

export interface WeightEdits {
  readonly edits: readonly TextEdit[];
  /** Parameters that could not be written back, with why (e.g. W from `init:`, a NaN). */
  readonly skipped: readonly string[];
  /** The step whose result is written (the last traced one). */
  readonly afterStep: number;
}

/**
 * The text written back for an updated weight. Exact (String(x), the shortest round trip)
 * unless a clean decimal of at most 12 significant digits lies within a few ulps (1e-15
 * relative — the rounding of the update itself): then that, so −1 − 0.01·(−56), whose double is
 * one ulp from −0.44, is written -0.44 as a person would, while π keeps all 16 digits.
 * Valid YAML 1.2 and JSON (1e-7, 1e+21). −0 is written 0. Non-finite numbers have no literal
 * in both formats: undefined.
 */
export const WRITE_BACK_RELATIVE = 1e-15;
const CLEAN_DIGITS = 12;

export function numberText(x: number): string | undefined {
  if (!Number.isFinite(x)) return undefined;
  const short = shortestDecimal(x, WRITE_BACK_RELATIVE * Math.abs(x));
  return significantDigits(short) <= CLEAN_DIGITS ? short : shortestDecimal(x);
}

function significantDigits(s: string): number {
  return s.replace(/e.*$/i, '').replace(/[-.]/g, '').replace(/^0+/, '').length;
}

/** The literal as a number, if it is one (YAML 1.2 / JSON decimal). */
function literalValue(text: string): number | undefined {
  const t = text.trim();
  if (!/^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(t)) return undefined;
  return Number(t);
}

/**
 * The edits for every W and b literal whose value changes. `text` is the document's current text,
 * which must be the text the model was parsed from (literals whose value is unchanged, e.g. `1.0`
 * that stays 1, are left as written).
 */
export function updatedWeightEdits(model: Model, trace: Trace, text: string): WeightEdits {
  const last = trace.steps.length ? trace.steps.get(trace.steps.length) : undefined;
  const edits: TextEdit[] = [];
  const skipped: string[] = [];
  if (!last) return { edits, skipped: ['no step was traced'], afterStep: 0 };
  const write = (range: SourceRange, value: number, name: string) => {
    const t = numberText(value);
    if (t === undefined) {
      skipped.push(`${name} became ${value}`);
      return;
    }
    const old = literalValue(text.slice(range.start.offset, range.end.offset));
    // Unchanged values keep their text (`1.0` stays `1.0`; 0 and −0 both read as 0).
    if (old === value) return;
    edits.push({ range, text: t });
  };
  model.ranges.layers.forEach((lr, k) => {
    const layer = k + 1;
    const u = last.update[k];
    // Pooling and flatten have nothing to write back.
    if (!u || (u.WNext.data.length === 0 && u.bNext.length === 0)) return;
    const convention = layerConvention(model, layer);
    const nOut = u.WNext.rows,
      nIn = u.WNext.cols;
    const cells = lr.W?.cells;
    const [rows, cols] = weightCell(convention, nOut, nIn);
    if (!cells || cells.length !== rows || cells.some((r) => r.length !== cols)) {
      skipped.push(
        `W of layer ${layer} is not written as a ${rows}×${cols} matrix of numbers${model.initializers?.[k] ? ` (it comes from init: ${model.initializers[k]})` : ''}`,
      );
    } else {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const [i, j] = weightCell(convention, r, c);
          write(cells[r][c], u.WNext.data[i * nIn + j], `W of layer ${layer} [${r + 1}][${c + 1}]`);
        }
      }
    }
    const flat = biasCells(lr.b);
    if (!flat || flat.length !== nOut) {
      skipped.push(
        `b of layer ${layer} is not written as ${nOut} number${nOut === 1 ? '' : 's'}${lr.b ? '' : ' (the file gives no b)'}`,
      );
    } else {
      for (let i = 0; i < nOut; i++) write(flat[i], u.bNext[i], `b of layer ${layer} [${i + 1}]`);
    }
  });
  return { edits, skipped, afterStep: last.step };
}
