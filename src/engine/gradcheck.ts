/**
 * Gradient check: every parameter's analytic ∂L/∂θ (from the traced backward pass at step 1)
 * against the central difference (L(θ+ε) − L(θ−ε)) / 2ε, as the lecture notes do with ε = 1e-4,
 * done the way careful checkers do it:
 * - a perturbation that crosses a kink (relu's z = 0, a max's tie, a hinge's margin) is caught by
 *   comparing the piecewise ops' branch decisions at θ, θ + ε and θ − ε (branches.ts), and
 *   reported as not differentiable there, not as a failure;
 * - the tolerance is the difference's own error: round-off u·S/ε (S the size of the terms the loss
 *   was computed from) and truncation O(ε²), measured by a second difference at ε/2 when needed;
 * - an ε that cannot work (round-off or truncation above 0.1% of the gradients) is refused with
 *   the reason, and a loss that is not finite at θ is not checked at all (health reports it once).
 */
import { NetworkSpec } from './network';
import { lossAt, Params, tracedStep } from './run';
import { ForwardRecord, StepRecord } from './trace';
import { activation } from './activations';
import { computeLoss, LOSS_BRANCHES } from './losses';
import { BranchSite, firstDifference, ON_KINK, site } from './branches';
import { kindOf } from './layers/registry';
import { formatNumber } from './numberFormat';
import { Matrix } from './tensor';

export interface GradCheckOptions {
  /** Central-difference step (default 1e-4, as in the notes). */
  readonly epsilon?: number;
  /** Relative part of the tolerance: |analytic − numeric| ≤ rtol · max(|analytic|, |numeric|) + the difference's own error. */
  readonly rtol?: number;
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
  /** The largest |analytic − numeric| accepted here. */
  readonly tolerance: number;
  /** False only for a failure: an entry at a kink is neither checked nor failed. */
  readonly ok: boolean;
  /** Set when θ ± ε crosses a kink (or leaves the loss's domain): where, in words. */
  readonly kink?: string;
}

export interface GradCheckResult {
  readonly epsilon: number;
  readonly entries: readonly GradCheckEntry[];
  readonly checked: number;
  readonly total: number;
  /** Over the entries that were compared (not those at a kink). */
  readonly maxRelError: number;
  readonly maxAbsError: number;
  /** Entries whose perturbation crossed a kink: reported, not compared. */
  readonly kinks: number;
  readonly ok: boolean;
  readonly cancelled: boolean;
  /** Set when ε cannot work for this model (too small for round-off, too large for truncation): why. Nothing was checked. */
  readonly refused?: string;
  /** With `refused`: the nearest ε that would work. */
  readonly suggestedEpsilon?: number;
  /** Set when the check could not run: the loss or a gradient is not finite at the file's weights. */
  readonly notRun?: string;
}

export const GRADCHECK_DEFAULTS = { epsilon: 1e-4, rtol: 1e-5, maxParameters: 2000 } as const;

/**
 * The floor keeps a dead unit's analytic 1e-17 (rounding) against a numeric 0 from reading as
 * a relative error of 1: below it both numbers are noise, not gradients.
 */
export const RELATIVE_ERROR_FLOOR = 1e-10;

/** Unit round-off of float64. */
const U = Number.EPSILON / 2;
/** Round-off of one central difference, in units of u·S/ε: each L carries a few u·S, halved by 2ε, with room to spare. */
const ROUNDOFF_FACTOR = 8;
/** Gradients below this share of the loss's scale per unit of θ mark a stationary point. */
const STATIONARY = 1e-3;
/** Below the smallest normal double a scale has no digits left to judge by. */
const SMALLEST_NORMAL = 2 ** -1022;
/** An ε whose round-off or truncation exceeds this share of the gradients' size cannot tell right from 0.1% wrong. */
const FIT = 1e-3;

export function relativeError(a: number, n: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), RELATIVE_ERROR_FLOOR);
}

/** The round-off of a central difference with step h when the loss's terms have size `scale` (no finer than the smallest double). */
export function roundoffError(scale: number, h: number): number {
  return (ROUNDOFF_FACTOR * Math.max(U * scale, Number.MIN_VALUE)) / h;
}

/**
 * The branch decisions of one forward pass: each piecewise activation's, then the loss's. A layer
 * kind with decisions of its own (a max-pool's argmax) adds its rule here, beside its activation's.
 */
export function branchSites(spec: NetworkSpec, fwd: readonly ForwardRecord[]): BranchSite[] {
  const out: BranchSite[] = [];
  fwd.forEach((f, l) => {
    const layer = spec.layers[l];
    const kindRule = kindOf(layer).branches?.(layer);
    if (kindRule) out.push(site(kindRule, l === 0 ? spec.input : fwd[l - 1].a, l + 1));
    const rule = activation(layer.activation).branches;
    if (rule) out.push(site(rule, f.z, l + 1));
  });
  const lossRule = LOSS_BRANCHES[spec.loss];
  const last = fwd[fwd.length - 1];
  if (lossRule && last)
    out.push(site(lossRule, { z: last.z, a: last.a, t: spec.target, margin: spec.margin }, fwd.length));
  return out;
}

