/**
 * Every message between the extension host and the trace panel (vscode-hexeditor's
 * shared/protocol.ts): a `type` tag per message, `ToWebview…` and `FromWebview…` unions,
 * request/reply ids, and the runtime checks each side runs on what it receives.
 *
 * Numbers cross as Float64Arrays: VS Code (≥ 1.57) and structured clone both move typed arrays as
 * binary, so a 784×128 weight matrix is one 800 kB buffer, not a 2 MB JSON string. Matrices are
 * in the engine's layout (W out × in, batches one row per example); the panel re-orients them for
 * the file's convention, as the equations do.
 *
 * No `vscode` and no DOM here: both sides import it.
 */

import type { GradCheckEntry } from './engine/gradcheck';
import type { Place } from './model/places';

export const EVENT_KINDS = ['forward', 'loss', 'backward', 'update'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** A position in the trace (same shape as the engine's TraceEvent). */
export interface EventRef {
  readonly step: number;
  readonly kind: EventKind;
  /** 1-based layer; 0 for the loss. */
  readonly layer: number;
}

export interface WireMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major. */
  readonly data: Float64Array;
}

export interface WireEquation {
  readonly text: string;
  readonly latex: string;
}

export interface WireEventEquations {
  readonly title: string;
  readonly lines: readonly WireEquation[];
}

export interface WireForward {
  readonly z: WireMatrix;
  readonly a: WireMatrix;
}

export interface WireLoss {
  readonly value: number;
  readonly dataTerm: number;
  readonly l2Term: number;
  /** ∂L/∂a^L. */
  readonly dA: WireMatrix;
  readonly fused: boolean;
}

export interface WireBackward {
  readonly dA: WireMatrix;
  readonly sigmaPrime: WireMatrix | null;
  readonly delta: WireMatrix;
  readonly dW: WireMatrix;
  readonly db: Float64Array;
}

export interface WireUpdate {
  readonly W: WireMatrix;
  readonly b: Float64Array;
  readonly WNext: WireMatrix;
  readonly bNext: Float64Array;
}

/** Everything one training step recorded, plus the equations of its events. */
export interface StepData {
  readonly step: number;
  readonly input: WireMatrix;
  readonly target: WireMatrix;
  /** Indexed by layer − 1. */
  readonly forward: readonly WireForward[];
  readonly loss: WireLoss;
  /** Indexed by layer − 1 (events visit L..1). */
  readonly backward: readonly WireBackward[];
  readonly inputGrad: WireMatrix;
  /** Indexed by layer − 1. */
  readonly update: readonly WireUpdate[];
  /** One per event of the step, in event order: forward 1..L, loss, backward L..1, update 1..L. */
  readonly equations: readonly WireEventEquations[];
}

export interface WireHealth {
  readonly kind: string;
  readonly severity: 'error' | 'warning';
  readonly step: number;
  /** 1-based layer, 0 for the loss. */
  readonly layer: number;
  /** z, a, loss, dA, delta, dW, db, W_next, b_next. */
  readonly quantity: string;
  readonly message: string;
}

/** One hand-derived `expect` value and whether the trace agrees. */
export interface WireCheck {
  /** Index into the model's expectations (to reveal it in the file). */
  readonly index: number;
  readonly step: number;
  /** 1-based layer, 0 for the file-level block. */
  readonly layer: number;
  /** z, a, delta, dW, db, W_next, b_next, dL_da, sigma_prime, loss. */
  readonly key: string;
  /** How the value is named: z¹, W²', ∂L/∂a², L. */
  readonly symbol: string;
  readonly ok: boolean;
  /** One line per finding (each wrong entry, or why nothing could be compared). */
  readonly message: string;
  /**
   * Entries that disagree, in the engine's layout of the quantity: [example, unit] for batch
   * values, [out, in] for W-shaped ones, [0, unit] for vectors, [0, 0] for the loss.
   */
  readonly wrong: readonly (readonly [number, number])[];
}

/** A gradient-check row as it crosses to the panel (the engine's entry, less absError). */
export type WireGradCheckEntry = Pick<GradCheckEntry, 'layer' | 'param' | 'i' | 'j' | 'analytic' | 'numeric' | 'relError' | 'ok'>;

export interface WireGradCheck {
  readonly epsilon: number;
  readonly checked: number;
  readonly total: number;
  readonly maxRelError: number;
  readonly ok: boolean;
  readonly entries: readonly WireGradCheckEntry[];
}

/** What the panel knows of a model file's analysis before it asks for any step. */
export interface DocumentData {
  /** Bumped by the host for every new trace or setting; stale requests and replies are dropped. */
  readonly revision: number;
  readonly uri: string;
  readonly fileName: string;
  readonly name: string;
  readonly convention: 'out_in' | 'in_out';
  /** n_0, n_1, …, n_L. */
  readonly widths: readonly number[];
  /** Per layer 1..L. */
  readonly activations: readonly string[];
  readonly loss: string;
  /** e.g. "SGD, α = 0.01". */
  readonly optimizer: string;
  /** Examples in the batch. */
  readonly batch: number;
  /** Loss per recorded step. */
  readonly losses: Float64Array;
  readonly parameterCounts: readonly number[];
  readonly health: readonly WireHealth[];
  readonly checks: readonly WireCheck[];
  readonly gradcheck: WireGradCheck | null;
  readonly stoppedEarly: string | null;
}

export type NumberFormat = 'auto' | 'fixed' | 'scientific';

export interface PanelSettings {
  /** Significant digits (backprop.precision). */
  readonly digits: number;
  readonly numberFormat: NumberFormat;
}

/** What the panel saves with setState and the host restores after a reload. */
export interface PanelState {
  readonly uri: string;
  /** Event index within the trace. */
  readonly index: number;
  /** Selected layer (0 = input; null: none), its selected unit, and the example of the batch shown. */
  readonly layer: number | null;
  readonly unit: number;
  readonly example: number;
}

/** Something in the panel that has a place in the model file (the model's own type). */
export type RevealTarget = Place;

// ── Host → panel ─────────────────────────────────────────────────────────────────────────────

/** A (new) trace: on open, after an edit re-ran the file, after a setting changed. */
export interface LoadMessage {
  readonly type: 'load';
  readonly doc: DocumentData;
  readonly settings: PanelSettings;
  /** Event index to show. */
  readonly index: number;
  /** The step at `index`, so the first render needs no round trip. */
  readonly step: StepData;
  readonly reason: 'opened' | 'rebuilt' | 'restored' | 'settings';
}

/** No trace to show: no model file, or one whose errors stop it from running. */
export interface UnavailableMessage {
  readonly type: 'unavailable';
  readonly uri: string | null;
  readonly fileName: string | null;
  readonly message: string;
}

/** The stepping position moved outside the panel (a command, CodeLens "Step to here"). */
export interface PositionMessage {
  readonly type: 'position';
  readonly revision: number;
  readonly index: number;
}

/** The editor's cursor is in a layer (or "Show in panel" was chosen). */
export interface SelectLayerMessage {
  readonly type: 'selectLayer';
  readonly revision: number;
  readonly layer: number;
  /** Scroll it into view and move focus to it. */
  readonly focus: boolean;
}

/** Reply to GetStepMessage. */
export interface StepDataMessage {
  readonly type: 'stepData';
  readonly requestId: number;
  readonly revision: number;
  readonly step: StepData;
}

/** Reply to a request that only succeeds or fails (exports). */
export interface ResultMessage {
  readonly type: 'result';
  readonly requestId: number;
  readonly ok: boolean;
  readonly message: string;
}

export type ToWebviewMessage = LoadMessage | UnavailableMessage | PositionMessage | SelectLayerMessage | StepDataMessage | ResultMessage;

// ── Panel → host ─────────────────────────────────────────────────────────────────────────────

export interface ReadyMessage {
  readonly type: 'ready';
  /** The state saved before a reload, if any. */
  readonly state: PanelState | null;
}

export interface GetStepMessage {
  readonly type: 'getStep';
  readonly requestId: number;
  readonly revision: number;
  readonly step: number;
}

/** The user stepped in the panel; the host moves the shared session to match. */
export interface MovedMessage {
  readonly type: 'moved';
  readonly revision: number;
  readonly index: number;
}

export interface RevealMessage {
  readonly type: 'reveal';
  readonly revision: number;
  readonly target: RevealTarget;
}

/** Save the given step's worked solution (src/report/worked.ts). */
export interface ExportWorkedMessage {
  readonly type: 'exportWorked';
  readonly requestId: number;
  readonly revision: number;
  readonly format: 'markdown' | 'latex';
  readonly step: number;
}

/** Save the diagram the panel drew: SVG as text, PNG as bytes. */
export type ExportImageMessage =
  | { readonly type: 'exportImage'; readonly requestId: number; readonly format: 'svg'; readonly data: string }
  | { readonly type: 'exportImage'; readonly requestId: number; readonly format: 'png'; readonly data: Uint8Array };

export type FromWebviewMessage = ReadyMessage | GetStepMessage | MovedMessage | RevealMessage | ExportWorkedMessage | ExportImageMessage;

// ── Where checks and warnings belong (both sides place them: the panel draws, the host exports) ──

/** The event where a hand-derived value is first computed. */
export function checkEvent(c: WireCheck, layers: number): EventRef {
  switch (c.key) {
    case 'z': case 'a': return { step: c.step, kind: 'forward', layer: c.layer };
    case 'loss': case 'dL_da': return c.layer === 0 || c.layer === layers ? { step: c.step, kind: 'loss', layer: 0 } : { step: c.step, kind: 'backward', layer: c.layer };
    case 'W_next': case 'b_next': return { step: c.step, kind: 'update', layer: c.layer };
    default: return { step: c.step, kind: 'backward', layer: c.layer };
  }
}

/** The event at which a numeric warning arises. */
export function healthEvent(h: WireHealth): EventRef {
  if (h.layer === 0 || h.quantity === 'loss') return { step: h.step, kind: 'loss', layer: 0 };
  switch (h.quantity) {
    case 'z': case 'a': return { step: h.step, kind: 'forward', layer: h.layer };
    case 'W_next': case 'b_next': return { step: h.step, kind: 'update', layer: h.layer };
    default: return { step: h.step, kind: 'backward', layer: h.layer };
  }
}

// ── Runtime checks ───────────────────────────────────────────────────────────────────────────
// Hand-written guards: each returns the value typed, or throws ProtocolError naming the path that
// failed, so a bad message is logged precisely and never half-applied.

export class ProtocolError extends Error {
  constructor(readonly path: string, expected: string) {
    super(`${path}: expected ${expected}`);
    this.name = 'ProtocolError';
  }
}

type Obj = Record<string, unknown>;

function obj(x: unknown, path: string): Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new ProtocolError(path, 'an object');
  return x as Obj;
}

