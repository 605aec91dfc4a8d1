/**
 * The Debug Adapter Protocol over the stepping runtime, so every DAP client steps through
 * backprop the same way: VS Code runs it inline, `backprop dap` serves it on stdio. Built on
 * @vscode/debugadapter's DebugSession (its protocol handling has no file or socket code; the
 * stdio runner lives in src/cli). Every request is answered — malformed ones with an error
 * response in a sentence, never a crash.
 */
import {
  DebugSession,
  Event,
  InitializedEvent,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXCEPTION_FILTERS } from './breakpoints';
import { evaluate, formatValue } from './expr/evaluate';
import { DebugHost, checkLaunchArguments } from './host';
import { eventLines, LineSpan, passLines, runLines, stepLines } from './lines';
import { PHASE, positionLabel } from './positions';
import { BreakpointResult, Runtime, StopInfo } from './runtime';
import { VariableTree } from './variables';
import { inlineValues } from './inline';

const THREAD = 1;
/** Stack frame ids, innermost first: the event, its pass, its step, the run. */
const FRAMES = ['event', 'pass', 'step', 'run'] as const;

export class BackpropDebugSession extends DebugSession {
  private readonly runtime: Runtime;
  private readonly tree: VariableTree;
  private configured: () => void = () => undefined;
  private readonly configurationDone = new Promise<void>((resolve) => {
    this.configured = resolve;
  });
  private clientSupportsInvalidated = false;

  constructor(host: DebugHost) {
    super();
    // Lines are 0-based inside (as the model's ranges), converted to the client's convention.
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.runtime = new Runtime(host, {
      stopped: (info) => this.onStopped(info),
      output: (text, category) => this.sendEvent(new OutputEvent(text, category)),
      terminated: () => this.sendEvent(new TerminatedEvent()),
      reloaded: (changed) => this.onReloaded(changed),
    });
    this.tree = new VariableTree(this.runtime);
  }

