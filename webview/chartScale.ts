/**
 * The loss chart's arithmetic, without the DOM (tested in plain Node): axis ranges and ticks
 * (1, 2, 5 × 10ᵏ; decades on a log scale), and the curve of a long run as each pixel column's
 * lowest and highest loss, so that a million steps draw as a few hundred segments and no spike
 * between two drawn points disappears.
 */

export interface Scale {
  readonly log: boolean;
  /** The data range drawn (in data units, not log). */
  readonly lo: number;
  readonly hi: number;
  /** Data value → 0 (bottom) … 1 (top). */
  at(v: number): number;
}

/** Finite losses' range; positive ones only for a log scale. */
export function lossRange(losses: Float64Array, n: number, log: boolean): { lo: number; hi: number } | null {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = losses[i];
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? { lo, hi } : null;
}

/**
 * The data's range widened to take in a reference value (a closed-form optimum) with a little room
 * below it, so that its line never lies on the x axis (where the scale can show it: > 0 on a log scale).
 */
export function withOptimum(
  range: { lo: number; hi: number },
  optimum: number | undefined,
  log: boolean,
): { lo: number; hi: number } {
  if (optimum === undefined || !Number.isFinite(optimum) || (log && optimum <= 0)) return range;
  const f = (v: number) => (log ? Math.log10(v) : v),
    g = (v: number) => (log ? 10 ** v : v);
  const lo = Math.min(f(range.lo), f(optimum)),
    hi = Math.max(f(range.hi), f(optimum));
  const room = 0.08 * (hi - lo || 1);
  const below = g(lo - room);
  // A loss is never negative: on a linear scale the room stops at 0.
  return { lo: !log && optimum >= 0 ? Math.max(0, below) : below, hi: g(hi) };
}

/** A log scale suits a loss that falls by orders of magnitude, as training curves usually do. */
export function prefersLog(losses: Float64Array, n: number): boolean {
  const r = lossRange(losses, n, true);
  const all = lossRange(losses, n, false);
  return !!r && !!all && all.lo > 0 && r.hi / r.lo > 100;
}

export function canLog(losses: Float64Array, n: number): boolean {
  return lossRange(losses, n, true) !== null;
}

export function makeScale(range: { lo: number; hi: number }, log: boolean): Scale {
  const f = (v: number) => (log ? Math.log10(v) : v);
  let a = f(range.lo),
    b = f(range.hi);
  if (a === b) {
    // A flat curve sits in the middle of a small band around its value.
    const pad = log ? 0.5 : Math.abs(a) > 0 ? Math.abs(a) * 0.1 : 1;
    a -= pad;
    b += pad;
  }
  const lo = log ? 10 ** a : a,
    hi = log ? 10 ** b : b;
  return { log, lo, hi, at: (v) => (f(v) - a) / (b - a) };
}

/** About `count` round numbers (1, 2, 5 × 10ᵏ) from lo to hi. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || count < 1) return [lo];
  const raw = (hi - lo) / count;
  const k = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * k).find((s) => s >= raw) ?? 10 * k;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Ticks of a log axis: each decade when the range spans two or more, else round numbers between. */
export function logTicks(lo: number, hi: number, count: number): number[] {
  const a = Math.log10(lo),
    b = Math.log10(hi);
  if (b - a >= 2) {
    const every = Math.max(1, Math.ceil((Math.floor(b) - Math.ceil(a) + 1) / count));
    const out: number[] = [];
    for (let e = Math.ceil(a); e <= Math.floor(b); e += every) out.push(10 ** e);
    return out;
  }
  return niceTicks(lo, hi, count).filter((v) => v > 0);
}

/** Step ticks: round step numbers in 1..n (never 0, never past the run). */
export function stepTicks(n: number, count: number): number[] {
  const t = niceTicks(0, n, count).filter((v) => v >= 1 && v <= n && Number.isInteger(v));
  return t.length ? t : [1];
}

/** Per pixel column of `width`, the lowest and highest finite loss of its steps (NaN: none). */
export function envelope(losses: Float64Array, n: number, width: number): { min: Float64Array; max: Float64Array } {
  const min = new Float64Array(width).fill(NaN),
    max = new Float64Array(width).fill(NaN);
  const per = n > 1 ? (width - 1) / (n - 1) : 0;
  for (let i = 0; i < n; i++) {
    const v = losses[i];
    if (!Number.isFinite(v)) continue;
    const c = Math.round(i * per);
    if (!(min[c] <= v)) min[c] = v;
    if (!(max[c] >= v)) max[c] = v;
  }
  return { min, max };
}

/** The step under a horizontal position 0 … 1 of the plot. */
export function stepAt(fraction: number, n: number): number {
  return Math.min(n, Math.max(1, Math.round(fraction * (n - 1)) + 1));
}
