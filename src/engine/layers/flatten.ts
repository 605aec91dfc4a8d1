/**
 * Flatten: each example's C×H×W becomes C·H·W units, channel-major (PyTorch's order), which is
 * the row-major data as it is — so forward and backward only relabel the shape, never copy.
 */
import { FlattenSpec } from '../network';
import { product, shapeOf, shaped } from '../tensor';
import { LayerKind } from './kind';

export const flatten: LayerKind<FlattenSpec> = {
  type: 'flatten',
  hasParameters: false,
  outputShape: (_layer, input) => ({ shape: [product(input)] }),
  cost: () => 0,
  forward: (_layer, _p, x) => ({ rows: x.rows, cols: x.cols, data: x.data }),
  backward: (_layer, p, x, delta) => ({ dW: p.W, db: p.b, dx: shaped(shapeOf(x), delta.data) }),
};