  /**
   * DAP says an absent `pathFormat` means 'path', but the base class refuses anything but an
   * explicit 'path': fill in the default so clients that omit it (some non-VS Code ones) connect.
   */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    if (request.command === 'initialize') {
      const args = (request.arguments ?? {}) as DebugProtocol.InitializeRequestArguments;
      request.arguments = { ...args, pathFormat: args.pathFormat ?? 'path' };
    }
    super.dispatchRequest(request);
  }

  /** Runs a handler; whatever it throws becomes an error response with its message. */
  private answer<R extends DebugProtocol.Response>(response: R, f: () => void | Promise<void>, showUser = false): void {
    const fail = (e: unknown) =>
      this.sendErrorResponse(response, {
        id: 1001,
        format: (e instanceof Error ? e.message : String(e)).replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')),
        showUser,
      });
    try {
      const r = f();
      if (r) r.catch(fail);
    } catch (e) {
      fail(e);
    }
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.clientSupportsInvalidated = args.supportsInvalidatedEvent === true;
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsRestartRequest: true,
      supportsRestartFrame: true,
      supportsGotoTargetsRequest: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      supportsClipboardContext: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({
        filter: f.filter,
        label: f.label,
        description: f.description,
        default: f.default,
      })),
    };
    this.sendResponse(response);
  }

  protected override launchRequest(
    response: DebugProtocol.LaunchResponse,
    raw: DebugProtocol.LaunchRequestArguments,
  ): void {
    this.answer(
      response,
      async () => {
        const args = checkLaunchArguments(raw);
        await this.runtime.launch(args);
        // Now that the file's layers are known, breakpoints can be placed on them.
        this.sendEvent(new InitializedEvent());
        await this.configurationDone;
        this.sendResponse(response);
        if (args.noDebug) {
          const s = this.runtime.run.source;
          this.sendEvent(
            new OutputEvent(
              `${this.runtime.program}: ${s.stepCount} step${s.stepCount === 1 ? '' : 's'}, loss ${this.runtime.format(s.loss(s.stepCount))}\n`,
              'console',
            ),
          );
          this.sendEvent(new TerminatedEvent());
          return;
        }
        this.runtime.start();
      },
      true,
    );
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    this.answer(response, () => {
      // Checked as data: a client may send anything, and a bad request gets an error response.
      const given: unknown = args?.breakpoints ?? args?.lines?.map((line) => ({ line })) ?? [];
      if (!Array.isArray(given)) throw new Error('setBreakpoints: "breakpoints" must be a list');
      const specs = given as readonly (Partial<DebugProtocol.SourceBreakpoint> | undefined)[];
      const path = args?.source?.path;
      if (!this.runtime.isLaunched || path !== this.runtime.program) {
        response.body = {
          breakpoints: specs.map(() => ({
            verified: false,
            message:
              path === this.runtime.program
                ? 'The model file is not loaded yet'
                : 'Only the model file being debugged has breakpoints',
          })),
        };
      } else {
        const results = this.runtime.setLineBreakpoints(
          specs.map((b) => {
            if (typeof b?.line !== 'number') throw new Error('setBreakpoints: every breakpoint needs a line number');
            return {
              line: this.convertClientLineToDebugger(b.line),
              condition: stringOr(b.condition),
              hitCondition: stringOr(b.hitCondition),
              logMessage: stringOr(b.logMessage),
            };
          }),
        );
        response.body = { breakpoints: results.map((r) => this.toBreakpoint(r)) };
      }
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    this.answer(response, () => {
      if (!Array.isArray(args?.breakpoints)) throw new Error('setFunctionBreakpoints: "breakpoints" must be a list');
      const results = this.runtime.setFunctionBreakpoints(
        args.breakpoints.map((b) => ({
          name: String(b?.name ?? ''),
          condition: stringOr(b?.condition),
          hitCondition: stringOr(b?.hitCondition),
        })),
      );
      response.body = { breakpoints: results.map((r) => this.toBreakpoint(r)) };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.answer(response, () => {
      const filters = [
        ...(Array.isArray(args?.filters) ? args.filters : []),
        ...(args?.filterOptions ?? []).map((o) => o.filterId),
      ];
      const known = EXCEPTION_FILTERS.map((f) => f.filter) as readonly string[];
      const unknown = filters.filter((f) => !known.includes(f));
      if (unknown.length)
        throw new Error(
          `unknown exception filter ${unknown.map((f) => JSON.stringify(f)).join(', ')}: the filters are ${known.join(', ')}`,
        );
      this.runtime.setExceptionFilters(filters);
      response.body = { breakpoints: filters.map(() => ({ verified: true })) };
      this.sendResponse(response);
    });
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD, 'training')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): void {
    this.answer(response, () => {
      const run = this.runtime.run,
        p = this.runtime.current;
      const source = { name: baseName(this.runtime.program), path: this.runtime.program };
      // No endLine: VS Code would select the whole range (typing would replace the layer); the
      // extension highlights the layer's lines itself (see backprop/position).
      const frame = (id: number, name: string, at: LineSpan): DebugProtocol.StackFrame => ({
        id,
        name,
        source,
        line: this.convertDebuggerLineToClient(at.first),
        column: this.convertDebuggerColumnToClient(0),
      });
      const frames = [
        frame(1, `${positionLabel(p)} · step ${p.step}`, eventLines(run.model, p)),
        frame(2, PHASE[p.kind], passLines(run.model, p)),
        frame(3, `step ${p.step}`, stepLines(run.model)),
        frame(4, 'train', runLines(run.model)),
      ];
      const start = Math.max(0, args?.startFrame ?? 0),
        count = args?.levels ? args.levels : frames.length;
      response.body = { stackFrames: frames.slice(start, start + count), totalFrames: frames.length };
      this.sendResponse(response);
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    this.answer(response, () => {
      response.body = { scopes: this.tree.scopes() };
      this.sendResponse(response);
    });
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    this.answer(response, () => {
      if (typeof args?.variablesReference !== 'number')
        throw new Error('variables: "variablesReference" must be a number');
      response.body = { variables: this.tree.variables(args.variablesReference, args) };
      this.sendResponse(response);
    });
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    this.answer(response, () => {
      if (typeof args?.expression !== 'string') throw new Error('evaluate: "expression" must be text');
      const full = /,\s*f\s*$/.exec(args.expression);
      const text = full ? args.expression.slice(0, full.index) : args.expression;
      const p = this.runtime.current;
      const value = evaluate(text, {
        snapshot: this.runtime.snapshot(),
        layer: p.kind === 'loss' ? undefined : p.layer,
      });
      const num = (x: number) => this.runtime.format(x, !!full);
      if (typeof value === 'number' || full || args.context === 'clipboard') {
        let result = formatValue(value, num);
        if (args.context === 'hover' && typeof value === 'number') result += this.parameterStory(text.trim());
        response.body = {
          result,
          type: typeof value === 'number' ? 'number' : `${value.rows}×${value.cols}`,
          variablesReference: 0,
        };
      } else {
        const v = this.tree.variable(text.trim(), value, text.trim());
        response.body = {
          result: formatValue(value, num),
          type: v.type,
          variablesReference: v.variablesReference,
          indexedVariables: v.indexedVariables,
        };
      }
      this.sendResponse(response);
    });
  }

  /** For a hovered weight or bias, W2[1][2]: its gradient and its updated value, once computed. */
  private parameterStory(expression: string): string {
    const m = /^(W|b)(\d+)((?:\[\d+\])+)$/.exec(expression);
    if (!m) return '';
    const scope = { snapshot: this.runtime.snapshot() };
    const part = (label: string, expr: string) => {
      try {
        const v = evaluate(expr, scope);
        return typeof v === 'number' ? `   ${label} = ${this.runtime.format(v)}` : '';
      } catch {
        return '';
      }
    };
    return part('∂L/∂w', `d${m[1]}${m[2]}${m[3]}`) + part(`${m[1] === 'W' ? 'w' : 'b'}′`, `${m[1]}${m[2]}_next${m[3]}`);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.answer(response, () => {
      const e = this.runtime.stopInfo?.exception;
      if (!e) throw new Error('exceptionInfo: the debugger did not stop on an exception');
      response.body = {
        exceptionId: e.id,
        description: e.message,
        breakMode: 'always',
        details: { message: e.message, typeName: e.filter },
      };
      this.sendResponse(response);
    });
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.move(response, () => this.runtime.continue(), { allThreadsContinued: true });
  }
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.move(response, () => this.runtime.reverseContinue());
  }
  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.move(response, () => this.runtime.next());
  }
  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.move(response, () => this.runtime.stepIn());
  }
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.move(response, () => this.runtime.stepOut());
  }
  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.move(response, () => this.runtime.stepBack());
  }
  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.move(response, () => this.runtime.pause());
  }

  protected override restartFrameRequest(
    response: DebugProtocol.RestartFrameResponse,
    args: DebugProtocol.RestartFrameArguments,
  ): void {
    const frame = FRAMES[(args?.frameId ?? 0) - 1];
    if (!frame)
      this.answer(response, () => {
        throw new Error(
          `restartFrame: there is no frame ${JSON.stringify(args?.frameId)} (frames are 1 to ${FRAMES.length})`,
        );
      });
    else this.move(response, () => this.runtime.restartFrame(frame));
  }

  protected override gotoTargetsRequest(
    response: DebugProtocol.GotoTargetsResponse,
    args: DebugProtocol.GotoTargetsArguments,
  ): void {
    this.answer(response, () => {
      if (typeof args?.line !== 'number') throw new Error('gotoTargets: "line" must be a number');
      const targets =
        args.source?.path === this.runtime.program
          ? this.runtime.gotoTargets(this.convertClientLineToDebugger(args.line))
          : [];
      response.body = {
        targets: targets.map((t) => ({
          id: t.index + 1,
          label: t.label,
          line: this.convertDebuggerLineToClient(t.at.first),
          endLine: this.convertDebuggerLineToClient(t.at.last),
        })),
      };
      this.sendResponse(response);
    });
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    const index = (args?.targetId ?? 0) - 1;
    if (!this.runtime.isLaunched || !Number.isInteger(index) || index < 0 || index >= this.runtime.run.space.length) {
      this.answer(response, () => {
        throw new Error(
          `goto: there is no target ${JSON.stringify(args?.targetId)} (ask gotoTargets for a line's targets)`,
        );
      });
    } else {
      this.move(response, () => this.runtime.goto(index));
    }
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    this.answer(
      response,
      async () => {
        await this.runtime.restart();
        this.sendResponse(response);
      },
      true,
    );
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.runtime.dispose();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.runtime.dispose();
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response): void {
    this.answer(response, () => {
      if (command === 'backprop/inlineValues') {
        response.body = {
          values: inlineValues(this.runtime).map((v) => ({ ...v, line: this.convertDebuggerLineToClient(v.line) })),
        };
      } else if (command === 'backprop/position') {
        const p = this.runtime.current,
          at = eventLines(this.runtime.run.model, p);
        response.body = {
          step: p.step,
          kind: p.kind,
          layer: p.layer,
          part: p.part,
          label: positionLabel(p),
          line: this.convertDebuggerLineToClient(at.first),
          endLine: this.convertDebuggerLineToClient(at.last),
        };
      } else {
        throw new Error(`unknown request ${JSON.stringify(command)}`);
      }
      this.sendResponse(response);
    });
  }

  /** A stepping request: respond, then the runtime reports the stop. */
  private move(response: DebugProtocol.Response, f: () => void, body?: object): void {
    this.answer(response, () => {
      if (!this.runtime.isLaunched) throw new Error(`${response.command}: no model file is being debugged yet`);
      if (body) response.body = body;
      this.sendResponse(response);
      f();
    });
  }

  private onStopped(info: StopInfo): void {
    this.tree.reset();
    const e: DebugProtocol.StoppedEvent = new StoppedEvent(info.reason, THREAD, info.exception?.message);
    if (info.description) e.body.description = info.description;
    if (info.hitBreakpointIds) e.body.hitBreakpointIds = [...info.hitBreakpointIds];
    e.body.allThreadsStopped = true;
    this.sendEvent(e);
  }

  private onReloaded(changed: readonly BreakpointResult[]): void {
    for (const r of changed)
      this.sendEvent(new Event('breakpoint', { reason: 'changed', breakpoint: this.toBreakpoint(r) }));
    this.tree.reset();
    if (this.clientSupportsInvalidated) this.sendEvent(new Event('invalidated', { areas: ['all'], threadId: THREAD }));
    else this.onStopped({ reason: 'goto', description: 'The model file changed' });
  }

  private toBreakpoint(r: BreakpointResult): DebugProtocol.Breakpoint {
    const b: DebugProtocol.Breakpoint = { id: r.id, verified: r.verified };
    if (r.message) b.message = r.message;
    if (r.at) {
      b.line = this.convertDebuggerLineToClient(r.at.first);
      b.endLine = this.convertDebuggerLineToClient(r.at.last);
      b.source = { name: baseName(this.runtime.program), path: this.runtime.program };
    }
    return b;
  }
}

function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function baseName(p: string): string {
  return (
    p
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? p
  );
}