function num(x: unknown, path: string): number {
  // Non-finite numbers are legitimate trace values (a diverging run), so only the type is checked.
  if (typeof x !== 'number') throw new ProtocolError(path, 'a number');
  return x;
}

function int(x: unknown, path: string, min = 0): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) throw new ProtocolError(path, `an integer ≥ ${min}`);
  return x;
}

function str(x: unknown, path: string): string {
  if (typeof x !== 'string') throw new ProtocolError(path, 'a string');
  return x;
}

function bool(x: unknown, path: string): boolean {
  if (typeof x !== 'boolean') throw new ProtocolError(path, 'a boolean');
  return x;
}

function oneOf<T extends string>(x: unknown, options: readonly T[], path: string): T {
  if (typeof x !== 'string' || !(options as readonly string[]).includes(x)) throw new ProtocolError(path, options.join(' | '));
  return x as T;
}

function nullable<T>(x: unknown, path: string, check: (x: unknown, path: string) => T): T | null {
  return x === null ? null : check(x, path);
}

function arr<T>(x: unknown, path: string, check: (x: unknown, path: string) => T): T[] {
  if (!Array.isArray(x)) throw new ProtocolError(path, 'an array');
  return x.map((e, i) => check(e, `${path}[${i}]`));
}

function f64(x: unknown, path: string, length?: number): Float64Array {
  if (!(x instanceof Float64Array)) throw new ProtocolError(path, 'a Float64Array');
  if (length !== undefined && x.length !== length) throw new ProtocolError(path, `${length} entries`);
  return x;
}

