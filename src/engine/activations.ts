/**
 * Activation functions, each with its derivative written beside it (micrograd's habit), over
 * whole arrays: the engine's hot loops run here, so there are no per-element callbacks.
 */
import { ActivationName } from './network';
import { BranchRule, signRule } from './branches';
import { Matrix } from './tensor';

export const LEAKY_SLOPE = 0.01;

export interface Activation {
  readonly name: ActivationName;
  /** out[i] = σ(z[i]); softmax works row by row over `cols`. */
  forward(z: Float64Array, out: Float64Array, cols: number): void;
  /** out[i] = σ'(z[i]) given z and a = σ(z); absent for softmax, whose derivative is a Jacobian. */
  derivative?(z: Float64Array, a: Float64Array, out: Float64Array): void;
  /** σ(x) and σ'(x) as text and LaTeX, for hovers and equations. */
  readonly formula: { readonly text: string; readonly latex: string };
  readonly derivativeFormula: { readonly text: string; readonly latex: string };
  /** Piecewise activations: which piece each z took (the gradient check's kink detection). */
  readonly branches?: BranchRule<Matrix>;
}

/** Logistic function without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + eˣ) without overflow. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const identity: Activation = {
  name: 'identity',
  forward(z, out) {
    out.set(z);
  },
  derivative(_z, _a, out) {
    out.fill(1);
  },
  formula: { text: 'σ(x) = x', latex: '\\sigma(x) = x' },
  derivativeFormula: { text: "σ'(x) = 1", latex: "\\sigma'(x) = 1" },
};

const sigmoidAct: Activation = {
  name: 'sigmoid',
  forward(z, out) {
    for (let i = 0; i < z.length; i++) out[i] = sigmoid(z[i]);
  },
  derivative(_z, a, out) {
    for (let i = 0; i < a.length; i++) out[i] = a[i] * (1 - a[i]);
  },
  formula: { text: 'σ(x) = 1 / (1 + e^(−x))', latex: '\\sigma(x) = \\frac{1}{1 + e^{-x}}' },
  derivativeFormula: { text: "σ'(x) = σ(x)(1 − σ(x))", latex: "\\sigma'(x) = \\sigma(x)\\,(1 - \\sigma(x))" },
};

const tanhAct: Activation = {
  name: 'tanh',
  forward(z, out) {
    for (let i = 0; i < z.length; i++) out[i] = Math.tanh(z[i]);
  },
  derivative(_z, a, out) {
    for (let i = 0; i < a.length; i++) out[i] = 1 - a[i] * a[i];
  },
  formula: { text: 'σ(x) = tanh(x)', latex: '\\sigma(x) = \\tanh(x)' },
  derivativeFormula: { text: "σ'(x) = 1 − tanh²(x)", latex: "\\sigma'(x) = 1 - \\tanh^2(x)" },
};

const relu: Activation = {
  name: 'relu',
  // Branch-free: on a feature map's random signs a branch mispredicts every other entry (8× slower).
  // v·[v > 0] is v or ±0; −∞ and NaN give NaN there, which (as before) become 0; + 0 makes −0 into 0.
  forward(z, out) {
    for (let i = 0; i < z.length; i++) {
      const r = z[i] * +(z[i] > 0);
      out[i] = r === r ? r + 0 : 0;
    }
  },
  // The derivative at exactly 0 is taken as 0, as PyTorch does.
  // Branch-free (+bool): random signs would otherwise mispredict on every entry.
  derivative(z, _a, out) {
    for (let i = 0; i < z.length; i++) out[i] = +(z[i] > 0);
  },
  formula: { text: 'σ(x) = max(0, x)', latex: '\\sigma(x) = \\max(0, x)' },
  derivativeFormula: { text: "σ'(x) = 1 if x > 0, else 0", latex: "\\sigma'(x) = [x > 0]" },
  branches: signRule('relu', 'z'),
};

/** The slope below and above 0, picked by +(z > 0) without a branch. */
const LEAKY_SLOPES = Float64Array.of(LEAKY_SLOPE, 1);

