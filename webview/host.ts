/**
 * The panel's side of the channel to the extension host: typed messages out, checked messages
 * in (src/protocol/), request/reply by id, and the state VS Code keeps across reloads.
 */
import {
  checkPanelState,
  checkToWebview,
  FromWebviewMessage,
  PanelState,
  ProtocolError,
  ToWebviewMessage,
} from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Messages that are replies, routed to whoever asked. */
type Reply = Extract<ToWebviewMessage, { requestId: number }>;

export class HostChannel {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  /** Messages that failed validation (kept for the panel tests and the developer console). */
  readonly rejected: string[] = [];

  constructor(private readonly onMessage: (m: Exclude<ToWebviewMessage, Reply>) => void) {
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.receive(e.data));
  }

  post(message: FromWebviewMessage): void {
    this.api.postMessage(message);
  }

  /** Sends a request carrying a fresh id; resolves with the reply that echoes it. */
  request<R extends Reply>(make: (requestId: number) => FromWebviewMessage): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve) => {
      this.waiting.set(id, (r) => resolve(r as R));
      this.post(make(id));
    });
  }

  get state(): PanelState | null {
    const s = this.api.getState();
    if (s === undefined || s === null) return null;
    try {
      return checkPanelState(s);
    } catch {
      return null;
    }
  }

  set state(s: PanelState) {
    this.api.setState(s);
  }

  private receive(data: unknown): void {
    let m: ToWebviewMessage;
    try {
      m = checkToWebview(data);
    } catch (err) {
      const why = err instanceof ProtocolError ? err.message : String(err);
      this.rejected.push(why);
      console.error(`backprop panel: ignored a malformed message (${why})`);
      return;
    }
    if (m.type === 'stepData' || m.type === 'result') {
      const done = this.waiting.get(m.requestId);
      this.waiting.delete(m.requestId);
      done?.(m);
      return;
    }
    this.onMessage(m);
  }
}
