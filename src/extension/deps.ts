import * as vscode from 'vscode';
import { AnalysisStore } from './store';
import { SessionRegistry } from './sessions';

/** What every feature module is given at activation: its dependencies, passed in, never global. */
export interface ExtensionDeps {
  readonly context: vscode.ExtensionContext;
  readonly store: AnalysisStore;
  readonly sessions: SessionRegistry;
  readonly log: vscode.LogOutputChannel;
}
