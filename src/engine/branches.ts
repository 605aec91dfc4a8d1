/**
 * Branch decisions of piecewise ops: which piece of the op each element took (relu's z > 0,
 * leaky relu's, a max-pool's argmax, a hinge loss's active margin). The gradient check compares
 * them at θ, θ + ε and θ − ε: where they differ, the central difference spans a kink and says
 * nothing about the derivative. Each op registers its rule where it is defined (activations.ts,
 * losses.ts, a layer kind's module); smooth ops have none.
 */
import { Matrix } from './tensor';
import { formatNumber, sup } from './numberFormat';

/** The decision code of an element exactly on a kink (z = 0, a tie for the max, a margin of exactly 0). */
export const ON_KINK = -1;

/** One op's rule over its input `In` (a Matrix for an activation, z and a and t for a loss). */
export interface BranchRule<In> {
  /** The op, as messages name it: "relu". */
  readonly op: string;
  /** One code per decision: the piece taken (≥ 0), or ON_KINK where the op has no derivative. */
  decide(input: In): Int32Array;
  /** The decision at `index` in words, e.g. "z²[3] = 0 (example 2)"; `layer` is 1-based. */
  describe(input: In, index: number, layer: number): string;
}

/** A rule applied at one place of one forward pass: its codes, and how to name one of them. */
export interface BranchSite {
  readonly op: string;
  readonly layer: number;
  readonly codes: Int32Array;
  describe(index: number): string;
}

export function site<In>(rule: BranchRule<In>, input: In, layer: number): BranchSite {
  return { op: rule.op, layer, codes: rule.decide(input), describe: (i) => rule.describe(input, i, layer) };
}

/** The first decision that differs between two evaluations of the same network, or undefined. */
export function firstDifference(
  a: readonly BranchSite[],
  b: readonly BranchSite[],
): { site: number; index: number } | undefined {
  for (let s = 0; s < a.length && s < b.length; s++) {
    const x = a[s].codes,
      y = b[s].codes;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return { site: s, index: i };
  }
  return undefined;
}

/** The sign of each element (1 above the kink at `at`, 0 below, ON_KINK on it): relu, leaky relu, hinge margins. */
export function signRule(op: string, symbol: string, at = 0): BranchRule<Matrix> {
  return {
    op,
    decide(m) {
      const out = new Int32Array(m.data.length);
      for (let i = 0; i < out.length; i++) out[i] = m.data[i] > at ? 1 : m.data[i] < at ? 0 : ON_KINK;
      return out;
    },
    describe: (m, index, layer) => elementName(symbol, layer, m, index),
  };
}

/** "z²[3] = 0 (example 2)": the unit 1-based, the example named only in a batch. */
export function elementName(symbol: string, layer: number, m: Matrix, index: number): string {
  const example = Math.floor(index / m.cols),
    unit = index % m.cols;
  return `${symbol}${sup(layer)}[${unit + 1}] = ${formatNumber(m.data[index], 3)}${m.rows > 1 ? ` (example ${example + 1})` : ''}`;
}