export function checkMatrix(x: unknown, path = 'matrix'): WireMatrix {
  const o = obj(x, path);
  const rows = int(o.rows, `${path}.rows`), cols = int(o.cols, `${path}.cols`);
  return { rows, cols, data: f64(o.data, `${path}.data`, rows * cols) };
}

export function checkEventRef(x: unknown, path = 'event'): EventRef {
  const o = obj(x, path);
  const kind = oneOf(o.kind, EVENT_KINDS, `${path}.kind`);
  const layer = int(o.layer, `${path}.layer`, kind === 'loss' ? 0 : 1);
  if (kind === 'loss' && layer !== 0) throw new ProtocolError(`${path}.layer`, '0 for the loss');
  return { step: int(o.step, `${path}.step`, 1), kind, layer };
}

function checkEquations(x: unknown, path: string): WireEventEquations {
  const o = obj(x, path);
  return {
    title: str(o.title, `${path}.title`),
    lines: arr(o.lines, `${path}.lines`, (l, p) => { const e = obj(l, p); return { text: str(e.text, `${p}.text`), latex: str(e.latex, `${p}.latex`) }; }),
  };
}

export function checkStepData(x: unknown, path = 'step'): StepData {
  const o = obj(x, path);
  const forward = arr(o.forward, `${path}.forward`, (f, p) => { const e = obj(f, p); return { z: checkMatrix(e.z, `${p}.z`), a: checkMatrix(e.a, `${p}.a`) }; });
  const L = forward.length;
  const lo = obj(o.loss, `${path}.loss`);
  const backward = arr(o.backward, `${path}.backward`, (b, p) => {
    const e = obj(b, p);
    return { dA: checkMatrix(e.dA, `${p}.dA`), sigmaPrime: nullable(e.sigmaPrime, `${p}.sigmaPrime`, checkMatrix), delta: checkMatrix(e.delta, `${p}.delta`), dW: checkMatrix(e.dW, `${p}.dW`), db: f64(e.db, `${p}.db`) };
  });
  const update = arr(o.update, `${path}.update`, (u, p) => {
    const e = obj(u, p);
    return { W: checkMatrix(e.W, `${p}.W`), b: f64(e.b, `${p}.b`), WNext: checkMatrix(e.WNext, `${p}.WNext`), bNext: f64(e.bNext, `${p}.bNext`) };
  });
  const equations = arr(o.equations, `${path}.equations`, checkEquations);
  if (backward.length !== L || update.length !== L) throw new ProtocolError(path, `${L} backward and update records`);
  if (equations.length !== 3 * L + 1) throw new ProtocolError(`${path}.equations`, `${3 * L + 1} events`);
  return {
    step: int(o.step, `${path}.step`, 1),
    input: checkMatrix(o.input, `${path}.input`),
    target: checkMatrix(o.target, `${path}.target`),
    forward,
    loss: { value: num(lo.value, `${path}.loss.value`), dataTerm: num(lo.dataTerm, `${path}.loss.dataTerm`), l2Term: num(lo.l2Term, `${path}.loss.l2Term`), dA: checkMatrix(lo.dA, `${path}.loss.dA`), fused: bool(lo.fused, `${path}.loss.fused`) },
    backward,
    inputGrad: checkMatrix(o.inputGrad, `${path}.inputGrad`),
    update,
    equations,
  };
}

