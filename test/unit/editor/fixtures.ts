/** Model texts for the editor's unit tests, analysed by the real pipeline. */
import { analyze, Analysis } from '../../../src/analysis/analyze';
import { Model } from '../../../src/model/types';
import { Trace } from '../../../src/engine/trace';

/** The lecture notes' problem 1 (2-3-2 identity, half_sse, SGD lr 0.01), with comments to keep. */
export const PROBLEM1 = `# problem 1
name: p1
input: [1, 1]
target: [2, 3]
layers:
  - W: [[1, -2], [2, 4], [-3, 1]]   # W¹
    b: [1, 2, 3]
    activation: identity
  - W: [[1.0, 2, -3], [2, -1, 3]]   # 1.0 stays as written: its value does not change
    b: [2, 1]
    activation: identity
    expect:
      W_next: [[1, 0.96, -3.13], [2, -0.94, 3.07]]
loss: half_sse
optimizer: {type: sgd, lr: 0.01}
steps: 1
`;

/** The same network in the in_out convention: W is n_(l−1) × n_l, the transpose of PROBLEM1's. */
export const PROBLEM1_IN_OUT = `name: p1 in_out
convention: in_out
input: [1, 1]
target: [2, 3]
layers:
  - W: [[1, 2, -3], [-2, 4, 1]]
    b: [1, 2, 3]
    activation: identity
  - W: [[1, 2], [2, -1], [-3, 3]]
    b: [2, 1]
    activation: identity
loss: half_sse
optimizer: {type: sgd, lr: 0.01}
`;

export interface Ready {
  readonly analysis: Analysis;
  readonly model: Model;
  readonly trace: Trace;
  readonly text: string;
}

export function run(text: string, steps?: number): Ready {
  const analysis = analyze(text, { steps });
  if (!analysis.model || !analysis.trace)
    throw new Error(`fixture does not run: ${analysis.diagnostics.map((d) => d.message).join('; ')}`);
  return { analysis, model: analysis.model, trace: analysis.trace, text };
}

/** Offset of the n-th (0-based) occurrence of `needle` at or after `from`, plus `delta`. */
export function offsetOf(text: string, needle: string, delta = 0, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`${needle} not in the text`);
  return i + delta;
}
