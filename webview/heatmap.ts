/** Heatmaps on canvas: one pixel per entry, scaled by CSS; diverging around 0 by the theme's palette. */
import { Palette } from './colors';

/**
 * Paints rows × cols values read by `get` (so a transposed view costs nothing extra). `scale` is
 * the |value| drawn at full colour; NaN and ±∞ are drawn in the error colour.
 */
export function paintHeatmap(
  canvas: HTMLCanvasElement,
  rows: number,
  cols: number,
  get: (i: number, j: number) => number,
  scale: number,
  palette: Palette,
): void {
  if (canvas.width !== cols) canvas.width = Math.max(1, cols);
  if (canvas.height !== rows) canvas.height = Math.max(1, rows);
  const ctx = canvas.getContext('2d');
  if (!ctx || rows === 0 || cols === 0) return;
  const img = ctx.createImageData(cols, rows);
  const px = img.data;
  const [br, bg, bb] = palette.background,
    [pr, pg, pb] = palette.positive,
    [nr, ng, nb] = palette.negative,
    [er, eg, eb] = palette.invalid;
  const inv = scale > 0 ? 1 / scale : 0;
  let k = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++, k += 4) {
      const x = get(i, j);
      if (!Number.isFinite(x)) {
        px[k] = er;
        px[k + 1] = eg;
        px[k + 2] = eb;
        px[k + 3] = 255;
        continue;
      }
      const t = Math.min(1, Math.abs(x) * inv);
      if (x >= 0) {
        px[k] = br + (pr - br) * t;
        px[k + 1] = bg + (pg - bg) * t;
        px[k + 2] = bb + (pb - bb) * t;
      } else {
        px[k] = br + (nr - br) * t;
        px[k + 1] = bg + (ng - bg) * t;
        px[k + 2] = bb + (nb - bb) * t;
      }
      px[k + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}
