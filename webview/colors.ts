/**
 * Theme colours for canvas drawing. CSS can follow the theme by itself (var(--vscode-…)); a
 * canvas needs numbers, so the palette is resolved from the computed custom properties and
 * re-read when VS Code switches theme (it changes the body's class).
 */
export type RGB = readonly [number, number, number];

export interface Palette {
  readonly positive: RGB;
  readonly negative: RGB;
  readonly background: RGB;
  readonly invalid: RGB;
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour string → RGB, by letting a canvas parse it. */
export function toRgb(color: string, fallback: RGB): RGB {
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe || !color.trim()) return fallback;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000';
  probe.fillStyle = color.trim();
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return a === 0 ? fallback : [r, g, b];
}

export function readPalette(root: Element = document.body): Palette {
  const css = getComputedStyle(root);
  const v = (name: string) => css.getPropertyValue(name);
  return {
    positive: toRgb(v('--bp-positive'), [55, 148, 255]),
    negative: toRgb(v('--bp-negative'), [209, 134, 22]),
    background: toRgb(v('--bp-heat-background'), [30, 30, 30]),
    invalid: toRgb(v('--bp-invalid'), [241, 76, 76]),
  };
}

/** Calls `onChange` when VS Code changes theme (body class) or the OS contrast/motion settings change. */
export function onThemeChange(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return () => observer.disconnect();
}
