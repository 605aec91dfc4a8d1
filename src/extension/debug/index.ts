/**
 * The debugger in VS Code: the `backprop` debug type runs the adapter of src/debug inline (no
 * process, so also in the browser), F5 on an open model file works without a launch.json, the
 * editor title's Run menu has Debug Model File, inline values sit beside the layers while
 * stopped, and hovering a weight while stopped evaluates it.
 */
import * as vscode from 'vscode';
import { BackpropDebugSession } from '../../debug/adapter';
import { ExtensionDeps } from '../deps';
import { isModelDocument, MODEL_SELECTOR, resolveModelDocument } from '../modelFiles';
import { settledAnalysis } from '../editor/view';
import { layerConvention, weightCell } from '../../model/layout';
import { targetAt } from '../../model/places';
import { toRange } from '../editor/convert';
import { extensionHost, programOf, programUri } from './host';
import { registerLayerHighlight } from './highlight';

export const DEBUG_TYPE = 'backprop';

/** The configuration F5 uses on a model file without a launch.json, and Debug Model File. */
export function launchConfiguration(doc: vscode.TextDocument): vscode.DebugConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug ${doc.uri.path.split('/').pop()}`,
    program: programOf(doc.uri),
    stopOnEntry: true,
  };
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: DEBUG_TYPE, request: 'launch', name: 'Debug model file', program: '${file}', stopOnEntry: true }];
  }

  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    // F5 with no launch.json: an empty configuration; debug the model file in the editor.
    if (!config.type && !config.request && !config.name) {
      const doc = vscode.window.activeTextEditor?.document;
      if (!isModelDocument(doc)) {
        void vscode.window.showInformationMessage(
          'Backprop: open a model file (*.bp.yaml, *.bp.yml or *.bp.json) to debug it.',
        );
        return undefined;
      }
      return launchConfiguration(doc);
    }
    if (typeof config.program !== 'string' || !config.program) {
      void vscode.window.showErrorMessage(
        'Backprop: the launch configuration needs "program": the model file to debug (e.g. "${file}").',
      );
      return undefined;
    }
    return config;
  }
}

class InlineValues implements vscode.InlineValuesProvider {
  async provideInlineValues(doc: vscode.TextDocument, viewport: vscode.Range): Promise<vscode.InlineValue[]> {
    const session = vscode.debug.activeDebugSession;
    if (session?.type !== DEBUG_TYPE || typeof session.configuration.program !== 'string') return [];
    if (programUri(session.configuration.program).toString() !== doc.uri.toString()) return [];
    const r = (await session.customRequest('backprop/inlineValues')) as { values?: { line: number; text: string }[] };
    return (r.values ?? [])
      .map((v) => ({ ...v, line: v.line - 1 }))
      .filter((v) => v.line >= viewport.start.line && v.line <= viewport.end.line && v.line < doc.lineCount)
      .map((v) => new vscode.InlineValueText(doc.lineAt(v.line).range, v.text));
  }
}

/** While debugging, hovering a weight evaluates it at the stopped event: W2[1][2], b1[3], W2. */
class Evaluatable implements vscode.EvaluatableExpressionProvider {
  constructor(private readonly deps: ExtensionDeps) {}

  async provideEvaluatableExpression(
    doc: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.EvaluatableExpression | undefined> {
    const a = await settledAnalysis(this.deps, doc, token);
    if (!a) return undefined;
    const t = targetAt(a.model, doc.offsetAt(position));
    if (!t) return undefined;
    switch (t.kind) {
      case 'weight': {
        const [r, c] = weightCell(layerConvention(a.model, t.layer), t.i, t.j);
        return new vscode.EvaluatableExpression(toRange(t.range), `W${t.layer}[${r + 1}][${c + 1}]`);
      }
      case 'bias':
        return new vscode.EvaluatableExpression(toRange(t.range), `b${t.layer}[${t.i + 1}]`);
      case 'matrix':
        return new vscode.EvaluatableExpression(toRange(t.range), `${t.param}${t.layer}`);
      case 'loss':
        return new vscode.EvaluatableExpression(toRange(t.range), 'loss');
      default:
        return undefined;
    }
  }
}

export function registerDebugger(deps: ExtensionDeps): vscode.Disposable {
  const host = extensionHost(deps);
  return vscode.Disposable.from(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      {
        provideDebugConfigurations: () => {
          const doc = vscode.window.activeTextEditor?.document;
          return isModelDocument(doc) ? [launchConfiguration(doc)] : [];
        },
      },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new BackpropDebugSession(host)),
    }),
    registerLayerHighlight(DEBUG_TYPE),
    vscode.languages.registerInlineValuesProvider(MODEL_SELECTOR, new InlineValues()),
    vscode.languages.registerEvaluatableExpressionProvider(MODEL_SELECTOR, new Evaluatable(deps)),
    vscode.commands.registerCommand('backprop.debugModelFile', async (arg?: unknown) => {
      const doc = await resolveModelDocument(arg);
      if (!doc) {
        void vscode.window.showWarningMessage('Backprop: open a model file (*.bp.yaml, *.bp.yml or *.bp.json) first.');
        return false;
      }
      return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(doc.uri), launchConfiguration(doc));
    }),
  );
}
