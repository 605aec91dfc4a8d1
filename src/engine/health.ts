/**
 * Numeric health of a step: the first NaN/∞ and where it appeared, saturated sigmoid/tanh
 * units, dead ReLUs, vanishing or exploding gradients. Each warning is reported once per layer
 * and kind (the `seen` set), so a long run does not drown the user in repeats.
 */
import { firstNonFinite, Matrix, norm } from './tensor';
import { NetworkSpec } from './network';
import { HealthIssue, HealthKind, StepRecord } from './trace';
import { sup } from './numberFormat';

export interface HealthOptions {
  /** A sigmoid unit is saturated when |z| exceeds this for every example (σ' < 0.0067 at 5). */
  readonly sigmoidSaturationZ: number;
  /** A tanh unit is saturated when |z| exceeds this for every example (σ' < 0.01 at 3). */
  readonly tanhSaturationZ: number;
  /** ‖δ^l‖ / ‖δ^L‖ below this is a vanishing gradient. */
  readonly vanishingRatio: number;
  /** ‖∂L/∂W^l‖ above this is an exploding gradient. */
  readonly explodingNorm: number;
}

export const DEFAULT_HEALTH: HealthOptions = {
  sigmoidSaturationZ: 5,
  tanhSaturationZ: 3,
  vanishingRatio: 1e-6,
  explodingNorm: 1e6,
};

/** Units (columns) for which `pred(z)` holds in every example (row). */
function unitsWhere(z: Matrix, pred: (x: number) => boolean): number[] {
  const out: number[] = [];
  for (let j = 0; j < z.cols; j++) {
    let all = true;
    for (let i = 0; i < z.rows && all; i++) all = pred(z.data[i * z.cols + j]);
    if (all) out.push(j);
  }
  return out;
}

/** How each quantity is named in a message. */
const SYMBOL: Record<string, string> = { delta: 'δ', dW: '∂L/∂W', db: '∂L/∂b', W_next: "W'", b_next: "b'" };

/**
 * Where entry i of a quantity is, 1-based and in words that need no layout: a unit (and example,
 * in a batch) for z, a, δ; the weight from a unit of layer l − 1 to a unit of layer l for W-shaped values.
 */
function entryPlace(
  layer: number,
  shape: 'batch' | 'weights' | 'vector',
  rows: number,
  cols: number,
  i: number,
): string {
  const r = Math.floor(i / cols) + 1,
    c = (i % cols) + 1;
  if (shape === 'weights')
    return `the weight from unit ${c} of ${layer === 1 ? 'the input' : `layer ${layer - 1}`} to unit ${r}`;
  if (shape === 'vector') return `unit ${i + 1}`;
  return rows > 1 ? `unit ${c}, example ${r}` : `unit ${c}`;
}

function nonFinite(rec: StepRecord): HealthIssue | null {
  const s = rec.step;
  const check = (
    layer: number,
    quantity: string,
    m: { rows: number; cols: number; data: Float64Array },
    shape: 'batch' | 'weights' | 'vector',
  ): HealthIssue | null => {
    const i = firstNonFinite(m.data);
    if (i < 0) return null;
    const where = layer === 0 ? '' : ` (layer ${layer}, ${entryPlace(layer, shape, m.rows, m.cols, i)})`;
    const name = layer === 0 ? 'the loss' : `${SYMBOL[quantity] ?? quantity}${sup(layer)}`;
    return {
      kind: 'non_finite',
      severity: 'error',
      step: s,
      layer,
      quantity,
      message: `${name} became ${String(m.data[i])} at step ${s}${where}`,
    };
  };
  const vec = (v: Float64Array) => ({ rows: 1, cols: v.length, data: v });
  // Event order: forward, loss, backward L..1, update.
  for (const f of rec.forward) {
    const hit = check(f.layer, 'z', f.z, 'batch') ?? check(f.layer, 'a', f.a, 'batch');
    if (hit) return hit;
  }
  const lossHit = check(0, 'loss', vec(new Float64Array([rec.loss.value])), 'vector');
  if (lossHit) return lossHit;
  for (let l = rec.backward.length - 1; l >= 0; l--) {
    const b = rec.backward[l];
    const hit =
      check(b.layer, 'delta', b.delta, 'batch') ??
      check(b.layer, 'dW', b.dW, 'weights') ??
      check(b.layer, 'db', vec(b.db), 'vector');
    if (hit) return hit;
  }
  for (const u of rec.update) {
    const hit = check(u.layer, 'W_next', u.WNext, 'weights') ?? check(u.layer, 'b_next', vec(u.bNext), 'vector');
    if (hit) return hit;
  }
  return null;
}

export function checkStepHealth(
  spec: NetworkSpec,
  rec: StepRecord,
  options: Partial<HealthOptions> | undefined,
  seen: Set<string>,
): HealthIssue[] {
  const o = { ...DEFAULT_HEALTH, ...options };
  const nf = nonFinite(rec);
  if (nf) return [nf];
  const out: HealthIssue[] = [];
  const warn = (kind: HealthKind, layer: number, quantity: string, message: string) => {
    const key = `${kind}:${layer}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, severity: 'warning', step: rec.step, layer, quantity, message });
  };
  const L = spec.layers.length;
  for (const f of rec.forward) {
    const l = f.layer,
      act = f.activation,
      n = f.z.cols;
    if (act === 'sigmoid' || act === 'tanh') {
      const limit = act === 'sigmoid' ? o.sigmoidSaturationZ : o.tanhSaturationZ;
      const sat = unitsWhere(f.z, (x) => Math.abs(x) > limit);
      if (sat.length)
        warn(
          'saturation',
          l,
          'z',
          `${sat.length} of ${n} ${act} unit${n === 1 ? '' : 's'} in layer ${l} saturated at step ${rec.step} (|z| > ${limit} for every example; σ' ≈ 0, little gradient flows): unit${sat.length === 1 ? '' : 's'} ${sat.map((j) => j + 1).join(', ')}`,
        );
    } else if (act === 'relu') {
      const dead = unitsWhere(f.z, (x) => x <= 0);
      // With one example an inactive unit is ordinary; it is "dead" across a batch, or when the whole layer is.
      if (dead.length && (f.z.rows > 1 || dead.length === n)) {
        warn(
          'dead_relu',
          l,
          'z',
          `${dead.length} of ${n} ReLU unit${n === 1 ? '' : 's'} in layer ${l} dead at step ${rec.step} (z ≤ 0 for every example; no gradient reaches their weights): unit${dead.length === 1 ? '' : 's'} ${dead.map((j) => j + 1).join(', ')}`,
        );
      }
    }
  }
  const top = norm(rec.backward[L - 1].delta.data);
  for (const b of rec.backward) {
    const gn = norm(b.dW.data);
    if (gn > o.explodingNorm)
      warn(
        'exploding_gradient',
        b.layer,
        'dW',
        `‖∂L/∂W${sup(b.layer)}‖ = ${gn.toExponential(2)} at step ${rec.step} exceeds ${o.explodingNorm.toExponential(0)}: exploding gradient (lower the learning rate or rescale inputs)`,
      );
    if (b.layer < L && top > 0) {
      const ratio = norm(b.delta.data) / top;
      if (ratio < o.vanishingRatio)
        warn(
          'vanishing_gradient',
          b.layer,
          'delta',
          `‖δ${sup(b.layer)}‖ / ‖δ${sup(L)}‖ = ${ratio.toExponential(2)} at step ${rec.step}: vanishing gradient (below ${o.vanishingRatio.toExponential(0)})`,
        );
    }
  }
  return out;
}
