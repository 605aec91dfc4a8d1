/**
 * Gradient check: every parameter's analytic ∂L/∂θ (from the traced backward pass at step 1)
 * against the central difference (L(θ+ε) − L(θ−ε)) / 2ε, as the lecture notes do with ε = 1e-4.
 */
import { NetworkSpec } from './network';
import { lossAt, Params, tracedStep } from './run';

export interface GradCheckOptions {
  /** Central-difference step (default 1e-4, as in the notes). */
  readonly epsilon?: number;
  /** Pass when |analytic − numeric| ≤ atol + rtol · max(|analytic|, |numeric|). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Larger networks are checked on an evenly spaced sample of this many parameters. */
  readonly maxParameters?: number;
  readonly shouldStop?: () => boolean;
}

export interface GradCheckEntry {
  readonly layer: number;
  readonly param: 'W' | 'b';
  /** 0-based row and column in the engine's layout (W is out × in; b has i = unit, j = 0). */
  readonly i: number;
  readonly j: number;
  readonly analytic: number;
  readonly numeric: number;
  readonly absError: number;
  /** |a − n| / max(|a|, |n|, 1e-10): gradients below 1e-10 are compared as rounding noise. */
  readonly relError: number;
  readonly ok: boolean;
}

export interface GradCheckResult {
  readonly epsilon: number;
  readonly entries: readonly GradCheckEntry[];
  readonly checked: number;
  readonly total: number;
  readonly maxRelError: number;
  readonly maxAbsError: number;
  readonly ok: boolean;
  readonly cancelled: boolean;
}

export const GRADCHECK_DEFAULTS = { epsilon: 1e-4, rtol: 1e-5, atol: 1e-7, maxParameters: 2000 } as const;

/**
 * The floor keeps a dead unit's analytic 1e-17 (rounding) against a numeric 0 from reading as
 * a relative error of 1: below it both numbers are noise, not gradients.
 */
export const RELATIVE_ERROR_FLOOR = 1e-10;

export function relativeError(a: number, n: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), RELATIVE_ERROR_FLOOR);
}

export function gradientCheck(spec: NetworkSpec, options: GradCheckOptions = {}): GradCheckResult {
  const eps = options.epsilon ?? GRADCHECK_DEFAULTS.epsilon;
  const rtol = options.rtol ?? GRADCHECK_DEFAULTS.rtol;
  const atol = options.atol ?? GRADCHECK_DEFAULTS.atol;
  const cap = options.maxParameters ?? GRADCHECK_DEFAULTS.maxParameters;
  const base: Params[] = spec.layers.map((l) => ({ W: l.W, b: l.b }));
  const { record } = tracedStep(spec, base, 1, []);

  // Flat index over all parameters: per layer, W row-major then b.
  const slots: { layer: number; param: 'W' | 'b'; k: number }[] = [];
  spec.layers.forEach((l, li) => {
    for (let k = 0; k < l.W.data.length; k++) slots.push({ layer: li, param: 'W', k });
    for (let k = 0; k < l.b.length; k++) slots.push({ layer: li, param: 'b', k });
  });
  const total = slots.length;
  const stride = total > cap ? total / cap : 1;
  const picked = stride === 1 ? slots : Array.from({ length: cap }, (_, i) => slots[Math.floor(i * stride)]);

  // Work on private copies so perturbation never touches the spec's arrays.
  const work: Params[] = base.map((p) => ({
    W: { rows: p.W.rows, cols: p.W.cols, data: p.W.data.slice() },
    b: p.b.slice(),
  }));
  const entries: GradCheckEntry[] = [];
  let cancelled = false;
  for (const s of picked) {
    if (options.shouldStop?.()) {
      cancelled = true;
      break;
    }
    const arr = s.param === 'W' ? work[s.layer].W.data : work[s.layer].b;
    const orig = arr[s.k];
    arr[s.k] = orig + eps;
    const up = lossAt(spec, work);
    arr[s.k] = orig - eps;
    const down = lossAt(spec, work);
    arr[s.k] = orig;
    const numeric = (up - down) / (2 * eps);
    const bw = record.backward[s.layer];
    const analytic = s.param === 'W' ? bw.dW.data[s.k] : bw.db[s.k];
    const absError = Math.abs(analytic - numeric);
    const cols = spec.layers[s.layer].W.cols;
    entries.push({
      layer: s.layer + 1,
      param: s.param,
      i: s.param === 'W' ? Math.floor(s.k / cols) : s.k,
      j: s.param === 'W' ? s.k % cols : 0,
      analytic,
      numeric,
      absError,
      relError: relativeError(analytic, numeric),
      ok:
        Number.isFinite(analytic) &&
        Number.isFinite(numeric) &&
        absError <= atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric)),
    });
  }
  return {
    epsilon: eps,
    entries,
    checked: entries.length,
    total,
    maxRelError: entries.reduce((m, e) => Math.max(m, e.relError), 0),
    maxAbsError: entries.reduce((m, e) => Math.max(m, e.absError), 0),
    ok: !cancelled && entries.every((e) => e.ok),
    cancelled,
  };
}
