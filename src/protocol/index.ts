/**
 * The host ↔ panel protocol, imported by both sides: the trace data that crosses (traceData.ts),
 * the messages (messages.ts), how they are checked on receipt (validation.ts), and where
 * warnings belong in the trace (placement.ts). No `vscode` and no DOM here.
 */
export { checkFromWebview, checkPanelState, checkToWebview, checkTraceEvent, NUMBER_STYLES } from './messages';
export type {
  ExportImageMessage,
  ExportWorkedMessage,
  FromWebviewMessage,
  LoadMessage,
  PanelSettings,
  PanelState,
  ResultMessage,
  RunProgressMessage,
  RevealTarget,
  StaleTrace,
  StepDataMessage,
  ToWebviewMessage,
} from './messages';
export { healthEvent } from './placement';
export { TRACE_EVENT_KINDS } from './traceData';
export type { DocumentData, StepData, WireCheck, WireGradCheck, WireGradCheckEntry } from './traceData';
export { ProtocolError } from './validation';
