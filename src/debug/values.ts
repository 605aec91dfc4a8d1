/**
 * The values the debugger shows at a position: what has been computed so far in the current
 * step, named as in the notes (z², δ¹, W²′) and as in the evaluate language (z2, delta1,
 * W2_next), oriented the way the model file writes its equation — out_in: z = W a + b with
 * vectors as columns; in_out: z = a W + b with vectors as rows — so `W2 @ a1 + b2` is z².
 */
import { sup } from '../engine/numberFormat';
import { Matrix, transpose } from '../engine/tensor';
import { StepRecord, TraceEventKind } from '../engine/trace';
import { fileW } from '../model/layout';
import { Convention } from '../model/types';
import { eventLabel, PARTS, Position, positionLabel, stepPlan } from './positions';
import { StepSource } from './steps';

/** Raised when a name is asked for before it is computed; the message says when it will be. */
export class NotComputedError extends Error {}

export type LayerKey = 'z' | 'a' | 'sigma_prime' | 'delta' | 'dW' | 'db' | 'W' | 'b' | 'W_next' | 'b_next';
export type GlobalKey = 'x' | 't' | 'loss' | 'dL_da' | 'dL_dx' | 'step' | 'lr';

interface When {
  readonly kind: TraceEventKind;
  readonly part: number;
}

export interface LayerQuantity {
  readonly key: LayerKey;
  /** As in the Variables view: "δ", "∂L/∂W". */
  readonly label: string;
  /** Symbol with the layer as a superscript: "δ²". */
  symbol(l: number): string;
  /** When it is computed within a step (undefined: known from the start of the step). */
  readonly when?: When;
  readonly shape: 'batch' | 'weights' | 'bias';
}

const q = (
  key: LayerKey,
  label: string,
  symbol: (l: number) => string,
  shape: LayerQuantity['shape'],
  when?: When,
): LayerQuantity => ({ key, label, symbol, shape, when });

/** Per-layer quantities, in the order the Variables view lists them. */
export const LAYER_QUANTITIES: readonly LayerQuantity[] = [
  q('z', 'z', (l) => `z${sup(l)}`, 'batch', { kind: 'forward', part: 0 }),
  q('a', 'a', (l) => `a${sup(l)}`, 'batch', { kind: 'forward', part: 1 }),
  q('sigma_prime', "σ'(z)", (l) => `σ'(z${sup(l)})`, 'batch', { kind: 'backward', part: 0 }),
  q('delta', 'δ', (l) => `δ${sup(l)}`, 'batch', { kind: 'backward', part: 0 }),
  q('dW', '∂L/∂W', (l) => `∂L/∂W${sup(l)}`, 'weights', { kind: 'backward', part: 1 }),
  q('db', '∂L/∂b', (l) => `∂L/∂b${sup(l)}`, 'bias', { kind: 'backward', part: 2 }),
  q('W', 'W', (l) => `W${sup(l)}`, 'weights'),
  q('b', 'b', (l) => `b${sup(l)}`, 'bias'),
  q('W_next', 'W′', (l) => `W${sup(l)}′`, 'weights', { kind: 'update', part: 0 }),
  q('b_next', 'b′', (l) => `b${sup(l)}′`, 'bias', { kind: 'update', part: 0 }),
];

export const LAYER_KEYS = new Set<string>(LAYER_QUANTITIES.map((x) => x.key));

export type Value = number | Matrix;

/** Values at one position of a run. Cheap to make: it reads the step record on demand. */
export class Snapshot {
  private record: StepRecord | undefined;
  private readonly slot: number;

  constructor(
    readonly source: StepSource,
    readonly convention: Convention,
    readonly position: Position,
  ) {
    this.slot = slotOf(source.layerCount, position.kind, position.kind === 'loss' ? 0 : position.layer, position.part);
  }

  get layers(): number {
    return this.source.layerCount;
  }
  get step(): number {
    return this.position.step;
  }
  private get rec(): StepRecord {
    return (this.record ??= this.source.step(this.position.step));
  }

  /** Whether a quantity computed at (kind, layer, part) is available here. */
  private reached(kind: TraceEventKind, layer: number, part: number): boolean {
    return this.slot >= slotOf(this.layers, kind, layer, part);
  }

  private require(kind: TraceEventKind, layer: number, part: number, symbol: string): void {
    if (this.reached(kind, layer, part)) return;
    const parts = PARTS[kind];
    const where = `${eventLabel({ step: this.step, kind, layer })}${part > 0 && part < parts.length - 1 ? ` · ${parts[part]}` : ''}`;
    throw new NotComputedError(
      `${symbol} is computed at ${where}; the debugger is at ${positionLabel(this.position)} · step ${this.step}`,
    );
  }

