/**
 * Losses over the whole batch (N examples, K output units), each with its gradient beside it.
 * δ^l is ∂L/∂z^l of this batch loss, so a mean's 1/N is carried into every δ.
 * Two pairs are fused for numerical stability, computed from z^L rather than a^L:
 * softmax + cross_entropy (δ^L = ŷ − y, over N) and sigmoid + binary_cross_entropy.
 * The two margin losses of the notes have hinges: their subgradient there is 0 (a margin that
 * is exactly met is not active), and LOSS_BRANCHES tells the gradient check which are active.
 */
import { Matrix } from './tensor';
import { ActivationName, LossName } from './network';
import { sigmoid } from './activations';
import { BranchRule, ON_KINK } from './branches';

export interface LossOutput {
  readonly value: number;
  /** ∂L/∂a^L. */
  readonly dA: Matrix;
  /** δ^L straight from z^L when the pair is fused, else null (the caller applies σ'). */
  readonly fusedDelta: Matrix | null;
  /** The size of the terms the value was computed from: its round-off is a few u · scale (the gradient check's tolerance). */
  readonly scale: number;
}

/** The margin of hinge and the Δ of max_margin when the file does not give one. */
export const DEFAULT_MARGIN = 1;

/** The class of each example: the first maximum of its (one-hot) target row. */
function classOf(T: Float64Array, r: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (T[r + j] > T[r + best]) best = j;
  return best;
}

/** What a loss's branch decisions look at. */
export interface LossInput {
  readonly z: Matrix;
  readonly a: Matrix;
  readonly t: Matrix;
  /** hinge's margin, max_margin's Δ (DEFAULT_MARGIN when absent). */
  readonly margin?: number;
}

/** A margin's decision: active (1), inactive (0), or exactly met (ON_KINK, where the hinge has no derivative). */
const side = (m: number): number => (m > 0 ? 1 : m < 0 ? 0 : ON_KINK);

/** Piecewise losses (the hinge losses' active margins) register their branch decisions here; smooth ones have none. */
export const LOSS_BRANCHES: Partial<Record<LossName, BranchRule<LossInput>>> = {
  hinge: {
    op: 'hinge',
    decide({ a, t, margin = DEFAULT_MARGIN }) {
      const A = a.data,
        k = a.cols;
      const out = new Int32Array(A.length);
      for (let r = 0; r < A.length; r += k) {
        const y = classOf(t.data, r, k);
        for (let j = 0; j < k; j++) out[r + j] = j === y ? 0 : side(margin - A[r + y] + A[r + j]);
      }
      return out;
    },
    describe: ({ a }, i) =>
      `the margin of class ${(i % a.cols) + 1}${a.rows > 1 ? ` in example ${Math.floor(i / a.cols) + 1}` : ''}`,
  },
  max_margin: {
    op: 'max_margin',
    decide({ a, margin = DEFAULT_MARGIN }) {
      const A = a.data,
        k = a.cols;
      const pairs = Math.floor(a.rows / 2);
      const out = new Int32Array(pairs * k);
      for (let p = 0; p < pairs; p++)
        for (let j = 0; j < k; j++) out[p * k + j] = side(margin - A[2 * p * k + j] + A[(2 * p + 1) * k + j]);
      return out;
    },
    describe: ({ a }, i) =>
      `the margin of pair ${Math.floor(i / a.cols) + 1} (examples ${2 * Math.floor(i / a.cols) + 1}, ${2 * Math.floor(i / a.cols) + 2})`,
  },
};

export function isFused(loss: LossName, last: ActivationName): boolean {
  return (loss === 'cross_entropy' && last === 'softmax') || (loss === 'binary_cross_entropy' && last === 'sigmoid');
}

