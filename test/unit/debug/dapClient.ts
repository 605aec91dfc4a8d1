/**
 * A DebugClient (@vscode/debugadapter-testsupport) talking to the real stdio adapter,
 * `node dist/cli.js dap`, as nvim-dap or any other client would.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = resolve(__dirname, '../../../..');
export const CLI = resolve(ROOT, 'dist', 'cli.js');
export const example = (name: string) => resolve(ROOT, 'examples', name);

export class DapClient extends DebugClient {
  private child: ChildProcess | undefined;
  stderr = '';

  constructor() {
    super(process.execPath, CLI, 'backprop');
    this.defaultTimeout = 10_000;
  }

  /** Spawns `node dist/cli.js dap` (DebugClient itself passes no arguments to the adapter). */
  override start(): Promise<void> {
    const child = spawn(process.execPath, [CLI, 'dap'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.connect(child.stdout, child.stdin);
    return Promise.resolve();
  }

  override async stop(): Promise<void> {
    await Promise.race([this.disconnectRequest().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    this.child?.kill();
    this.child = undefined;
  }

  get exited(): boolean {
    return !this.child || this.child.exitCode !== null;
  }

  /** initialize → launch → (initialized) → breakpoints → configurationDone, as VS Code does. */
  async launchWith(
    args: Record<string, unknown>,
    configure: () => Promise<unknown> = () => Promise.resolve(),
  ): Promise<void> {
    await this.initializeRequest();
    const initialized = this.waitForEvent('initialized');
    const launched = this.launchRequest(args);
    // A launch that fails never sends initialized: report its error, not a timeout.
    await Promise.race([initialized, launched.then(() => undefined)]);
    await configure();
    await this.configurationDoneRequest();
    await launched;
  }

  /** Waits for the next stop; resolves with its event and the top frame. */
  async stopped(): Promise<{
    event: DebugProtocol.StoppedEvent;
    top: DebugProtocol.StackFrame;
    frames: DebugProtocol.StackFrame[];
  }> {
    const event = (await this.waitForEvent('stopped')) as DebugProtocol.StoppedEvent;
    const trace = await this.stackTraceRequest({ threadId: 1 });
    return { event, top: trace.body.stackFrames[0], frames: trace.body.stackFrames };
  }

  /** Sends a stepping request and resolves with the frame it stopped at. */
  async step(
    request: () => Promise<unknown>,
  ): Promise<{ event: DebugProtocol.StoppedEvent; top: DebugProtocol.StackFrame; frames: DebugProtocol.StackFrame[] }> {
    const stop = this.stopped();
    await request();
    return stop;
  }

  /** The next output event whose text matches. */
  output(pattern: RegExp): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('output', on);
        reject(new Error(`no output matching ${pattern} within ${this.defaultTimeout} ms`));
      }, this.defaultTimeout);
      const on = (e: DebugProtocol.OutputEvent) => {
        if (!pattern.test(e.body.output)) return;
        clearTimeout(timer);
        this.off('output', on);
        resolve(e.body.output);
      };
      this.on('output', on);
    });
  }

  async value(expression: string, context = 'watch'): Promise<string> {
    return (await this.evaluateRequest({ expression, context, frameId: 1 })).body.result;
  }

  /** The variables of a scope by name ("Layer 2"), as name → value. */
  async scope(name: string): Promise<Map<string, DebugProtocol.Variable>> {
    const scopes = await this.scopesRequest({ frameId: 1 });
    const s = scopes.body.scopes.find((x) => x.name === name);
    if (!s) throw new Error(`no scope ${name}: ${scopes.body.scopes.map((x) => x.name).join(', ')}`);
    const vars = await this.variablesRequest({ variablesReference: s.variablesReference });
    return new Map(vars.body.variables.map((v) => [v.name, v]));
  }
}

/** 1-based line of the first line of `file` whose data (not a comment) matches `needle`. */
export function lineOf(file: string, needle: RegExp): number {
  const i = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .findIndex((l) => needle.test(l.replace(/#.*$/, '')));
  if (i < 0) throw new Error(`${needle} not found in ${file}`);
  return i + 1;
}
