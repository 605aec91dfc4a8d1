/**
 * The one-line summary above each layer (CodeLens): shape and activation, ‖δ‖, and the layer's
 * share of the gradient. Pure (no `vscode`).
 *
 * "Gradient share" is the layer's part of the squared norm of the whole gradient,
 * (‖∂L/∂W^l‖² + ‖∂L/∂b^l‖²) / Σ_k (‖∂L/∂W^k‖² + ‖∂L/∂b^k‖²): the shares add up to 100 %, and a
 * layer with a tiny share is one that gradient descent barely moves (a vanishing gradient).
 */
import { norm, shapeText } from '../../engine/tensor';
import { sup } from '../../engine/numberFormat';
import { StepRecord, Trace } from '../../engine/trace';
import { fmt, NumberFormat } from './markdown';

function sq(x: number): number {
  return x * x;
}

/** Each layer's share of ‖∇θ L‖² at this step (NaN when the gradient is zero or not finite). */
export function gradientShares(s: StepRecord): number[] {
  const parts = s.backward.map((b) => sq(norm(b.dW.data)) + sq(norm(b.db)));
  const total = parts.reduce((a, b) => a + b, 0);
  return parts.map((p) => (total > 0 && Number.isFinite(total) ? p / total : NaN));
}

export function percent(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const p = 100 * x;
  return p === 0 || p >= 10 || p === 100 ? `${Math.round(p)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : '<0.1%';
}

/** e.g. "2 → 3 identity · ‖δ¹‖ = 67.5 · 38% of ‖∇L‖²" (with "step 2/5" when several steps). */
export function layerSummary(trace: Trace, layer: number, step: number, format: NumberFormat): string {
  if (step < 1 || step > trace.steps.length) return '';
  const s = trace.steps.get(step);
  const u = s.update[layer - 1],
    b = s.backward[layer - 1],
    f = s.forward[layer - 1];
  const share = gradientShares(s)[layer - 1];
  const info = trace.layers?.[layer - 1];
  const parts = [
    info && info.type !== 'dense'
      ? `${shapeText(info.inShape)} → ${shapeText(info.outShape)} ${info.type}${info.activation === 'identity' ? '' : ` ${info.activation}`}`
      : `${u.W.cols} → ${u.W.rows} ${f.activation}`,
    `‖δ${sup(layer)}‖ = ${fmt(norm(b.delta.data), format)}`,
    `${percent(share)} of ‖∇L‖²`,
  ];
  if (trace.steps.length > 1) parts.push(`step ${step}/${trace.steps.length}`);
  return parts.join(' · ');
}
