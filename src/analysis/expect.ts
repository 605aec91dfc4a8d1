/**
 * Hand-derived values against the trace, cell by cell, in the layout the user wrote them:
 * batch values (z, a, δ, σ', ∂L/∂a) in the file's batch layout, W-shaped values (dW, W_next) in
 * the file's convention, vectors (db, b_next) as vectors; images [example][channel][row][col] (one
 * example may leave out the outer list) and a conv2d's kernels [out][in][row][col]. A flat list stands for a single row or
 * a single column, whichever the needed shape has; a lone number for a 1×1 value. Each checked
 * number also carries its place in the trace (event, quantity, entry in the engine's layout), so
 * the views mark it without re-deriving the layout.
 */
import { Matrix, shapeOf, toRows } from '../engine/tensor';
import { StepRecord, Trace, TraceEvent } from '../engine/trace';
import { batchCell, fileBatch, fileW, layerConvention, weightCell } from '../model/layout';
import { indexText } from '../model/grid';
import { Expectation, Model, ModelDiagnostic, SourceRange } from '../model/types';
import { expectSymbol } from '../model/valueNames';
import { formatMatrix, formatNumber, formatVector, plural, sup } from '../model/wording';
import { formatErrorSize, formatValue, NumberFormat } from '../engine/numberFormat';
import { inTheFormOf, showHand } from '../model/handNumber';

/** The trace's quantities, named as HealthIssue names them. */
export type Quantity = 'z' | 'a' | 'loss' | 'dA' | 'sigma_prime' | 'delta' | 'dW' | 'db' | 'W_next' | 'b_next';

/** Where a hand-derived value is in the trace: the event that computes it (its step included) and the quantity. */
export interface TracedQuantity {
  readonly event: TraceEvent;
  readonly quantity: Quantity;
}

/**
 * One entry of a traced quantity in the engine's layout, whatever the file's: [example, unit]
 * for batch values, [out, in] for W-shaped ones, [0, unit] for vectors, [0, 0] for the loss.
 */
export interface TracedEntry extends TracedQuantity {
  readonly row: number;
  readonly col: number;
}

export interface CellCheck {
  /** 0-based row and column as written (a flat list is row 0). */
  readonly row: number;
  readonly col: number;
  readonly expected: number;
  readonly computed: number;
  readonly diff: number;
  /** The largest difference accepted for this cell. */
  readonly allowed: number;
  readonly ok: boolean;
  readonly range?: SourceRange;
  /** The same number in the trace. */
  readonly at: TracedEntry;
  /** The arithmetic the value was written as ("(2/3)*1252"), when it was. */
  readonly written?: string;
  /** With `written`: the computed value in the same form ("(2/3)*1292"), when it has one. */
  readonly computedWritten?: string;
}

export interface ExpectationResult {
  readonly expectation: Expectation;
  /** How the value is named: z¹, W²', ∂L/∂a², L. */
  readonly symbol: string;
  /** Where the value is in the trace (also when it could not be compared). */
  readonly at: TracedQuantity;
  /** One per written number, in written order; empty when the shape cannot match or the value is unavailable. */
  readonly cells: readonly CellCheck[];
  /** The computed value in the user's layout (the needed shape when the written one does not fit). */
  readonly computed?: readonly (readonly number[])[];
  /** Set when the written shape cannot match the computed one. */
  readonly shapeError?: string;
  /** Set when there is nothing to compare with: a step that was not run, σ' of a softmax layer. */
  readonly error?: string;
  /** True when every written number matches. */
  readonly ok: boolean;
  /** Errors at each wrong number (with a replace_expected fix), or one info when all match. */
  diagnostics(): ModelDiagnostic[];
}

type Kind = 'batch' | 'weights' | 'vector' | 'scalar';

const KIND: Record<Expectation['key'], Kind> = {
  z: 'batch',
  a: 'batch',
  delta: 'batch',
  sigma_prime: 'batch',
  dL_da: 'batch',
  dW: 'weights',
  W_next: 'weights',
  db: 'vector',
  b_next: 'vector',
  loss: 'scalar',
};

// ---- tolerance -------------------------------------------------------------------------------

/** The largest accepted |expected − computed| (plus a few ulps so 0.965 vs 0.96 at 0.005 passes). */
export function allowedDifference(e: Pick<Expectation, 'tolerance' | 'toleranceMode'>, computed: number): number {
  const scale = e.toleranceMode === 'scaled' ? Math.max(1, Math.abs(computed)) : 1;
  return e.tolerance * scale;
}

