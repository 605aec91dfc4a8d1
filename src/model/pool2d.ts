/**
 * The pooling kinds (`type: maxpool2d`, `type: avgpool2d`): no parameters, so reading them is
 * their window and stride, and their part of shape inference what a window does to the image.
 */
import { Pair } from '../engine/network';
import { outputSize } from '../engine/layers/conv2d';
import { MapNode } from './nodes';
import { Report } from './report';
import { SchemaCheck } from './schemaCheck';
import { DraftBase, KindContext, KindShape, layerEntries, layerSpan, readPair, shapeWords } from './layerDraft';

export interface Pool2dDraft extends DraftBase {
  readonly kind: 'maxpool2d' | 'avgpool2d';
  readonly kernel?: Pair;
  /** The kernel when not written: windows side by side, as PyTorch. */
  readonly stride?: Pair;
}

export function readPool2d(m: MapNode, index: number, kind: Pool2dDraft['kind'], check: SchemaCheck): Pool2dDraft {
  const { path, entries } = layerEntries(m, index);
  const kernel = readPair(check, path, 'kernel');
  const stride = readPair(check, path, 'stride') ?? kernel;
  const ok = !!kernel && check.ok([...path, 'stride']);
  return { kind, index, path, node: m, entries, ok, ...(kernel ? { kernel } : {}), ...(stride ? { stride } : {}) };
}

export function pool2dShape(d: Pool2dDraft, ctx: KindContext, report: Report): KindShape {
  const { before } = ctx;
  if (!d.kernel || !d.stride || !before) return { parameters: 0, ok: false };
  if (before.length !== 3) {
    report.error(
      layerSpan(d, report),
      'shape',
      `Layer ${d.index} (${d.kind}) takes images C×H×W, but ${shapeWords(before)} ${before.length === 1 ? 'arrives' : 'arrive'} from ${ctx.from}`,
    );
    return { parameters: 0, ok: false };
  }
  const [C, H, W] = before;
  const [kh, kw] = d.kernel,
    [sh, sw] = d.stride;
  if (H < kh || W < kw) {
    report.error(
      d.entries.get('kernel')?.value ?? layerSpan(d, report),
      'shape',
      `The ${kh}×${kw} window of layer ${d.index} is larger than the ${H}×${W} image arriving from ${ctx.from} (${before.join('×')})`,
    );
    return { parameters: 0, ok: false };
  }
  return { out: [C, outputSize(H, kh, sh, 0), outputSize(W, kw, sw, 0)], parameters: 0, ok: d.ok };
}
