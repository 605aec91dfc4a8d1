/**
 * Inline values while stopped: beside each layer's first line the values computed so far in the
 * step (z, a, δ of that layer), beside `loss:` the loss. One short text per line.
 */
import { formatValue } from './expr/evaluate';
import { eventLines, lossLines } from './lines';
import { Runtime } from './runtime';
import { LAYER_QUANTITIES, LayerKey } from './values';

const SHOWN: readonly LayerKey[] = ['z', 'a', 'delta'];
/** Characters per value before it is cut. */
const WIDTH = 40;

export interface InlineValue {
  /** 0-based line. */
  readonly line: number;
  readonly text: string;
}

export function inlineValues(runtime: Runtime): InlineValue[] {
  const run = runtime.run,
    snap = runtime.snapshot();
  const cut = (s: string) => (s.length > WIDTH ? `${s.slice(0, WIDTH - 1)}…` : s);
  const num = (x: number) => runtime.format(x);
  const out: InlineValue[] = [];
  for (let l = 1; l <= run.source.layerCount; l++) {
    const parts = LAYER_QUANTITIES.filter((q) => SHOWN.includes(q.key) && snap.hasLayer(q.key, l)).map(
      (q) => `${q.symbol(l)} = ${cut(formatValue(snap.layer(q.key, l), num))}`,
    );
    if (parts.length)
      out.push({
        line: eventLines(run.model, { step: snap.step, kind: 'forward', layer: l }).first,
        text: parts.join('   '),
      });
  }
  const loss = lossLines(run.model);
  if (loss && snap.hasGlobal('loss'))
    out.push({ line: loss.first, text: `L = ${formatValue(snap.global('loss'), num)}` });
  return out;
}
