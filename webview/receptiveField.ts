/**
 * Where a convolution or pooling output cell reads its input: the receptive field of output
 * (y, x) is rows y·sh − ph … + kh − 1 and columns x·sw − pw … + kw − 1 (PyTorch's Conv2d and
 * pooling), less what falls on the zero padding. Pure, 0-based, so the view and its tests share it.
 */

/** The geometry of one conv2d or pooling layer, as the trace describes it. */
export interface Window {
  /** C, H, W of the input. */
  readonly inShape: readonly number[];
  /** C, H, W of the output. */
  readonly outShape: readonly number[];
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
}

/** An input cell (row, column) of one channel; the same cells in every channel of a convolution. */
export interface Cell {
  readonly y: number;
  readonly x: number;
}

/** The input cells output (y, x) reads, row-major, those on the padding left out. */
export function receptiveField(w: Window, y: number, x: number): Cell[] {
  const [, H, W] = w.inShape;
  const [kh, kw] = w.kernel,
    [sh, sw] = w.stride,
    [ph, pw] = w.padding;
  const out: Cell[] = [];
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const yy = y * sh - ph + i,
        xx = x * sw - pw + j;
      if (yy >= 0 && yy < H && xx >= 0 && xx < W) out.push({ y: yy, x: xx });
    }
  return out;
}

/** Kernel entry (i, j) that meets input cell `c` for output (y, x). */
export function kernelOffset(w: Window, y: number, x: number, c: Cell): Cell {
  return { y: c.y - (y * w.stride[0] - w.padding[0]), x: c.x - (x * w.stride[1] - w.padding[1]) };
}

/** The input cell of channel `ch` that wins max pooling's window (y, x): the first maximum, row-major (PyTorch's). */
export function poolWinner(
  w: Window,
  image: ArrayLike<number>,
  example: number,
  ch: number,
  y: number,
  x: number,
): Cell {
  const [C, H, W] = w.inShape;
  const base = (example * C + ch) * H * W;
  let best = receptiveField(w, y, x)[0];
  for (const c of receptiveField(w, y, x)) {
    const v = image[base + c.y * W + c.x];
    if (v > image[base + best.y * W + best.x] || v !== v) best = c;
  }
  return best;
}
