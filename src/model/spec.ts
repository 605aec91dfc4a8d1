/**
 * The conversion to the engine's canonical NetworkSpec, layer by layer in its kind: a dense W as
 * n_out × n_in, a conv2d W as out×in×kh×kw (drawn from the seed where the file gives units or
 * filters), pooling and flatten with no parameters.
 */
import { ActivationName, LayerSpec, LossName, NetworkSpec, OptimizerSpec } from '../engine/network';
import { InitName, initKernels, initWeights } from '../engine/init';
import { Matrix, product, shaped } from '../engine/tensor';
import { Convention } from './types';
import { Grid } from './grid';
import { Shapes, LayerDraft } from './shapes';

/** The W and b of a layer without parameters: nothing to learn, nothing to update. */
export const NO_PARAMETERS = { W: { rows: 0, cols: 0, data: new Float64Array(0) }, b: new Float64Array(0) } as const;

export function networkSpec(p: {
  readonly layers: readonly LayerDraft[];
  readonly shapes: Shapes;
  readonly convention: Convention;
  readonly seed: number;
  readonly loss: LossName;
  readonly margin?: number;
  readonly optimizer: OptimizerSpec;
  readonly l2: number;
  readonly steps: number;
}): NetworkSpec {
  const layers: LayerSpec[] = p.layers.map((d, i): LayerSpec => {
    switch (d.kind) {
      case 'dense': {
        const nIn = product(p.shapes.inShapes[i]);
        const nOut = d.n as number;
        const W = d.W ? canonicalW(d.W, p.convention) : initWeights(d.init as InitName, nOut, nIn, p.seed, d.index);
        const b = d.b ? Float64Array.from(d.b.data) : new Float64Array(nOut);
        return { W, b, activation: d.activation as ActivationName };
      }
      case 'conv2d': {
        const k = d.kernels as readonly [number, number, number, number];
        const W = d.W ? shaped(k, Float64Array.from(d.W.data)) : initKernels(d.init as InitName, k, p.seed, d.index);
        const b = d.b ? Float64Array.from(d.b.data) : new Float64Array(k[0]);
        return {
          type: 'conv2d',
          W,
          b,
          stride: d.stride,
          padding: d.padding,
          activation: d.activation as ActivationName,
        };
      }
      case 'maxpool2d':
      case 'avgpool2d':
        return {
          type: d.kind,
          kernel: d.kernel as readonly [number, number],
          stride: d.stride as readonly [number, number],
          activation: 'identity',
          ...NO_PARAMETERS,
        };
      case 'flatten':
        return { type: 'flatten', activation: 'identity', ...NO_PARAMETERS };
    }
  });
  return {
    input: p.shapes.input,
    target: p.shapes.target,
    layers,
    loss: p.loss,
    ...(p.margin !== undefined ? { margin: p.margin } : {}),
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