const leakyRelu: Activation = {
  name: 'leaky_relu',
  forward(z, out) {
    for (let i = 0; i < z.length; i++) out[i] = z[i] * LEAKY_SLOPES[+(z[i] > 0)];
  },
  derivative(z, _a, out) {
    for (let i = 0; i < z.length; i++) out[i] = LEAKY_SLOPES[+(z[i] > 0)];
  },
  formula: { text: 'σ(x) = x if x > 0, else 0.01x', latex: '\\sigma(x) = \\max(x, 0.01x)' },
  derivativeFormula: {
    text: "σ'(x) = 1 if x > 0, else 0.01",
    latex: "\\sigma'(x) = 1 \\text{ if } x > 0 \\text{ else } 0.01",
  },
  branches: signRule('leaky_relu', 'z'),
};

const softplusAct: Activation = {
  name: 'softplus',
  forward(z, out) {
    for (let i = 0; i < z.length; i++) out[i] = softplus(z[i]);
  },
  derivative(z, _a, out) {
    for (let i = 0; i < z.length; i++) out[i] = sigmoid(z[i]);
  },
  formula: { text: 'σ(x) = ln(1 + eˣ)', latex: '\\sigma(x) = \\ln(1 + e^{x})' },
  derivativeFormula: { text: "σ'(x) = 1 / (1 + e^(−x))", latex: "\\sigma'(x) = \\frac{1}{1 + e^{-x}}" },
};

const square: Activation = {
  name: 'square',
  forward(z, out) {
    for (let i = 0; i < z.length; i++) out[i] = z[i] * z[i];
  },
  derivative(z, _a, out) {
    for (let i = 0; i < z.length; i++) out[i] = 2 * z[i];
  },
  formula: { text: 'σ(x) = x²', latex: '\\sigma(x) = x^2' },
  derivativeFormula: { text: "σ'(x) = 2x", latex: "\\sigma'(x) = 2x" },
};

const softmax: Activation = {
  name: 'softmax',
  forward(z, out, cols) {
    // Shift by the row maximum so exp never overflows.
    for (let r = 0; r < z.length; r += cols) {
      let max = -Infinity;
      for (let j = 0; j < cols; j++) if (z[r + j] > max) max = z[r + j];
      if (!Number.isFinite(max)) max = 0;
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const e = Math.exp(z[r + j] - max);
        out[r + j] = e;
        sum += e;
      }
      for (let j = 0; j < cols; j++) out[r + j] /= sum;
    }
  },
  formula: { text: 'σ(z)_k = e^(z_k) / Σ_j e^(z_j)', latex: '\\sigma(z)_k = \\frac{e^{z_k}}{\\sum_j e^{z_j}}' },
  derivativeFormula: {
    text: '∂σ_k/∂z_j = σ_k (1[k = j] − σ_j), i.e. J = diag(p) − p pᵀ',
    latex:
      '\\frac{\\partial \\sigma_k}{\\partial z_j} = \\sigma_k(\\delta_{kj} - \\sigma_j),\\quad J = \\operatorname{diag}(p) - p p^\\top',
  },
};

const TABLE: Record<ActivationName, Activation> = {
  identity,
  sigmoid: sigmoidAct,
  tanh: tanhAct,
  relu,
  leaky_relu: leakyRelu,
  softplus: softplusAct,
  square,
  softmax,
};

export function activation(name: ActivationName): Activation {
  return TABLE[name];
}

/**
 * δ = J_softmaxᵀ · ∂L/∂a per row, with J = diag(p) − ppᵀ (symmetric), so
 * δ_k = p_k (g_k − Σ_j p_j g_j). O(K) per row instead of forming the K×K Jacobian.
 */
export function softmaxBackward(p: Float64Array, g: Float64Array, out: Float64Array, cols: number): void {
  for (let r = 0; r < p.length; r += cols) {
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += p[r + j] * g[r + j];
    for (let j = 0; j < cols; j++) out[r + j] = p[r + j] * (g[r + j] - dot);
  }
}