function within(expected: number, computed: number, allowed: number): boolean {
  if (!Number.isFinite(computed)) return false;
  const slack = 4 * Number.EPSILON * Math.max(Math.abs(expected), Math.abs(computed), 1);
  return Math.abs(expected - computed) <= allowed + slack;
}

/**
 * How messages write values: by the user's settings when the caller gives them (the editor),
 * else short and exact enough for a terminal, 10 significant digits at most (the CLI).
 */
function shower(format: NumberFormat | undefined): (x: number) => string {
  return format ? (x) => formatValue(x, format) : (x) => formatNumber(x, 5e-11 * Math.max(1, Math.abs(x)));
}

/** 1e-6, 3.7e-5, 0.005: the size of a difference or a tolerance, the same whatever the settings. */
const showSmall = formatErrorSize;

/**
 * The replacement for a wrong hand value: the computed value with as many decimals as the user
 * wrote (-0.94 → -0.44; 112.66666666666667 → 111.33333333333333), or, when that is not within
 * the tolerance, the shortest decimal that is.
 */
export function replacementText(expected: number, computed: number, allowed: number): string {
  const written = String(expected);
  if (!written.includes('e')) {
    const decimals = written.includes('.') ? written.length - written.indexOf('.') - 1 : 0;
    const candidate = Number(computed.toFixed(Math.min(decimals, 20)));
    if (Math.abs(candidate - computed) <= allowed / 2) return String(candidate === 0 ? 0 : candidate);
  }
  return formatNumber(computed, allowed / 2);
}

// ---- the check -------------------------------------------------------------------------------

/** The event that computes an expectation's value: the one whose equations show it. */
export function tracedQuantity(e: Pick<Expectation, 'key' | 'layer' | 'step'>, layers: number): TracedQuantity {
  const { step, layer } = e;
  switch (e.key) {
    case 'z':
    case 'a':
      return { event: { step, kind: 'forward', layer }, quantity: e.key };
    case 'loss':
      return { event: { step, kind: 'loss', layer: 0 }, quantity: 'loss' };
    // ∂L/∂a of the output is the loss's gradient; a hidden layer's is formed in its backward event.
    case 'dL_da':
      return layer === 0 || layer === layers
        ? { event: { step, kind: 'loss', layer: 0 }, quantity: 'dA' }
        : { event: { step, kind: 'backward', layer }, quantity: 'dA' };
    case 'W_next':
    case 'b_next':
      return { event: { step, kind: 'update', layer }, quantity: e.key };
    case 'delta':
    case 'sigma_prime':
    case 'dW':
    case 'db':
      return { event: { step, kind: 'backward', layer }, quantity: e.key };
  }
}

/** What the trace holds for an expectation, in the engine's layout, or why it holds nothing. */
function computedValue(trace: Trace, e: Expectation): { m: Matrix } | { error: string; where: 'step' | 'value' } {
  const rec: StepRecord | undefined = e.step >= 1 && e.step <= trace.steps.length ? trace.steps.get(e.step) : undefined;
  if (!rec) {
    const n = trace.steps.length;
    const why = trace.stoppedEarly ? ` (the run stopped early: ${trace.stoppedEarly})` : '';
    return { error: `Step ${e.step} was not run: the trace has ${plural(n, 'step')}${why}`, where: 'step' };
  }
  const L = rec.forward.length;
  if (e.layer > L)
    return { error: `Layer ${e.layer} is not in the trace (it has ${plural(L, 'layer')})`, where: 'value' };
  const l = e.layer;
  const kind = trace.layers?.[l - 1]?.type;
  if (
    (e.key === 'dW' || e.key === 'db' || e.key === 'W_next' || e.key === 'b_next') &&
    l > 0 &&
    trace.parameterCounts[l - 1] === 0
  )
    return {
      error: `Layer ${l}${kind ? ` (${kind})` : ''} has no parameters, so no ${expectSymbol(e.key, l)}: check z, a or delta instead`,
      where: 'value',
    };
  const vec = (v: Float64Array): Matrix => ({ rows: 1, cols: v.length, data: v });
  switch (e.key) {
    case 'loss':
      return { m: { rows: 1, cols: 1, data: Float64Array.of(rec.loss.value) } };
    case 'z':
      return { m: rec.forward[l - 1].z };
    case 'a':
      return { m: rec.forward[l - 1].a };
    case 'dL_da':
      return { m: l === 0 ? rec.loss.dA : rec.backward[l - 1].dA };
    case 'delta':
      return { m: rec.backward[l - 1].delta };
    case 'sigma_prime': {
      const sp = rec.backward[l - 1].sigmaPrime;
      if (sp) return { m: sp };
      const act = rec.forward[l - 1].activation;
      const why =
        l === L && rec.loss.fused
          ? `with ${act} and ${rec.loss.loss}, δ${sup(l)} is computed directly from z${sup(l)} (it is a − t up to scaling), so no σ'(z${sup(l)}) is formed; check delta instead`
          : act === 'softmax'
            ? `the derivative of softmax is a Jacobian, not an element-wise factor, so δ${sup(l)} is not ∂L/∂a${sup(l)} ⊙ σ'(z${sup(l)}); check delta instead`
            : `the engine recorded no element-wise σ' for this layer`;
      return { error: `σ'(z${sup(l)}) is not available: ${why}`, where: 'value' };
    }
    case 'dW':
      return { m: rec.backward[l - 1].dW };
    case 'W_next':
      return { m: rec.update[l - 1].WNext };
    case 'db':
      return { m: vec(rec.backward[l - 1].db) };
    case 'b_next':
      return { m: vec(rec.update[l - 1].bNext) };
  }
}