/**
 * The size S of the terms L was computed from, so that one evaluation of L is good to a few u·S:
 * the loss's own terms, each activation's output (relative round-off times |∂L/∂a|), and each
 * affine sum Σ|W||a| + |b| weighted by |δ| (cancellation in z loses digits of the terms, not of z).
 */
export function lossTermScale(spec: NetworkSpec, rec: StepRecord): number {
  const L = rec.forward.length;
  const last = rec.forward[L - 1];
  let s =
    Math.abs(rec.loss.value) +
    computeLoss(spec.loss, last.activation, last.z, last.a, spec.target, false, spec.margin).scale +
    rec.loss.l2Term;
  const abs = (m: Matrix): Matrix => ({ ...m, data: m.data.map(Math.abs) });
  for (let l = 0; l < L; l++) {
    const b = rec.backward[l],
      u = rec.update[l],
      layer = spec.layers[l];
    const aPrev = l === 0 ? rec.input : rec.forward[l - 1].a;
    // Σ|W||a| + |b| per output: the layer's own forward pass on the magnitudes (dense, conv or pooling alike).
    const T = kindOf(layer).forward(layer, { W: abs(u.W), b: u.b.map(Math.abs) }, abs(aPrev)).data;
    const D = b.delta.data,
      dA = b.dA.data,
      A = rec.forward[l].a.data;
    for (let i = 0; i < D.length; i++) s += Math.abs(D[i]) * T[i] + Math.abs(dA[i] * A[i]);
  }
  return s;
}

/** Root mean square of the gradients (`grad`) or of the parameters, over every W and b. */
function rms(rec: StepRecord, of: 'grad' | 'param'): number {
  let s = 0,
    n = 0;
  rec.backward.forEach((b, l) => {
    const [W, v] = of === 'grad' ? [b.dW.data, b.db] : [rec.update[l].W.data, rec.update[l].b];
    for (const x of W) s += x * x;
    for (const x of v) s += x * x;
    n += W.length + v.length;
  });
  return n ? Math.sqrt(s / n) : 0;
}

const show = (x: number) => formatNumber(x, 2);

