/**
 * Lecture note 000's closed form beside gradient descent: for a network that is one identity
 * dense layer with a squared-error loss (linear regression), β̂ = (XᵀX)⁻¹Xᵀy with the bias as a
 * column of ones — solved by QR (lstsq.ts), never by that inverse — one output unit per column.
 * Also each step's distance ‖θ_t − θ*‖ over W and b, recorded as the run goes.
 */
import { Matrix } from '../engine/tensor';
import { layerType, NetworkSpec } from '../engine/network';
import { lossAt } from '../engine/run';
import { StepRecord } from '../engine/trace';
import { lstsq } from './lstsq';

/** The optimum in the engine's layout (W out × in, b per unit) and the file's loss there. */
export interface LeastSquaresSolution {
  readonly W: Matrix;
  readonly b: Float64Array;
  /** The file's own loss definition at W*, b*. */
  readonly loss: number;
  /** Rank of X = [1 | input] and its column count (n_in + 1): rank < columns means XᵀX is singular. */
  readonly rank: number;
  readonly columns: number;
  /** Why the solution is not unique, when it is not (the minimum-norm one is given). */
  readonly warning?: string;
}

export interface LeastSquaresResult extends LeastSquaresSolution {
  /** ‖θ_t − θ*‖ per step t (θ_t: W and b that step starts from, at which its loss is computed). */
  readonly distances: Float64Array;
}

/** Above this many multiply-adds (2·N·P²) the closed form is not computed: seconds of work for a view. */
export const MAX_SOLVE_FLOPS = 4e9;

/** Why a network has no closed-form comparison, or null when it has one. */
export function notLinearRegression(spec: NetworkSpec): string | null {
  if (spec.layers.length !== 1) return 'it has more than one layer';
  if (layerType(spec.layers[0]) !== 'dense') return `its layer is ${layerType(spec.layers[0])}, not dense`;
  if (spec.layers[0].activation !== 'identity') return 'its layer is not identity';
  if (spec.loss !== 'sse' && spec.loss !== 'half_sse' && spec.loss !== 'mse') return `its loss is ${spec.loss}`;
  if (spec.l2 !== 0) return 'it has L2 regularisation';
  return null;
}

/** The design matrix X = [1 | input]: one row per example, the ones column first (β₀ is the bias). */
export function designMatrix(input: Matrix): Matrix {
  const n = input.rows,
    p = input.cols + 1;
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    data[i * p] = 1;
    data.set(input.data.subarray(i * input.cols, (i + 1) * input.cols), i * p + 1);
  }
  return { rows: n, cols: p, data };
}

/** The closed-form optimum of a linear-regression network, or undefined when it is not one (or too large). */
export function solveLeastSquares(spec: NetworkSpec): LeastSquaresSolution | undefined {
  if (notLinearRegression(spec) !== null) return undefined;
  // Non-finite data has no optimum to show; the run's health reports where the trouble starts.
  if (!spec.input.data.every(Number.isFinite) || !spec.target.data.every(Number.isFinite)) return undefined;
  const X = designMatrix(spec.input);
  if (2 * X.rows * X.cols * X.cols > MAX_SOLVE_FLOPS) return undefined;
  const { x: beta, rank, dependent } = lstsq(X, spec.target);
  const nIn = spec.input.cols,
    nOut = spec.target.cols;
  const W = new Float64Array(nOut * nIn),
    b = new Float64Array(nOut);
  for (let u = 0; u < nOut; u++) {
    b[u] = beta.data[u];
    for (let j = 0; j < nIn; j++) W[u * nIn + j] = beta.data[(j + 1) * nOut + u];
  }
  const Wm = { rows: nOut, cols: nIn, data: W };
  const loss = lossAt(spec, [{ W: Wm, b }]);
  return {
    W: Wm,
    b,
    loss,
    rank,
    columns: X.cols,
    warning: rank < X.cols ? singularWarning(X, rank, dependent) : undefined,
  };
}

function singularWarning(X: Matrix, rank: number, dependent: readonly number[]): string {
  const name = (j: number) => (j === 0 ? 'the column of ones (the bias)' : `x${subscript(j)}`);
  const why =
    X.rows < X.cols
      ? `${X.rows} example${X.rows === 1 ? '' : 's'} for ${X.cols} parameters per unit`
      : `${dependent.map(name).join(', ')} ${dependent.length === 1 ? 'is a linear combination' : 'are linear combinations'} of the other columns`;
  return `least squares: XᵀX is singular — X = [1 | input] has rank ${rank} < ${X.cols} columns (${why}); the optimum is not unique, the minimum-norm one is shown`;
}

function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}

/** ‖(W, b) − (W*, b*)‖ over every weight and bias. */
export function distanceTo(s: Pick<LeastSquaresSolution, 'W' | 'b'>, W: Matrix, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < W.data.length; i++) sum += (W.data[i] - s.W.data[i]) ** 2;
  for (let i = 0; i < b.length; i++) sum += (b[i] - s.b[i]) ** 2;
  return Math.sqrt(sum);
}

/** Each step's distance to the optimum as the run records it (steps arrive in order, 1, 2, …). */
export class DistanceRecorder {
  private readonly values: Float64Array;
  private count = 0;

  constructor(
    readonly solution: LeastSquaresSolution,
    steps: number,
  ) {
    this.values = new Float64Array(steps);
  }

  add(r: StepRecord): void {
    if (r.step !== this.count + 1 || this.count >= this.values.length) return;
    const u = r.update[0];
    this.values[this.count++] = distanceTo(this.solution, u.W, u.b);
  }

  result(): LeastSquaresResult {
    return { ...this.solution, distances: this.values.slice(0, this.count) };
  }
}