function checkHealth(x: unknown, path: string): WireHealth {
  const o = obj(x, path);
  return {
    kind: str(o.kind, `${path}.kind`), severity: oneOf(o.severity, ['error', 'warning'] as const, `${path}.severity`),
    step: int(o.step, `${path}.step`, 1), layer: int(o.layer, `${path}.layer`), quantity: str(o.quantity, `${path}.quantity`), message: str(o.message, `${path}.message`),
  };
}

function checkCheck(x: unknown, path: string): WireCheck {
  const o = obj(x, path);
  return {
    index: int(o.index, `${path}.index`), step: int(o.step, `${path}.step`, 1), layer: int(o.layer, `${path}.layer`),
    key: str(o.key, `${path}.key`), symbol: str(o.symbol, `${path}.symbol`), ok: bool(o.ok, `${path}.ok`), message: str(o.message, `${path}.message`),
    wrong: arr(o.wrong, `${path}.wrong`, (w, p) => {
      if (!Array.isArray(w) || w.length !== 2) throw new ProtocolError(p, 'an [i, j] pair');
      return [int(w[0], `${p}[0]`), int(w[1], `${p}[1]`)] as const;
    }),
  };
}

function checkGradCheck(x: unknown, path: string): WireGradCheck {
  const o = obj(x, path);
  return {
    epsilon: num(o.epsilon, `${path}.epsilon`), checked: int(o.checked, `${path}.checked`), total: int(o.total, `${path}.total`),
    maxRelError: num(o.maxRelError, `${path}.maxRelError`), ok: bool(o.ok, `${path}.ok`),
    entries: arr(o.entries, `${path}.entries`, (e, p) => {
      const g = obj(e, p);
      return {
        layer: int(g.layer, `${p}.layer`, 1), param: oneOf(g.param, ['W', 'b'] as const, `${p}.param`), i: int(g.i, `${p}.i`), j: int(g.j, `${p}.j`),
        analytic: num(g.analytic, `${p}.analytic`), numeric: num(g.numeric, `${p}.numeric`), relError: num(g.relError, `${p}.relError`), ok: bool(g.ok, `${p}.ok`),
      };
    }),
  };
}

