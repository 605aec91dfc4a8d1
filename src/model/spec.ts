/** The conversion to the engine's canonical NetworkSpec: W as n_out × n_in, drawn from the seed where the file gives units. */
import { ActivationName, LayerSpec, LossName, NetworkSpec, OptimizerSpec } from '../engine/network';
import { InitName, initWeights } from '../engine/init';
import { Matrix } from '../engine/tensor';
import { Convention } from './types';
import { Grid } from './grid';
import { Shapes, LayerDraft } from './shapes';

export function networkSpec(p: {
  readonly layers: readonly LayerDraft[];
  readonly shapes: Shapes;
  readonly convention: Convention;
  readonly seed: number;
  readonly loss: LossName;
  readonly optimizer: OptimizerSpec;
  readonly l2: number;
  readonly steps: number;
}): NetworkSpec {
  const layers: LayerSpec[] = p.layers.map((d, i) => {
    const nIn = i === 0 ? p.shapes.n0 : (p.layers[i - 1].n as number);
    const nOut = d.n as number;
    const W = d.W ? canonicalW(d.W, p.convention) : initWeights(d.init as InitName, nOut, nIn, p.seed, d.index);
    const b = d.b ? Float64Array.from(d.b.data) : new Float64Array(nOut);
    return { W, b, activation: d.activation as ActivationName };
  });
  return {
    input: p.shapes.input,
    target: p.shapes.target,
    layers,
    loss: p.loss,
    optimizer: p.optimizer,
    l2: p.l2,
    steps: p.steps,
  };
}

function canonicalW(W: Grid, convention: Convention): Matrix {
  const m: Matrix = { rows: W.rows, cols: W.cols, data: Float64Array.from(W.data) };
  if (convention === 'out_in') return m;
  const out = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data: out };
}