/** The loss and its gradient. z is needed only by the fused pairs (and softmax + binary_cross_entropy). */
export function computeLoss(
  loss: LossName,
  last: ActivationName,
  z: Matrix,
  a: Matrix,
  t: Matrix,
  withGradient = true,
  margin = DEFAULT_MARGIN,
): LossOutput {
  const n = a.rows,
    k = a.cols,
    count = n * k;
  const A = a.data,
    T = t.data,
    Z = z.data;
  const dA = new Float64Array(withGradient ? count : 0);
  let value = 0;
  let magnitude = 0;
  let fusedDelta: Float64Array | null = null;
  switch (loss) {
    case 'sse':
    case 'half_sse':
    case 'mse': {
      const scale = loss === 'sse' ? 1 : loss === 'half_sse' ? 0.5 : 1 / count;
      for (let i = 0; i < count; i++) {
        const d = A[i] - T[i];
        value += d * d;
        if (withGradient) dA[i] = 2 * scale * d;
      }
      value *= scale;
      magnitude = value;
      break;
    }
    case 'cross_entropy': {
      if (withGradient) for (let i = 0; i < count; i++) dA[i] = T[i] === 0 ? 0 : -T[i] / (n * A[i]);
      if (last === 'softmax') {
        // log p_k = z_k − logsumexp(z): finite even where p_k underflows to 0.
        if (withGradient) fusedDelta = new Float64Array(count);
        for (let r = 0; r < count; r += k) {
          let max = -Infinity,
            tsum = 0;
          for (let j = 0; j < k; j++) {
            if (Z[r + j] > max) max = Z[r + j];
            tsum += T[r + j];
          }
          let s = 0;
          for (let j = 0; j < k; j++) s += Math.exp(Z[r + j] - max);
          const lse = max + Math.log(s);
          for (let j = 0; j < k; j++) {
            if (T[r + j] !== 0) {
              value -= T[r + j] * (Z[r + j] - lse);
              magnitude += Math.abs(T[r + j]) * (Math.abs(Z[r + j]) + Math.abs(lse));
            }
            // ∂/∂z_j of −Σ t log p = p_j Σt − t_j (= p − t for one-hot or probability targets).
            if (fusedDelta) fusedDelta[r + j] = (A[r + j] * tsum - T[r + j]) / n;
          }
        }
      } else {
        for (let i = 0; i < count; i++) if (T[i] !== 0) value -= T[i] * Math.log(A[i]);
        magnitude = Math.abs(value);
      }
      value /= n;
      magnitude /= n;
      break;
    }
    case 'binary_cross_entropy': {
      // 1 − a, exactly where it matters: a softmax output near 1 would lose all its digits in 1 − a.
      const oneMinus = last === 'softmax' ? softmaxComplement(Z, k) : null;
      if (last === 'sigmoid') {
        // −[t log σ(z) + (1−t) log(1−σ(z))] = max(z, 0) − z t + log(1 + e^(−|z|)).
        if (withGradient) fusedDelta = new Float64Array(count);
        for (let i = 0; i < count; i++) {
          const zi = Z[i];
          const soft = Math.log1p(Math.exp(-Math.abs(zi)));
          value += Math.max(zi, 0) - zi * T[i] + soft;
          magnitude += Math.abs(zi) * (1 + Math.abs(T[i])) + soft;
          if (fusedDelta) fusedDelta[i] = (sigmoid(zi) - T[i]) / count;
        }
      } else {
        for (let i = 0; i < count; i++) {
          const ti = T[i];
          const logA = Math.log(A[i]);
          const log1mA = oneMinus ? Math.log(oneMinus[i]) : Math.log(1 - A[i]);
          const pos = ti === 0 ? 0 : ti * logA,
            neg = ti === 1 ? 0 : (1 - ti) * log1mA;
          value -= pos + neg;
          magnitude += Math.abs(pos) + Math.abs(neg);
        }
      }
      if (withGradient)
        for (let i = 0; i < count; i++) {
          const om = oneMinus ? oneMinus[i] : 1 - A[i];
          dA[i] = (A[i] - T[i]) / (A[i] * om * count);
        }
      value /= count;
      magnitude /= count;
      break;
    }
    case 'hinge': {
      // PyTorch's MultiMarginLoss: (1/N) Σₙ (1/K) Σ_{j≠y} max(0, margin − a_y + a_j).
      const scale = 1 / (n * k);
      for (let r = 0; r < count; r += k) {
        const y = classOf(T, r, k);
        const ay = A[r + y];
        for (let j = 0; j < k; j++) {
          if (j === y) continue;
          const m = margin - ay + A[r + j];
          if (m > 0) {
            value += m;
            if (withGradient) {
              dA[r + j] += scale;
              dA[r + y] -= scale;
            }
          }
        }
      }
      value *= scale;
      break;
    }
    case 'max_margin': {
      // The notes' window objective, PyTorch's MarginRankingLoss with y = 1: examples in pairs
      // (true s, corrupted s_c), J = mean over pairs of max(0, Δ − s + s_c).
      const pairs = Math.floor(n / 2);
      const scale = pairs > 0 ? 1 / (pairs * k) : 0;
      for (let p = 0; p < pairs; p++)
        for (let j = 0; j < k; j++) {
          const s = 2 * p * k + j,
            c = s + k;
          const m = margin - A[s] + A[c];
          if (m > 0) {
            value += m;
            if (withGradient) {
              dA[s] -= scale;
              dA[c] += scale;
            }
          }
        }
      value *= scale;
      break;
    }
  }
  return {
    value,
    dA: { rows: n, cols: k, data: dA },
    fusedDelta: fusedDelta ? { rows: n, cols: k, data: fusedDelta } : null,
    scale: magnitude,
  };
}