  hasLayer(key: LayerKey, l: number): boolean {
    const qty = LAYER_QUANTITIES.find((x) => x.key === key)!;
    if (l < 1 || l > this.layers) return false;
    if (key === 'sigma_prime' && this.reached('backward', l, 0) && !this.rec.backward[l - 1].sigmaPrime) return false;
    return !qty.when || this.reached(qty.when.kind, l, qty.when.part);
  }

  layer(key: LayerKey, l: number): Matrix {
    const qty = LAYER_QUANTITIES.find((x) => x.key === key)!;
    if (!Number.isInteger(l) || l < 1 || l > this.layers)
      throw new Error(`there is no layer ${l}: the network has layers 1 to ${this.layers}`);
    if (qty.when) this.require(qty.when.kind, l, qty.when.part, qty.symbol(l));
    const r = this.rec;
    switch (key) {
      case 'z':
        return this.batch(r.forward[l - 1].z);
      case 'a':
        return this.batch(r.forward[l - 1].a);
      case 'sigma_prime': {
        const sp = r.backward[l - 1].sigmaPrime;
        if (!sp)
          throw new Error(
            `σ'(z${sup(l)}) is not element-wise for this layer (softmax or a fused output): δ${sup(l)} is computed directly`,
          );
        return this.batch(sp);
      }
      case 'delta':
        return this.batch(r.backward[l - 1].delta);
      case 'dW':
        return this.weights(r.backward[l - 1].dW);
      case 'db':
        return this.bias(r.backward[l - 1].db);
      case 'W':
        return this.weights(r.update[l - 1].W);
      case 'b':
        return this.bias(r.update[l - 1].b);
      case 'W_next':
        return this.weights(r.update[l - 1].WNext);
      case 'b_next':
        return this.bias(r.update[l - 1].bNext);
    }
  }

  hasGlobal(key: GlobalKey): boolean {
    if (key === 'loss' || key === 'dL_da') return this.reached('loss', 0, 0);
    if (key === 'dL_dx') return this.reached('backward', 1, 2);
    return true;
  }

  global(key: GlobalKey): Value {
    switch (key) {
      case 'x':
        return this.batch(this.rec.input);
      case 't':
        return this.batch(this.rec.target);
      case 'step':
        return this.step;
      case 'lr':
        return this.source.optimizer.lr;
      case 'loss':
        this.require('loss', 0, 0, 'L');
        return this.source.loss(this.step);
      case 'dL_da':
        this.require('loss', 0, 0, `∂L/∂a${sup(this.layers)}`);
        return this.batch(this.rec.loss.dA);
      case 'dL_dx':
        this.require('backward', 1, 2, '∂L/∂x');
        return this.batch(this.rec.inputGrad);
    }
  }

  /**
   * Optimizer state of layer l as the current position sees it: after this step's update of the
   * layer, that update's; before it, the previous step's (none at step 1). Names: v_W, m_b, …
   */
  optimizerState(l: number): ReadonlyMap<string, Matrix> {
    const out = new Map<string, Matrix>();
    let state: Readonly<Record<string, Matrix | Float64Array>> | undefined;
    if (this.reached('update', l, 0)) state = this.rec.update[l - 1].state;
    else if (this.step > 1) state = this.source.step(this.step - 1).update[l - 1].state;
    for (const [name, v] of Object.entries(state ?? {})) {
      out.set(name, v instanceof Float64Array ? this.bias(v) : this.weights(v));
    }
    return out;
  }

  /** Examples-as-rows N × n → the file's orientation. */
  private batch(m: Matrix): Matrix {
    return this.convention === 'out_in' ? transpose(m) : m;
  }
  private weights(m: Matrix): Matrix {
    return fileW(this, m);
  }
  private bias(v: Float64Array): Matrix {
    return this.convention === 'out_in' ? { rows: v.length, cols: 1, data: v } : { rows: 1, cols: v.length, data: v };
  }
}

/** Index of (kind, layer, part) within a step's plan. */
function slotOf(layers: number, kind: TraceEventKind, layer: number, part: number): number {
  const k = stepPlan(layers).findIndex((s) => s.kind === kind && s.layer === layer && s.part === part);
  if (k < 0) throw new RangeError(`no ${kind} event for layer ${layer}`);
  return k;
}