export function gradientCheck(spec: NetworkSpec, options: GradCheckOptions = {}): GradCheckResult {
  const eps = options.epsilon ?? GRADCHECK_DEFAULTS.epsilon;
  const rtol = options.rtol ?? GRADCHECK_DEFAULTS.rtol;
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
  const result = (
    entries: GradCheckEntry[],
    cancelled: boolean,
    why: { refused?: string; suggestedEpsilon?: number; notRun?: string } = {},
  ): GradCheckResult => {
    const compared = entries.filter((e) => !e.kink);
    return {
      epsilon: eps,
      entries,
      checked: entries.length,
      total,
      maxRelError: compared.reduce((m, e) => Math.max(m, e.relError), 0),
      maxAbsError: compared.reduce((m, e) => Math.max(m, e.absError), 0),
      kinks: entries.length - compared.length,
      ok: !cancelled && !why.refused && !why.notRun && entries.every((e) => e.ok),
      cancelled,
      ...why,
    };
  };

  // A NaN at θ is reported once, by the trace's health, not again for every parameter.
  const nonFinite = !Number.isFinite(record.loss.value)
    ? `the loss is ${formatNumber(record.loss.value)} at the file's weights`
    : record.backward.some((b) => b.dW.data.some((x) => !Number.isFinite(x)) || b.db.some((x) => !Number.isFinite(x)))
      ? "a gradient is not finite at the file's weights"
      : undefined;
  if (nonFinite) return result([], false, { notRun: `the gradient check did not run: ${nonFinite}` });

  const scale = lossTermScale(spec, record);
  // What ε is judged against: the gradients, or near a stationary point (where no ε resolves
  // the tiny gradients, which is no ε's fault) a thousandth of the loss's scale per unit of θ.
  const gradSize = Math.max(rms(record, 'grad'), (STATIONARY * scale) / Math.max(1, rms(record, 'param')));
  const judged = gradSize >= SMALLEST_NORMAL;
  const noise = roundoffError(scale, eps);
  const smallest = roundoffError(scale, 1) / (FIT * gradSize);
  if (judged && eps < smallest) {
    return result([], false, {
      refused:
        `ε = ${eps} is too small for this model: float64 round-off in L (terms of size ${show(scale)}) makes each ` +
        `central difference uncertain by about ${show(noise)}, more than 0.1% of the gradients' scale (${show(gradSize)}); ` +
        `use ε ≥ ${show(smallest)} (the default is ${GRADCHECK_DEFAULTS.epsilon})`,
      suggestedEpsilon: Number(show(2 * smallest)),
    });
  }

  const stride = total > cap ? total / cap : 1;
  const picked = stride === 1 ? slots : Array.from({ length: cap }, (_, i) => slots[Math.floor(i * stride)]);
  // Work on private copies so perturbation never touches the spec's arrays.
  const work: Params[] = base.map((p) => ({
    W: { rows: p.W.rows, cols: p.W.cols, data: p.W.data.slice() },
    b: p.b.slice(),
  }));
  const atBase = branchSites(spec, record.forward);
  const evaluate = (): { value: number; sites: BranchSite[] } => {
    let sites: BranchSite[] = [];
    const value = lossAt(spec, work, atBase.length ? (fwd) => (sites = branchSites(spec, fwd)) : undefined);
    return { value, sites };
  };
  /** The central difference with step h, or where it crosses a kink. */
  const difference = (arr: Float64Array, k: number, h: number): { numeric: number; noise: number; kink?: string } => {
    const orig = arr[k];
    arr[k] = orig + h;
    const up = evaluate();
    arr[k] = orig - h;
    const down = evaluate();
    arr[k] = orig;
    const numeric = (up.value - down.value) / (2 * h);
    // The perturbed losses count too: L(θ) may be 0 where L(θ ± h) is not.
    const noise = roundoffError(Math.max(scale, Math.abs(up.value), Math.abs(down.value)), h);
    const crossed = firstDifference(up.sites, down.sites) ?? firstDifference(atBase, up.sites);
    if (crossed) {
      const s = atBase[crossed.site];
      const where = s.describe(crossed.index);
      return {
        numeric,
        noise,
        kink:
          s.codes[crossed.index] === ON_KINK
            ? `not differentiable here (${where}: ${s.op}'s kink)`
            : `θ ± ${h} crosses ${s.op}'s kink (${where}): the central difference is no derivative there; a smaller ε would check it`,
      };
    }
    if (!Number.isFinite(up.value) || !Number.isFinite(down.value))
      return { numeric, noise, kink: `the loss is not finite at θ ± ${h} (outside its domain)` };
    return { numeric, noise };
  };

  const entries: GradCheckEntry[] = [];
  let worstTruncation = 0;
  let cancelled = false;
  for (const s of picked) {
    if (options.shouldStop?.()) {
      cancelled = true;
      break;
    }
    const arr = s.param === 'W' ? work[s.layer].W.data : work[s.layer].b;
    const bw = record.backward[s.layer];
    const analytic = s.param === 'W' ? bw.dW.data[s.k] : bw.db[s.k];
    const cols = spec.layers[s.layer].W.cols;
    const place = {
      layer: s.layer + 1,
      param: s.param,
      i: s.param === 'W' ? Math.floor(s.k / cols) : s.k,
      j: s.param === 'W' ? s.k % cols : 0,
    };
    const d = difference(arr, s.k, eps);
    let tolerance = rtol * Math.max(Math.abs(analytic), Math.abs(d.numeric), RELATIVE_ERROR_FLOOR) + d.noise;
    let kink = d.kink;
    if (!kink && !(Math.abs(analytic - d.numeric) <= tolerance)) {
      // Truncation, O(ε²): a second difference at ε/2 measures it (D(ε) − D(ε/2) ≈ ¾ c ε²).
      const half = difference(arr, s.k, eps / 2);
      if (half.kink) kink = half.kink;
      else if (Number.isFinite(half.numeric)) {
        const truncation = (4 / 3) * Math.abs(d.numeric - half.numeric);
        tolerance += 1.5 * truncation;
        // Less the round-off the two differences carry (noise at ε, twice that at ε/2).
        worstTruncation = Math.max(worstTruncation, truncation - (4 / 3) * (d.noise + half.noise));
      }
    }
    const absError = Math.abs(analytic - d.numeric);
    entries.push({
      ...place,
      analytic,
      numeric: d.numeric,
      absError,
      relError: relativeError(analytic, d.numeric),
      tolerance,
      ok: kink !== undefined || (Number.isFinite(analytic) && absError <= tolerance),
      ...(kink ? { kink } : {}),
    });
  }
  const largest = eps * Math.sqrt((FIT * gradSize) / worstTruncation);
  if (judged && worstTruncation > FIT * gradSize && largest >= smallest) {
    return result([], cancelled, {
      refused:
        `ε = ${eps} is too large for this model: the central difference's O(ε²) error (measured against ε/2) ` +
        `reaches ${show(worstTruncation)}, more than 0.1% of the gradients' scale (${show(gradSize)}); ` +
        `use ε ≤ ${show(largest)} (the default is ${GRADCHECK_DEFAULTS.epsilon})`,
      suggestedEpsilon: Number(show(largest / 2)),
    });
  }
  return result(entries, cancelled);
}
