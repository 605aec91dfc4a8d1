/**
 * Seeded weight initialisation, identical on every platform: xoshiro128** (32-bit integer ops
 * only, seeded through splitmix32) for uniforms, and Marsaglia's polar form of Box–Muller for
 * normals (only sqrt, which IEEE rounds exactly, and log, which V8 computes with its own fdlibm
 * port, so Node, Electron and the webview agree bit for bit).
 */
import { Matrix } from './tensor';

export const INITS = ['xavier_normal', 'xavier_uniform', 'he_normal', 'zeros'] as const;
export type InitName = (typeof INITS)[number];

export interface Rng {
  /** Next raw 32-bit output, as an unsigned integer. */
  nextUint32(): number;
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
}

/** splitmix32: spreads any 32-bit seed (0 included) into well-mixed state words. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** xoshiro128** (Blackman & Vigna), seeded from a 32-bit integer through splitmix32. */
export function createRng(seed: number): Rng {
  const sm = splitmix32(Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0);
  return rngFromState([sm(), sm(), sm(), sm()]);
}

/** xoshiro128** from an explicit 128-bit state (exposed to test against the reference C code). */
export function rngFromState(state: readonly [number, number, number, number]): Rng {
  let [a, b, c, d] = state.map((x) => x >>> 0);
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point
  let spare: number | undefined;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d >>> 0, 11);
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    return result;
  };
  const uniform = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * m;
    return u * m;
  };
  return { nextUint32, uniform, normal };
}

/** The seed of layer l's weights: changing one layer's size does not reshuffle the others. */
export function layerSeed(seed: number, layer: number): number {
  return splitmix32((Math.trunc(seed) >>> 0) ^ Math.imul(layer, 0x632be5ab))();
}

export type InitDistribution =
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'uniform'; readonly limit: number }
  | { readonly kind: 'zeros' };

/**
 * xavier_normal N(0, √(2/(n_in+n_out))) as in the lecture notes; xavier_uniform U(±√(6/(n_in+n_out)));
 * he_normal N(0, √(2/n_in)); zeros.
 */
export function initDistribution(init: InitName, nIn: number, nOut: number): InitDistribution {
  switch (init) {
    case 'xavier_normal':
      return { kind: 'normal', std: Math.sqrt(2 / (nIn + nOut)) };
    case 'xavier_uniform':
      return { kind: 'uniform', limit: Math.sqrt(6 / (nIn + nOut)) };
    case 'he_normal':
      return { kind: 'normal', std: Math.sqrt(2 / nIn) };
    case 'zeros':
      return { kind: 'zeros' };
  }
}

/** W^l (n_out × n_in, row-major), drawn row by row from the layer's own stream; `fanOut` is n_out unless said. */
export function initWeights(
  init: InitName,
  nOut: number,
  nIn: number,
  seed: number,
  layer: number,
  fanOut = nOut,
): Matrix {
  const data = new Float64Array(nOut * nIn);
  const dist = initDistribution(init, nIn, fanOut);
  if (dist.kind !== 'zeros') {
    const rng = createRng(layerSeed(seed, layer));
    for (let i = 0; i < data.length; i++)
      data[i] = dist.kind === 'normal' ? dist.std * rng.normal() : dist.limit * (2 * rng.uniform() - 1);
  }
  return { rows: nOut, cols: nIn, data };
}

/**
 * Conv2d kernels out×in×kh×kw, drawn in that order from the layer's own stream, with PyTorch's
 * fans for a convolution: fan_in = in·kh·kw, fan_out = out·kh·kw.
 */
export function initKernels(
  init: InitName,
  shape: readonly [number, number, number, number],
  seed: number,
  layer: number,
): Matrix {
  const [out, cin, kh, kw] = shape;
  const m = initWeights(init, out, cin * kh * kw, seed, layer, out * kh * kw);
  return { ...m, shape: [...shape] };
}