/**
 * 1 − softmax(z) per entry, as the sum of the other entries' probabilities (prefix and suffix
 * sums of positive terms: no cancellation), where 1 − p would keep none of p's digits near 1.
 */
function softmaxComplement(Z: Float64Array, k: number): Float64Array {
  const out = new Float64Array(Z.length);
  const e = new Float64Array(k);
  for (let r = 0; r < Z.length; r += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (Z[r + j] > max) max = Z[r + j];
    if (!Number.isFinite(max)) max = 0;
    let s = 0;
    for (let j = 0; j < k; j++) s += e[j] = Math.exp(Z[r + j] - max);
    // out[r + j] = (Σ_{i<j} e_i + Σ_{i>j} e_i) / s, in two passes.
    let before = 0;
    for (let j = 0; j < k; j++) {
      out[r + j] = before;
      before += e[j];
    }
    let after = 0;
    for (let j = k - 1; j >= 0; j--) {
      out[r + j] = (out[r + j] + after) / s;
      after += e[j];
    }
  }
  return out;
}

/** The loss formula, as text and LaTeX, for equations and hovers. */
export function lossFormula(
  loss: LossName,
  margin = DEFAULT_MARGIN,
): { text: string; latex: string; gradText: string; gradLatex: string } {
  switch (loss) {
    case 'sse':
      return {
        text: 'L = Σ (a − t)²',
        latex: 'L = \\sum (a - t)^2',
        gradText: '∂L/∂a = 2(a − t)',
        gradLatex: '\\frac{\\partial L}{\\partial a} = 2(a - t)',
      };
    case 'half_sse':
      return {
        text: 'L = ½ Σ (a − t)²',
        latex: 'L = \\tfrac{1}{2} \\sum (a - t)^2',
        gradText: '∂L/∂a = a − t',
        gradLatex: '\\frac{\\partial L}{\\partial a} = a - t',
      };
    case 'mse':
      return {
        text: 'L = (1/NK) Σ (a − t)²',
        latex: 'L = \\frac{1}{NK} \\sum (a - t)^2',
        gradText: '∂L/∂a = 2(a − t)/(NK)',
        gradLatex: '\\frac{\\partial L}{\\partial a} = \\frac{2(a - t)}{NK}',
      };
    case 'cross_entropy':
      return {
        text: 'L = −(1/N) Σ t log a',
        latex: 'L = -\\frac{1}{N} \\sum t \\log a',
        gradText: '∂L/∂a = −t / (N a)',
        gradLatex: '\\frac{\\partial L}{\\partial a} = -\\frac{t}{N a}',
      };
    case 'binary_cross_entropy':
      return {
        text: 'L = −(1/NK) Σ [t log a + (1 − t) log(1 − a)]',
        latex: 'L = -\\frac{1}{NK} \\sum \\left[t \\log a + (1 - t)\\log(1 - a)\\right]',
        gradText: '∂L/∂a = (a − t) / (a(1 − a) NK)',
        gradLatex: '\\frac{\\partial L}{\\partial a} = \\frac{a - t}{a(1 - a)\\,NK}',
      };
    case 'hinge':
      return {
        text: `L = (1/NK) Σₙ Σ_{j≠y} max(0, ${margin} − a_y + a_j)`,
        latex: `L = \\frac{1}{NK} \\sum_n \\sum_{j \\ne y} \\max(0,\\ ${margin} - a_y + a_j)`,
        gradText: '∂L/∂a_j = 1/NK for each active margin (j ≠ y), ∂L/∂a_y = −(active margins)/NK; 0 at the hinge',
        gradLatex:
          '\\frac{\\partial L}{\\partial a_j} = \\frac{[\\text{margin } j \\text{ active}]}{NK},\\ \\frac{\\partial L}{\\partial a_y} = -\\frac{\\#\\text{active}}{NK}',
      };
    case 'max_margin':
      return {
        text: `J = (1/P) Σ_pairs max(0, ${margin} − s + s_c)`,
        latex: `J = \\frac{1}{P} \\sum_{\\text{pairs}} \\max(0,\\ ${margin} - s + s_c)`,
        gradText: '∂J/∂s = −1/P, ∂J/∂s_c = 1/P where the margin is active; 0 at the hinge',
        gradLatex:
          '\\frac{\\partial J}{\\partial s} = -\\frac{1}{P},\\ \\frac{\\partial J}{\\partial s_c} = \\frac{1}{P} \\text{ where active}',
      };
  }
}