export function checkDocument(x: unknown, path = 'doc'): DocumentData {
  const o = obj(x, path);
  const widths = arr(o.widths, `${path}.widths`, (w, p) => int(w, p, 1));
  if (widths.length < 2) throw new ProtocolError(`${path}.widths`, 'at least an input and one layer');
  const activations = arr(o.activations, `${path}.activations`, str);
  if (activations.length !== widths.length - 1) throw new ProtocolError(`${path}.activations`, `${widths.length - 1} entries`);
  const losses = f64(o.losses, `${path}.losses`);
  if (losses.length < 1) throw new ProtocolError(`${path}.losses`, 'at least one step');
  return {
    revision: int(o.revision, `${path}.revision`), uri: str(o.uri, `${path}.uri`), fileName: str(o.fileName, `${path}.fileName`), name: str(o.name, `${path}.name`),
    convention: oneOf(o.convention, ['out_in', 'in_out'] as const, `${path}.convention`),
    widths, activations, loss: str(o.loss, `${path}.loss`), optimizer: str(o.optimizer, `${path}.optimizer`), batch: int(o.batch, `${path}.batch`, 1),
    losses, parameterCounts: arr(o.parameterCounts, `${path}.parameterCounts`, int),
    health: arr(o.health, `${path}.health`, checkHealth), checks: arr(o.checks, `${path}.checks`, checkCheck),
    gradcheck: nullable(o.gradcheck, `${path}.gradcheck`, checkGradCheck), stoppedEarly: nullable(o.stoppedEarly, `${path}.stoppedEarly`, str),
  };
}

export function checkSettings(x: unknown, path = 'settings'): PanelSettings {
  const o = obj(x, path);
  return { digits: int(o.digits, `${path}.digits`, 1), numberFormat: oneOf(o.numberFormat, ['auto', 'fixed', 'scientific'] as const, `${path}.numberFormat`) };
}

export function checkPanelState(x: unknown, path = 'state'): PanelState {
  const o = obj(x, path);
  return { uri: str(o.uri, `${path}.uri`), index: int(o.index, `${path}.index`), layer: nullable(o.layer, `${path}.layer`, int), unit: int(o.unit, `${path}.unit`), example: int(o.example, `${path}.example`) };
}