/**
 * Where written cell (i, j) sits in the needed R×C value, or undefined when the written shape
 * cannot fit: a matrix must be R×C (a vector may also be written as a column), a flat list a
 * single row or column, a lone number 1×1.
 */
function placement(
  e: Expectation,
  R: number,
  C: number,
  kind: Kind,
  full: readonly number[],
): ((i: number, j: number) => [number, number]) | undefined {
  const r = e.values.length;
  const c = r === 0 ? 0 : e.values[0].length;
  // Images and kernels: the written shape is the value's, the outer list left out for one example.
  if (full.length > 2 || e.written === 'tensor') {
    const dims = e.dims ?? [];
    const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, k) => x === b[k]);
    if (e.written === 'tensor' && (same(dims, full) || (full[0] === 1 && same(dims, full.slice(1)))))
      return (i, j) => [i, j];
    return undefined;
  }
  if (e.written === 'scalar') return R === 1 && C === 1 ? () => [0, 0] : undefined;
  if (e.written === 'vector') {
    if (R === 1 && c === C) return (_i, j) => [0, j];
    if (C === 1 && c === R) return (_i, j) => [j, 0];
    return undefined;
  }
  if (r === R && c === C) return (i, j) => [i, j];
  if (kind === 'vector' && r === C && c === 1 && R === 1) return (i) => [0, i];
  return undefined;
}

function neededShape(model: Model, e: Expectation, m: Matrix, kind: Kind, sym: string): string {
  const l = e.layer;
  switch (kind) {
    case 'scalar':
      return `${sym} is a single number`;
    case 'vector':
      return `${sym} has ${plural(m.cols, 'entry', 'entries')}`;
    case 'weights': {
      if (m.shape?.length === 4) return `${sym} is ${m.shape.join('×')} (out×in×kh×kw)`;
      const dims = model.convention === 'out_in' ? `n_${l} × n_${l - 1}` : `n_${l - 1} × n_${l}`;
      return `${sym} is ${m.rows}×${m.cols} (${dims}, convention ${model.convention})`;
    }
    case 'batch': {
      if (m.shape && m.shape.length > 2)
        return `${sym} is ${m.shape.join('×')} (examples × channels × rows × columns${m.shape[0] === 1 ? `; for one example also ${m.shape.slice(1).join('×')}` : ''})`;
      const [N, n] = model.batchLayout === 'rows' ? [m.rows, m.cols] : [m.cols, m.rows];
      if (N === 1) return `${sym} has ${plural(n, 'entry', 'entries')}`;
      if (n === 1) return `${sym} has ${plural(N, 'entry', 'entries')} (one per example)`;
      const desc =
        model.batchLayout === 'rows'
          ? 'examples × units, batch_layout: rows'
          : 'units × examples, batch_layout: columns';
      return `${sym} is ${m.rows}×${m.cols} (${desc})`;
    }
  }
}

