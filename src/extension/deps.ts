import * as vscode from 'vscode';
import { AnalysisRunner, AnalysisStore, RunOptions } from './store';
import { SessionRegistry } from './sessions';
import type { Platform } from './platform/platform';
import type { StepReplays } from './replays';

/** What every feature module is given at activation: its dependencies, passed in, never global. */
export interface ExtensionDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** What differs between the desktop and the browser: workers, the home folder. */
  readonly platform: Platform;
  /** Runs an analysis in process, or in a worker when it is big (the store's runner too). */
  readonly runner: AnalysisRunner;
  /** Per-run options from the settings (limits), for the store's runs and the commands' own. */
  readonly runOptions: () => RunOptions;
  readonly store: AnalysisStore;
  readonly sessions: SessionRegistry;
  /** Far steps of long runs, recomputed in a worker before a view reads them. */
  readonly replays: StepReplays;
}
