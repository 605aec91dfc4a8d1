/**
 * Optimizers with PyTorch's semantics, applied to one parameter array at a time. They never
 * mutate their inputs: the trace keeps W before and after, and the state of every step.
 *
 *   sgd       p' = p − lr·g
 *   momentum  v = μv + g (first v = g), p' = p − lr·v        (torch.optim.SGD(momentum=μ))
 *   adam      m = β1 m + (1−β1) g, v = β2 v + (1−β2) g²,
 *             p' = p − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)   (torch.optim.Adam)
 */
import { OptimizerName, OptimizerSpec } from './network';

/** The state each optimizer carries from step to step, per parameter array (the keys of ParamState). */
export const OPTIMIZER_STATE: { readonly [K in OptimizerName]: readonly string[] } = {
  sgd: [],
  momentum: ['v'],
  adam: ['m', 'v'],
};

/** State for one parameter array, as recorded in the trace (names match the equations). */
export type ParamState = Record<string, Float64Array>;

export interface ParamUpdate {
  readonly next: Float64Array;
  readonly state: ParamState;
}

/**
 * One optimizer step for one parameter array. `t` is the 1-based step; `prev` is this
 * parameter's state from the previous step (undefined on the first).
 */
export function applyOptimizer(
  opt: OptimizerSpec,
  p: Float64Array,
  g: Float64Array,
  t: number,
  prev: ParamState | undefined,
): ParamUpdate {
  const n = p.length;
  const next = new Float64Array(n);
  switch (opt.type) {
    case 'sgd': {
      const lr = opt.lr;
      for (let i = 0; i < n; i++) next[i] = p[i] - lr * g[i];
      return { next, state: {} };
    }
    case 'momentum': {
      const { lr, momentum: mu } = opt;
      const v = new Float64Array(n);
      const pv = prev?.v;
      for (let i = 0; i < n; i++) {
        v[i] = pv ? mu * pv[i] + g[i] : g[i];
        next[i] = p[i] - lr * v[i];
      }
      return { next, state: { v } };
    }
    case 'adam': {
      const { lr, beta1, beta2, eps } = opt;
      const m = new Float64Array(n),
        v = new Float64Array(n);
      const pm = prev?.m,
        pv = prev?.v;
      const bc1 = 1 - Math.pow(beta1, t),
        bc2 = 1 - Math.pow(beta2, t);
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        m[i] = beta1 * (pm ? pm[i] : 0) + (1 - beta1) * gi;
        v[i] = beta2 * (pv ? pv[i] : 0) + (1 - beta2) * gi * gi;
        next[i] = p[i] - (lr * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + eps);
      }
      return { next, state: { m, v } };
    }
  }
}
