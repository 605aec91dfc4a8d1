import assert from 'node:assert/strict';
import { fromRows, Matrix, toRows } from '../../../src/engine/tensor';
import { ActivationName, LayerSpec, LossName, NetworkSpec, OptimizerSpec } from '../../../src/engine/network';
import { lossAt, Params } from '../../../src/engine/run';
import { branchSites } from '../../../src/engine/gradcheck';
import { BranchSite, firstDifference } from '../../../src/engine/branches';
import { Trace } from '../../../src/engine/trace';

/** Asserts two nested number arrays agree entry by entry within `tol`. */
export function assertClose(
  actual: Matrix | Float64Array | number[][] | number[] | number,
  expected: number[][] | number[] | number,
  tol = 1e-9,
  what = 'value',
): void {
  const a = toNested(actual),
    e = toNested(expected);
  assert.equal(a.length, e.length, `${what}: ${a.length} rows, expected ${e.length}`);
  for (let i = 0; i < e.length; i++) {
    assert.equal(a[i].length, e[i].length, `${what}[${i}]: ${a[i].length} entries, expected ${e[i].length}`);
    for (let j = 0; j < e[i].length; j++) {
      assert.ok(
        Math.abs(a[i][j] - e[i][j]) <= tol,
        `${what}[${i}][${j}] = ${a[i][j]}, expected ${e[i][j]} (tol ${tol})`,
      );
    }
  }
}

function toNested(x: Matrix | Float64Array | number[][] | number[] | number): number[][] {
  if (typeof x === 'number') return [[x]];
  if (x instanceof Float64Array) return [Array.from(x)];
  if (Array.isArray(x)) return x.length && Array.isArray(x[0]) ? (x as number[][]) : [x as number[]];
  return toRows(x);
}

export function layer(W: number[][], b: number[], activation: ActivationName): LayerSpec {
  return { W: fromRows(W), b: new Float64Array(b), activation };
}

export function net(
  input: number[][],
  target: number[][],
  layers: LayerSpec[],
  loss: LossName,
  optimizer: OptimizerSpec = { type: 'sgd', lr: 0.01 },
  l2 = 0,
  steps = 1,
): NetworkSpec {
  return { input: fromRows(input), target: fromRows(target), layers, loss, optimizer, l2, steps };
}

export const scale = (k: number, m: number[][]) => m.map((r) => r.map((x) => k * x));

/**
 * Problem 1 of the lecture notes: x = (1, 1), t = (2, 3), a 2-3-2 network, half_sse, SGD 0.01.
 * `b1` and `act1` change layer 1's biases and activation (a ReLU with z exactly 0, for instance).
 */
export function problem1(
  b1: number[] = [1, 2, 3],
  act1: ActivationName = 'identity',
  o: { readonly optimizer?: OptimizerSpec; readonly steps?: number } = {},
): NetworkSpec {
  return net(
    [[1, 1]],
    [[2, 3]],
    [
      layer(
        [
          [1, -2],
          [2, 4],
          [-3, 1],
        ],
        b1,
        act1,
      ),
      layer(
        [
          [1, 2, -3],
          [2, -1, 3],
        ],
        [2, 1],
        'identity',
      ),
    ],
    'half_sse',
    o.optimizer,
    0,
    o.steps,
  );
}

/** The loss at `params` and the branch decisions of its forward pass and loss (the gradient check's, branches.ts). */
export function lossAndSites(spec: NetworkSpec, params: readonly Params[]): { loss: number; sites: BranchSite[] } {
  let sites: BranchSite[] = [];
  const loss = lossAt(spec, params, (fwd) => (sites = branchSites(spec, fwd)));
  return { loss, sites };
}

/** The loss at `params` and whether its branch decisions differ from `base`'s (a central difference across a kink). */
export function lossAcross(
  spec: NetworkSpec,
  params: readonly Params[],
  base: readonly BranchSite[],
): { loss: number; crossed: boolean } {
  const r = lossAndSites(spec, params);
  return { loss: r.loss, crossed: firstDifference(base, r.sites) !== undefined };
}

/**
 * Every parameter of every traced step against the central difference (L(θ+ε) − L(θ−ε)) / 2ε,
 * relative `rtol`, with an absolute allowance for the rounding of L (~1e-16·|L|/ε); parameters
 * whose ±ε crosses a kink are skipped. Returns how many were compared.
 */
export function assertGradientsMatchDifferences(spec: NetworkSpec, trace: Trace, eps: number, rtol: number): number {
  let compared = 0;
  for (let n = 1; n <= trace.steps.length; n++) {
    const rec = trace.steps.get(n);
    const params: Params[] = rec.update.map((u) => ({ W: { ...u.W, data: u.W.data.slice() }, b: u.b.slice() }));
    const base = lossAndSites(spec, params).sites;
    const atol = ((1e-16 * Math.max(1, Math.abs(rec.loss.value))) / eps) * 50;
    params.forEach((p, l) => {
      for (const [name, arr, analytic] of [
        ['W', p.W.data, rec.backward[l].dW.data],
        ['b', p.b, rec.backward[l].db],
      ] as const) {
        for (let k = 0; k < arr.length; k++) {
          const orig = arr[k];
          arr[k] = orig + eps;
          const up = lossAcross(spec, params, base);
          arr[k] = orig - eps;
          const down = lossAcross(spec, params, base);
          arr[k] = orig;
          if (up.crossed || down.crossed) continue;
          const numeric = (up.loss - down.loss) / (2 * eps);
          const err = Math.abs(analytic[k] - numeric);
          compared++;
          assert.ok(
            err <= atol + rtol * Math.max(Math.abs(analytic[k]), Math.abs(numeric)),
            `step ${rec.step} layer ${l + 1} (${spec.layers[l].type ?? 'dense'}) ${name}[${k}]: analytic ${analytic[k]}, numeric ${numeric} (|diff| ${err})`,
          );
        }
      }
    });
  }
  return compared;
}
