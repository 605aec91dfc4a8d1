/**
 * The dense layer: z = a Wᵀ + b over examples as rows (the notes' z = W a + b, one column per
 * example), its backward δᵀa, Σδ and δW beside it. All three products go to the GEMM (matmul.ts).
 */
import { DenseSpec } from '../network';
import { matmulAB, matmulABt, matmulAtB } from '../matmul';
import { Matrix, shapeText } from '../tensor';
import { LayerKind } from './kind';

/** Column sums of an N × n matrix: Σ over examples. */
export function columnSums(m: Matrix): Float64Array {
  const out = new Float64Array(m.cols),
    D = m.data,
    k = m.cols;
  for (let r = 0; r < D.length; r += k) for (let j = 0; j < k; j++) out[j] += D[r + j];
  return out;
}

export const dense: LayerKind<DenseSpec> = {
  type: 'dense',
  hasParameters: true,
  outputShape(layer, input) {
    const { rows: out, cols: nIn } = layer.W;
    if (input.length !== 1)
      return {
        error: `a dense layer takes a vector of units, but a ${shapeText(input)} image arrives: put a flatten layer before it`,
        key: 'layer',
        expected: [nIn],
      };
    if (input[0] !== nIn)
      return {
        error: `${input[0]} units arrive but W takes ${nIn}`,
        key: 'W',
        expected: [nIn],
      };
    return { shape: [out] };
  },
  cost: (layer) => layer.W.data.length,
  forward(_layer, p, x) {
    // z = A Wᵀ + b, b broadcast over the rows.
    const z = matmulABt(x, p.W);
    const Z = z.data,
      b = p.b,
      k = z.cols;
    for (let r = 0; r < Z.length; r += k) for (let j = 0; j < k; j++) Z[r + j] += b[j];
    return z;
  },
  backward(_layer, p, x, delta) {
    return { dW: matmulAtB(delta, x), db: columnSums(delta), dx: matmulAB(delta, p.W) };
  },
};