export function checkRevealTarget(x: unknown, path = 'target'): RevealTarget {
  const o = obj(x, path);
  const kind = oneOf(o.kind, ['layer', 'param', 'input', 'target', 'loss', 'check'] as const, `${path}.kind`);
  switch (kind) {
    case 'layer': return { kind, layer: int(o.layer, `${path}.layer`) };
    case 'param': return { kind, layer: int(o.layer, `${path}.layer`, 1), param: oneOf(o.param, ['W', 'b'] as const, `${path}.param`), i: int(o.i, `${path}.i`), j: int(o.j, `${path}.j`) };
    case 'input': case 'target': return { kind, example: int(o.example, `${path}.example`), unit: int(o.unit, `${path}.unit`) };
    case 'loss': return { kind };
    case 'check': return { kind, index: int(o.index, `${path}.index`) };
  }
}

/** Validates a message from the host; throws ProtocolError when it is not one. */
export function checkToWebview(x: unknown): ToWebviewMessage {
  const o = obj(x, 'message');
  const type = oneOf(o.type, ['load', 'unavailable', 'position', 'selectLayer', 'stepData', 'result'] as const, 'message.type');
  switch (type) {
    case 'load': return {
      type, doc: checkDocument(o.doc), settings: checkSettings(o.settings), index: int(o.index, 'message.index'), step: checkStepData(o.step),
      reason: oneOf(o.reason, ['opened', 'rebuilt', 'restored', 'settings'] as const, 'message.reason'),
    };
    case 'unavailable': return { type, uri: nullable(o.uri, 'message.uri', str), fileName: nullable(o.fileName, 'message.fileName', str), message: str(o.message, 'message.message') };
    case 'position': return { type, revision: int(o.revision, 'message.revision'), index: int(o.index, 'message.index') };
    case 'selectLayer': return { type, revision: int(o.revision, 'message.revision'), layer: int(o.layer, 'message.layer'), focus: bool(o.focus, 'message.focus') };
    case 'stepData': return { type, requestId: int(o.requestId, 'message.requestId'), revision: int(o.revision, 'message.revision'), step: checkStepData(o.step) };
    case 'result': return { type, requestId: int(o.requestId, 'message.requestId'), ok: bool(o.ok, 'message.ok'), message: str(o.message, 'message.message') };
  }
}

/** Validates a message from the panel; throws ProtocolError when it is not one. */
export function checkFromWebview(x: unknown): FromWebviewMessage {
  const o = obj(x, 'message');
  const type = oneOf(o.type, ['ready', 'getStep', 'moved', 'reveal', 'exportWorked', 'exportImage'] as const, 'message.type');
  switch (type) {
    case 'ready': return { type, state: nullable(o.state, 'message.state', checkPanelState) };
    case 'getStep': return { type, requestId: int(o.requestId, 'message.requestId'), revision: int(o.revision, 'message.revision'), step: int(o.step, 'message.step', 1) };
    case 'moved': return { type, revision: int(o.revision, 'message.revision'), index: int(o.index, 'message.index') };
    case 'reveal': return { type, revision: int(o.revision, 'message.revision'), target: checkRevealTarget(o.target, 'message.target') };
    case 'exportWorked': return {
      type, requestId: int(o.requestId, 'message.requestId'), revision: int(o.revision, 'message.revision'),
      format: oneOf(o.format, ['markdown', 'latex'] as const, 'message.format'), step: int(o.step, 'message.step', 1),
    };
    case 'exportImage': {
      const requestId = int(o.requestId, 'message.requestId');
      const format = oneOf(o.format, ['svg', 'png'] as const, 'message.format');
      if (format === 'svg') return { type, requestId, format, data: str(o.data, 'message.data') };
      if (!(o.data instanceof Uint8Array)) throw new ProtocolError('message.data', 'a Uint8Array');
      return { type, requestId, format, data: o.data };
    }
  }
}
