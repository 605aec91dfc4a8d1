/**
 * Every message between the extension host and the trace panel (vscode-hexeditor's
 * shared/protocol.ts): a `type` tag per message, `ToWebview…` and `FromWebview…` unions,
 * request/reply ids — each a schema, its type inferred from it, and the check each side runs on
 * what it receives.
 */
import * as v from 'valibot';
import type { NumberStyle } from '../engine/numberFormat';
import type { Place } from '../model/places';
import { documentData, stepData, traceEvent } from './traceData';
import { allOf, bool, bytes, DeepReadonly, f64, int, list, oneOf, record, str, tagged, validator } from './validation';

export const NUMBER_STYLES = allOf<NumberStyle>()(['auto', 'fixed', 'scientific']);

const panelSettings = record({
  /** Significant digits (backprop.precision). */
  digits: int(1),
  /** backprop.numberFormat. */
  numberFormat: oneOf(NUMBER_STYLES),
});
export type PanelSettings = DeepReadonly<v.InferOutput<typeof panelSettings>>;

/** What the panel saves with setState and the host restores after a reload. */
const panelState = record({
  uri: str,
  /** Event index within the trace. */
  index: int(),
  /** Selected layer (0 = input; null: none), its selected unit, and the example of the batch shown. */
  layer: v.nullable(int()),
  unit: int(),
  example: int(),
});
export type PanelState = DeepReadonly<v.InferOutput<typeof panelState>>;

/** Something in the panel that has a place in the model file: the model's own type. Indices are 0-based, engine layout. */
export type RevealTarget = Place;
const revealTarget: v.GenericSchema<unknown, Place> = tagged('kind', [
  record({ kind: v.literal('layer'), layer: int() }),
  record({ kind: v.literal('param'), layer: int(1), param: oneOf(['W', 'b']), i: int(), j: int() }),
  record({ kind: oneOf(['input', 'target']), example: int(), unit: int() }),
  record({ kind: v.literal('loss') }),
  record({ kind: v.literal('check'), index: int() }),
]);

// ── Host → panel ─────────────────────────────────────────────────────────────────────────────

/**
 * Set when the file no longer runs (a syntax error mid-edit): the trace sent is the last one that
 * ran, and these are the errors that stop the current text (1-based line and column, as shown).
 */
const staleTrace = record({
  errors: list(record({ message: str, line: int(1), column: int(1) })),
  /** All errors, of which `errors` lists the first. */
  total: int(1),
});
export type StaleTrace = DeepReadonly<v.InferOutput<typeof staleTrace>>;

const toWebview = tagged('type', [
  /** A (new) trace: on open, after an edit re-ran the file, after a setting changed. */
  record({
    type: v.literal('load'),
    doc: documentData,
    settings: panelSettings,
    /** Event index to show. */
    index: int(),
    /** The step at `index`, so the first render needs no round trip. */
    step: stepData,
    reason: oneOf(['opened', 'rebuilt', 'restored', 'settings']),
    /** Null while the file runs; else the trace is the last one that did, and why the file does not now. */
    stale: v.nullable(staleTrace),
  }),
  /** No trace to show: no model file, or one whose errors stop it from running. */
  record({ type: v.literal('unavailable'), uri: v.nullable(str), fileName: v.nullable(str), message: str }),
  /** The stepping position moved outside the panel (a command, CodeLens "Step to here"). */
  record({ type: v.literal('position'), revision: int(), index: int() }),
  /** The editor's cursor is in a layer (or "Show in panel" was chosen); `focus`: scroll it into view and move focus to it. */
  record({ type: v.literal('selectLayer'), revision: int(), layer: int(), focus: bool }),
  /** Reply to getStep. */
  record({ type: v.literal('stepData'), requestId: int(), revision: int(), step: stepData }),
  /** Reply to a request that only succeeds or fails (exports). */
  record({ type: v.literal('result'), requestId: int(), ok: bool, message: str }),
  /** A long run of the file is training: the losses of steps from, from + 1, … (the loss chart fills in live). */
  record({ type: v.literal('runProgress'), uri: str, from: int(1), losses: f64, total: int(1) }),
  /** That run ended without a new trace (cancelled, superseded, failed): the live chart goes. */
  record({ type: v.literal('runEnded'), uri: str }),
]);
export type ToWebviewMessage = DeepReadonly<v.InferOutput<typeof toWebview>>;
export type LoadMessage = Extract<ToWebviewMessage, { type: 'load' }>;
export type StepDataMessage = Extract<ToWebviewMessage, { type: 'stepData' }>;
export type ResultMessage = Extract<ToWebviewMessage, { type: 'result' }>;
export type RunProgressMessage = Extract<ToWebviewMessage, { type: 'runProgress' }>;

// ── Panel → host ─────────────────────────────────────────────────────────────────────────────

const fromWebview = tagged('type', [
  /** The panel has loaded; `state`: what it saved before a reload, if anything. */
  record({ type: v.literal('ready'), state: v.nullable(panelState) }),
  record({ type: v.literal('getStep'), requestId: int(), revision: int(), step: int(1) }),
  /** The user stepped in the panel; the host moves the shared session to match. */
  record({ type: v.literal('moved'), revision: int(), index: int() }),
  record({ type: v.literal('reveal'), revision: int(), target: revealTarget }),
  /** Put the editor's cursor on the error `index` of the load's `stale.errors`. */
  record({ type: v.literal('showError'), revision: int(), index: int() }),
  /** Save the given step's worked solution (src/report/worked.ts). */
  record({
    type: v.literal('exportWorked'),
    requestId: int(),
    revision: int(),
    format: oneOf(['markdown', 'latex']),
    step: int(1),
  }),
  /** Save the diagram the panel drew: SVG as text, PNG as bytes. */
  tagged('format', [
    record({ type: v.literal('exportImage'), requestId: int(), format: v.literal('svg'), data: str }),
    record({ type: v.literal('exportImage'), requestId: int(), format: v.literal('png'), data: bytes }),
  ]),
]);
export type FromWebviewMessage = DeepReadonly<v.InferOutput<typeof fromWebview>>;
export type ExportWorkedMessage = Extract<FromWebviewMessage, { type: 'exportWorked' }>;
export type ExportImageMessage = Extract<FromWebviewMessage, { type: 'exportImage' }>;

// ── The checks each side runs on receipt (a ProtocolError names the path that failed) ────────

/** In the panel: a message from the host. */
export const checkToWebview = validator(toWebview, 'message');
/** In the host: a message from the panel. */
export const checkFromWebview = validator(fromWebview, 'message');
/** The state VS Code kept for the panel across a reload (either side may read it). */
export const checkPanelState = validator(panelState, 'state');
/** An event handed to a command (CodeLens "Step to here"). */
export const checkTraceEvent = validator(traceEvent, 'event');
