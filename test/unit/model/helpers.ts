/** Shared by the model tests: reading examples, finding text, building traces by hand. */
import { inMemorySteps } from '../engine/fullTrace';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Matrix } from '../../../src/engine/tensor';
import { BackwardRecord, ForwardRecord, StepRecord, Trace } from '../../../src/engine/trace';
import { ActivationName, LossName } from '../../../src/engine/network';
import { Model, ModelDiagnostic, SourceRange } from '../../../src/model/types';
import { parseModel } from '../../../src/model/parse';
import assert from 'node:assert/strict';

/** The repository root: the nearest folder above this file with a package.json (compiled or not). */
export const ROOT = ((): string => {
  let d = __dirname;
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
})();

export function example(name: string): { text: string; fileName: string } {
  const fileName = join(ROOT, 'examples', name);
  return { text: readFileSync(fileName, 'utf8'), fileName };
}

export function rows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function mat(r: readonly (readonly number[])[]): Matrix {
  const R = r.length;
  const C = R ? r[0].length : 0;
  return { rows: R, cols: C, data: Float64Array.from(r.flat()) };
}

/** A 1 × n batch of one example. */
export function one(xs: readonly number[]): Matrix {
  return mat([xs]);
}

/** [line, character] of the start and end of a range (0-based), for compact assertions. */
export function lc(r: SourceRange): [number, number, number, number] {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

/** The range of the n-th occurrence (0-based) of `needle` in text, after `after` if given. */
export function find(text: string, needle: string, after?: string, nth = 0): [number, number, number, number] {
  let from = after ? text.indexOf(after) : 0;
  if (from < 0) throw new Error(`no ${after}`);
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, k === 0 ? from : i + 1);
    if (i < 0) throw new Error(`no ${needle}`);
  }
  from = i;
  const pos = (o: number): [number, number] => {
    const before = text.slice(0, o);
    const line = before.split(/\r\n|\r|\n/).length - 1;
    const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    return [line, o - lastBreak - 1];
  };
  return [...pos(from), ...pos(from + needle.length)];
}

export function only(diags: readonly ModelDiagnostic[], severity: ModelDiagnostic['severity']): ModelDiagnostic[] {
  return diags.filter((d) => d.severity === severity);
}

export interface LayerValues {
  readonly activation: ActivationName;
  readonly z: number[][];
  readonly a: number[][];
  readonly dA: number[][];
  readonly sigmaPrime: number[][] | null;
  readonly delta: number[][];
  readonly dW: number[][];
  readonly db: number[];
  readonly W: number[][];
  readonly b: number[];
  readonly WNext: number[][];
  readonly bNext: number[];
}

/** A one-step trace assembled from values computed by hand (canonical layout: W out×in, examples as rows). */
export function handTrace(p: {
  input: number[][];
  target: number[][];
  loss: LossName;
  lossValue: number;
  dA: number[][];
  fused?: boolean;
  layers: LayerValues[];
  lr: number;
  step?: number;
}): Trace {
  const forward: ForwardRecord[] = p.layers.map((l, i) => ({
    layer: i + 1,
    activation: l.activation,
    z: mat(l.z),
    a: mat(l.a),
  }));
  const backward: BackwardRecord[] = p.layers.map((l, i) => ({
    layer: i + 1,
    dA: mat(l.dA),
    sigmaPrime: l.sigmaPrime ? mat(l.sigmaPrime) : null,
    delta: mat(l.delta),
    dW: mat(l.dW),
    db: Float64Array.from(l.db),
  }));
  const step: StepRecord = {
    step: p.step ?? 1,
    input: mat(p.input),
    target: mat(p.target),
    forward,
    loss: {
      loss: p.loss,
      value: p.lossValue,
      dataTerm: p.lossValue,
      l2Term: 0,
      dA: mat(p.dA),
      fused: p.fused ?? false,
    },
    backward,
    inputGrad: mat([[0]]),
    update: p.layers.map((l, i) => ({
      layer: i + 1,
      W: mat(l.W),
      b: Float64Array.from(l.b),
      WNext: mat(l.WNext),
      bNext: Float64Array.from(l.bNext),
      state: {},
    })),
  };
  const counts = p.layers.map((l) => (l.W[0].length + 1) * l.W.length);
  return {
    optimizer: { type: 'sgd', lr: p.lr },
    l2: 0,
    steps: inMemorySteps([step]),
    parameterCounts: counts,
    totalParameters: counts.reduce((a, b) => a + b, 0),
    health: [],
  };
}

/**
 * Problem 1 of the lecture notes, step 1, from the notes' verified values (identity activations,
 * half_sse, lr 0.01): z¹ = (0, 8, 1), z² = (15, −4), L = 109, δ² = (13, −7), δ¹ = (−1, 33, −60).
 */
export function problem1Trace(): Trace {
  return handTrace({
    input: [[1, 1]],
    target: [[2, 3]],
    loss: 'half_sse',
    lossValue: 109,
    dA: [[13, -7]],
    lr: 0.01,
    layers: [
      {
        activation: 'identity',
        z: [[0, 8, 1]],
        a: [[0, 8, 1]],
        dA: [[-1, 33, -60]],
        sigmaPrime: [[1, 1, 1]],
        delta: [[-1, 33, -60]],
        dW: [
          [-1, -1],
          [33, 33],
          [-60, -60],
        ],
        db: [-1, 33, -60],
        W: [
          [1, -2],
          [2, 4],
          [-3, 1],
        ],
        b: [1, 2, 3],
        WNext: [
          [1.01, -1.99],
          [1.67, 3.67],
          [-2.4, 1.6],
        ],
        bNext: [1.01, 1.67, 3.6],
      },
      {
        activation: 'identity',
        z: [[15, -4]],
        a: [[15, -4]],
        dA: [[13, -7]],
        sigmaPrime: [[1, 1]],
        delta: [[13, -7]],
        dW: [
          [0, 104, 13],
          [0, -56, -7],
        ],
        db: [13, -7],
        W: [
          [1, 2, -3],
          [2, -1, 3],
        ],
        b: [2, 1],
        WNext: [
          [1, 0.96, -3.13],
          [2, -0.44, 3.07],
        ],
        bNext: [1.87, 1.07],
      },
    ],
  });
}

/** The notes' problem 1 as a minimal model file (no expect blocks). */
export const P1 = `input: [1, 1]
target: [2, 3]
layers:
  - W: [[1, -2], [2, 4], [-3, 1]]
    b: [1, 2, 3]
    activation: identity
  - W: [[1, 2, -3], [2, -1, 3]]
    b: [2, 1]
    activation: identity
loss: half_sse
optimizer: {type: sgd, lr: 0.01}
`;

/** Parses `text`, failing the test on any error; the model. */
export function parseOk(text: string, options: Parameters<typeof parseModel>[1] = {}): Model {
  const r = parseModel(text, options);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.ok(r.model);
  return r.model;
}