function wroteShape(e: Expectation): string {
  if (e.written === 'tensor') return (e.dims ?? []).join('×');
  if (e.written === 'scalar') return 'a single number';
  if (e.written === 'vector') return String(e.values[0].length);
  return `${e.values.length}×${e.values[0]?.length ?? 0}`;
}

function showComputed(m: Matrix, show: (x: number) => string): string {
  if (m.rows === 1 && m.cols === 1) return show(m.data[0]);
  if (m.rows === 1 || m.cols === 1) return `(${Array.from(m.data, show).join(', ')})`;
  return `[${toRows(m)
    .map((r) => `[${r.map(show).join(', ')}]`)
    .join(', ')}]`;
}

/**
 * The computed value as a literal to write in place of one of the wrong shape: flow style (valid
 * YAML and JSON), a flat list for one row (or one column written as a list), a number for 1×1.
 */
function computedText(rows: readonly (readonly number[])[], written: Expectation['written']): string | undefined {
  if (rows.some((r) => r.some((x) => !Number.isFinite(x)))) return undefined;
  if (rows.length === 1 && rows[0].length === 1 && written === 'scalar') return formatNumber(rows[0][0]);
  if (rows.length === 1) return formatVector(rows[0]).replace(/^\(/, '[').replace(/\)$/, ']');
  if (written !== 'matrix' && rows.every((r) => r.length === 1))
    return formatVector(rows.map((r) => r[0]))
      .replace(/^\(/, '[')
      .replace(/\)$/, ']');
  return formatMatrix(rows);
}

class Result implements ExpectationResult {
  constructor(
    readonly expectation: Expectation,
    readonly symbol: string,
    readonly at: TracedQuantity,
    readonly cells: readonly CellCheck[],
    readonly ok: boolean,
    readonly computed?: readonly (readonly number[])[],
    readonly shapeError?: string,
    readonly error?: string,
    private readonly errorAt?: SourceRange,
    /** How messages write values (data, not a function: a result crosses to workers and webviews). */
    private readonly format?: NumberFormat,
  ) {}

  private show(x: number): string {
    return shower(this.format)(x);
  }

  diagnostics(): ModelDiagnostic[] {
    const e = this.expectation;
    const whole = e.ranges.value;
    if (this.error)
      return [{ range: this.errorAt ?? whole, severity: 'error', code: 'expect-unavailable', message: this.error }];
    if (this.shapeError) {
      const text = this.computed && computedText(this.computed, e.written);
      return [
        {
          range: whole,
          severity: 'error',
          code: 'expect-shape',
          message: this.shapeError,
          ...(text !== undefined ? { fix: { kind: 'replace_expected' as const, text } } : {}),
        },
      ];
    }
    const stepNote = e.step !== 1 ? ` at step ${e.step}` : '';
    if (this.ok) {
      const n = this.cells.length;
      return [
        {
          range: e.ranges.key ?? whole,
          severity: 'info',
          code: 'expect-match',
          message: `${this.symbol}${stepNote} matches (${n === 1 ? this.show(this.cells[0].computed) : plural(n, 'value')})`,
        },
      ];
    }
    const out: ModelDiagnostic[] = [];
    for (const c of this.cells) {
      if (c.ok) continue;
      const idx = writtenIndex(e, c.row, c.col);
      const fixText = Number.isFinite(c.computed)
        ? (c.computedWritten ?? replacementText(c.expected, c.computed, c.allowed))
        : undefined;
      // Arithmetic is shown back as written, and the computed value in the same form: (2/3)·1252 vs (2/3)·1292.
      const expected = c.written ? `${showHand(c.written)} = ${this.show(c.expected)}` : this.show(c.expected);
      const computed = c.computedWritten
        ? `${showHand(c.computedWritten)} = ${this.show(c.computed)}`
        : this.show(c.computed);
      out.push({
        range: c.range ?? whole,
        severity: 'error',
        code: 'expect-mismatch',
        message: `expected ${this.symbol}${idx}${stepNote} = ${expected}, computed ${computed} (|diff| ${showSmall(c.diff)} > tolerance ${showSmall(c.allowed)})`,
        ...(fixText !== undefined ? { fix: { kind: 'replace_expected' as const, text: fixText } } : {}),
      });
    }
    return out;
  }
}

