/**
 * What the debugger needs from whoever runs it, injected so that src/debug needs neither
 * `vscode` nor Node: the CLI's `backprop dap` reads the file from disk and analyses it; the
 * extension hands over the open document's analysis from its store (big runs go to a worker)
 * and keeps the panel and hovers on the debugger's event.
 */
import { Analysis } from '../analysis/analyze';
import { NumberStyle } from '../engine/numberFormat';
import { Trace, TraceEvent } from '../engine/trace';
import { EXCEPTION_FILTERS, ExceptionFilter } from './breakpoints';
import { DEFAULT_LIMITS } from '../model/types';

export interface DebugHost {
  /**
   * The analysis of `program` (a path or URI as the client gave it), run for `steps` steps
   * (undefined: the file's own). Rejects with an Error whose message is meant for the user.
   */
  load(program: string, steps: number | undefined): Promise<Analysis>;
  /** How shown values are written (the `backprop.precision` and `backprop.numberFormat` settings); 6 digits, auto when absent. */
  numbers?(): { readonly digits: number; readonly style: NumberStyle };
  /** Told where the debugger stopped, in which trace (the extension moves the shared session there). */
  stopped?(program: string, trace: Trace, event: TraceEvent): void;
  /**
   * Reports edits of the program (`changed`) and moves made by other views (`moved`, in the
   * trace they show), so the debugger follows them while it is stopped.
   */
  watch?(program: string, on: HostEvents): { dispose(): void };
}

export interface HostEvents {
  changed(): void;
  moved(trace: Trace, event: TraceEvent): void;
}

export interface LaunchArguments {
  /** The model file. */
  readonly program: string;
  /** Stop at the first event (default true). */
  readonly stopOnEntry: boolean;
  /** Training steps to run, overriding the file's `steps`. */
  readonly steps?: number;
  /** Exception filters on from the start, in addition to those the client sets. */
  readonly stopOn: readonly ExceptionFilter[];
  readonly noDebug: boolean;
}

/** Launch arguments checked, each problem in a sentence naming the attribute. */
export function checkLaunchArguments(raw: unknown, maxSteps = DEFAULT_LIMITS.maxSteps): LaunchArguments {
  const a = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof a.program !== 'string' || a.program.trim() === '') {
    throw new Error(
      'launch: "program" must name the model file to debug (e.g. "${file}" or "examples/problem1.bp.yaml")',
    );
  }
  if (a.stopOnEntry !== undefined && typeof a.stopOnEntry !== 'boolean')
    throw new Error(`launch: "stopOnEntry" must be true or false, got ${JSON.stringify(a.stopOnEntry)}`);
  if (
    a.steps !== undefined &&
    (typeof a.steps !== 'number' || !Number.isInteger(a.steps) || a.steps < 1 || a.steps > maxSteps)
  ) {
    throw new Error(`launch: "steps" must be a whole number from 1 to ${maxSteps}, got ${JSON.stringify(a.steps)}`);
  }
  const known = EXCEPTION_FILTERS.map((f) => f.filter) as readonly string[];
  const stopOn = a.stopOn === undefined ? [] : a.stopOn;
  if (!Array.isArray(stopOn) || stopOn.some((s) => typeof s !== 'string' || !known.includes(s))) {
    throw new Error(
      `launch: "stopOn" must be a list of ${known.map((k) => `"${k}"`).join(', ')}, got ${JSON.stringify(a.stopOn)}`,
    );
  }
  return {
    program: a.program,
    stopOnEntry: a.stopOnEntry !== false,
    steps: a.steps,
    stopOn: stopOn as ExceptionFilter[],
    noDebug: a.noDebug === true,
  };
}

/** The analysis' problems as one message, when there is no trace to step through. */
export function noTraceMessage(program: string, analysis: Analysis): string {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  const shown = errors
    .slice(0, 5)
    .map((d) => `  ${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`);
  const more = errors.length > shown.length ? `\n  … and ${errors.length - shown.length} more` : '';
  return `${program} cannot be run:\n${shown.join('\n')}${more}`;
}
