/**
 * The one list of layer kinds (tfjs-core's register_all_gradients), and what follows from a
 * network's layers as a whole: each layer's input and output shape, the widths, the cost.
 */
import { LayerSpec, LayerType, NetworkSpec, layerType } from '../network';
import { itemShape, product } from '../tensor';
import { LayerInfo } from '../trace';
import { LayerKind } from './kind';
import { dense } from './dense';
import { conv2d } from './conv2d';
import { avgpool2d, maxpool2d } from './pool2d';
import { flatten } from './flatten';

const KINDS: { readonly [T in LayerType]: LayerKind<Extract<LayerSpec, { type?: T }>> } = {
  dense,
  conv2d,
  maxpool2d,
  avgpool2d,
  flatten,
};

export type { LayerInfo };

/** The module of a layer's kind. */
export function kindOf(layer: LayerSpec): LayerKind {
  return KINDS[layerType(layer)];
}

/**
 * Every layer's shapes, from the input's. The model file's checks (src/model) have made sure
 * they fit; past a layer that does not, the rest repeat its input shape.
 */
export function describeLayers(spec: Pick<NetworkSpec, 'input' | 'layers'>): LayerInfo[] {
  let shape = itemShape(spec.input);
  return spec.layers.map((l) => {
    const r = kindOf(l).outputShape(l, shape);
    const out = 'shape' in r ? r.shape : shape;
    const info: LayerInfo = {
      type: layerType(l),
      activation: l.activation,
      inShape: shape,
      outShape: out,
      ...(l.type === 'conv2d'
        ? { kernel: [l.W.shape?.[2] ?? 1, l.W.shape?.[3] ?? 1] as const, stride: l.stride, padding: l.padding }
        : {}),
      ...(l.type === 'maxpool2d' || l.type === 'avgpool2d' ? { kernel: l.kernel, stride: l.stride } : {}),
    };
    shape = out;
    return info;
  });
}

/** Units per example at the input and after each layer: n_0, n_1, …, n_L (C·H·W for images). */
export function widths(spec: Pick<NetworkSpec, 'input' | 'layers'>): number[] {
  return [spec.input.cols, ...describeLayers(spec).map((i) => product(i.outShape))];
}

/** Multiply-adds of one example's forward pass through every layer. */
export function forwardCost(spec: Pick<NetworkSpec, 'input' | 'layers'>): number {
  return describeLayers(spec).reduce((s, info, l) => {
    const layer = spec.layers[l];
    return s + kindOf(layer).cost(layer, info.inShape) + product(info.outShape);
  }, 0);
}
