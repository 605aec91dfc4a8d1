/**
 * The transport between the extension host and an analysis worker, whatever started the worker:
 * a Node worker thread on the desktop, a Web Worker from a Blob URL in the browser. What travels
 * over it is workerProtocol.ts's business; this file only moves messages. No `vscode` here: the
 * workers import it too.
 */

/** The host's end of one worker. */
export interface WorkerPort<In, Out> {
  /** What runs the worker, for the log: "a worker thread", "a Web Worker (blob:…)". */
  readonly description: string;
  post(message: In): void;
  onMessage(listener: (message: Out) => void): void;
  /** The worker failed, or ended without being terminated. */
  onError(listener: (error: Error) => void): void;
  /** Stops the worker at once (cancel); no message arrives after it. */
  terminate(): void;
}

/** The worker's own end: its host's messages in, its answers out. */
export interface WorkerEndpoint<In, Out> {
  /** `transfer`: buffers moved to the host rather than copied (the sender must not use them again). */
  post(message: Out, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (message: In) => void): void;
}