/** `format`: how messages write values (the user's settings); without, as the CLI writes them. */
export function checkExpectation(model: Model, trace: Trace, e: Expectation, format?: NumberFormat): ExpectationResult {
  const show = shower(format);
  const L = model.spec.layers.length;
  const sym = expectSymbol(e.key, e.layer, e.layer === 0 ? L : undefined);
  const traced = tracedQuantity(e, L);
  const got = computedValue(trace, e);
  if ('error' in got) {
    const range =
      got.where === 'step' ? (e.stepRange ?? e.ranges.key ?? e.ranges.value) : (e.ranges.key ?? e.ranges.value);
    return new Result(e, sym, traced, [], false, undefined, undefined, got.error, range, format);
  }
  const kind = KIND[e.key];
  const convention = e.layer > 0 ? layerConvention(model, e.layer) : model.convention;
  // The value in the user's layout, and the way back to the engine's for each entry (each swap is its own inverse).
  const image = (got.m.shape?.length ?? 0) > 2;
  const m = image
    ? got.m
    : kind === 'batch'
      ? fileBatch(model, got.m)
      : kind === 'weights'
        ? fileW({ convention }, got.m)
        : got.m;
  const engineCell = (p: number, q: number): [number, number] =>
    image
      ? [p, q]
      : kind === 'batch'
        ? batchCell(model.batchLayout, p, q)
        : kind === 'weights'
          ? weightCell(convention, p, q)
          : [p, q];
  const place = placement(e, m.rows, m.cols, kind, shapeOf(m));
  if (!place) {
    const transposed =
      e.written === 'matrix' && e.values.length === m.cols && e.values[0]?.length === m.rows && m.rows !== m.cols;
    const msg = `${neededShape(model, e, m, kind, sym)}, you wrote ${wroteShape(e)}${transposed ? ' (the transpose)' : ''}; computed ${showComputed(m, show)}`;
    return new Result(e, sym, traced, [], false, toRows(m), msg, undefined, undefined, format);
  }
  const cells: CellCheck[] = [];
  const written = e.values.map((row, i) =>
    row.map((_x, j) => {
      const [p, q] = place(i, j);
      return m.data[p * m.cols + q];
    }),
  );
  let ok = true;
  e.values.forEach((row, i) =>
    row.forEach((expected, j) => {
      const [p, q] = place(i, j);
      const computed = m.data[p * m.cols + q];
      const allowed = allowedDifference(e, computed);
      const good = within(expected, computed, allowed);
      if (!good) ok = false;
      const range = e.ranges.cells[i]?.[j];
      const [engineRow, engineCol] = engineCell(p, q);
      const at: TracedEntry = { ...traced, row: engineRow, col: engineCol };
      const written = e.arithmetic?.[i]?.[j];
      const computedWritten =
        written !== undefined && !good && Number.isFinite(computed)
          ? inTheFormOf(written, computed, allowed)
          : undefined;
      cells.push({
        row: i,
        col: j,
        expected,
        computed,
        diff: Math.abs(expected - computed),
        allowed,
        ok: good,
        ...(range ? { range } : {}),
        at,
        ...(written !== undefined ? { written } : {}),
        ...(computedWritten !== undefined ? { computedWritten } : {}),
      });
    }),
  );
  return new Result(e, sym, traced, cells, ok, written, undefined, undefined, undefined, format);
}

/** A written number's index as the user reads it, 1-based: [2], [1][3], [1][2][1][1] for images. */
export function writtenIndex(e: Pick<Expectation, 'written' | 'dims' | 'values'>, row: number, col: number): string {
  if (e.written === 'scalar') return '';
  if (e.written === 'vector') return `[${col + 1}]`;
  if (e.written === 'tensor') return indexText(e.dims ?? [], row * (e.values[0]?.length ?? 0) + col);
  return `[${row + 1}][${col + 1}]`;
}

/** Every expectation of the model against the trace, in file order; `format` as for checkExpectation. */
export function checkExpectations(model: Model, trace: Trace, format?: NumberFormat): ExpectationResult[] {
  return [...model.expectations]
    .sort((a, b) => a.ranges.value.start.offset - b.ranges.value.start.offset)
    .map((e) => checkExpectation(model, trace, e, format));
}

/** All diagnostics of a set of results. */
export function expectationDiagnostics(results: readonly ExpectationResult[]): ModelDiagnostic[] {
  return results.flatMap((r) => r.diagnostics());
}
