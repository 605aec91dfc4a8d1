// The debugger in a real extension host: vscode.debug.startDebugging with a DebugAdapterTracker
// recording the protocol, F5 on a model file with no launch.json, Debug Model File, inline
// values, and the shared stepping session following the debugger both ways. Numbers are the
// notes' problem 1: δ¹ = (−1, 33, −60), W²′ row 2 = (2, −0.44, 3.07).
import { strict as assert } from 'node:assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import { deps } from './editorHelpers';
import { closeAllEditors, extension, fixtureUri, modelFilesIn, openFixture, programOf, waitFor } from './helpers';

/** Every message between VS Code and backprop debug sessions, as the tracker saw them. */
class Recorder {
  readonly messages: {
    readonly session: string;
    readonly dir: 'in' | 'out';
    readonly m: DebugProtocol.ProtocolMessage;
  }[] = [];
  stops(session: vscode.DebugSession): DebugProtocol.StoppedEvent[] {
    return this.messages
      .filter(
        (x) =>
          x.session === session.id &&
          x.dir === 'out' &&
          x.m.type === 'event' &&
          (x.m as DebugProtocol.Event).event === 'stopped',
      )
      .map((x) => x.m as DebugProtocol.StoppedEvent);
  }
  requests(session: vscode.DebugSession): string[] {
    return this.messages
      .filter((x) => x.session === session.id && x.dir === 'in' && x.m.type === 'request')
      .map((x) => (x.m as DebugProtocol.Request).command);
  }
}

/** problem1.bp.yaml as launch configurations name it (a path, or in the browser a URI). */
const program = () => programOf(fixtureUri('workspace/problem1.bp.yaml'));

async function topFrame(session: vscode.DebugSession): Promise<DebugProtocol.StackFrame> {
  const r = (await session.customRequest('stackTrace', { threadId: 1 })) as DebugProtocol.StackTraceResponse['body'];
  return r.stackFrames[0];
}

async function evaluate(session: vscode.DebugSession, expression: string): Promise<string> {
  return (
    (await session.customRequest('evaluate', {
      expression,
      frameId: 1,
      context: 'watch',
    })) as DebugProtocol.EvaluateResponse['body']
  ).result;
}

function started(): Promise<vscode.DebugSession> {
  return new Promise((resolve) => {
    const sub = vscode.debug.onDidStartDebugSession((s) => {
      if (s.type === 'backprop') {
        sub.dispose();
        resolve(s);
      }
    });
  });
}

async function stop(session: vscode.DebugSession): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    const sub = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.id === session.id) {
        sub.dispose();
        resolve();
      }
    });
  });
  await vscode.debug.stopDebugging(session);
  await ended;
}

describe('debugger in the extension host', () => {
  const recorder = new Recorder();
  let tracker: vscode.Disposable;
  before(() => {
    tracker = vscode.debug.registerDebugAdapterTrackerFactory('backprop', {
      createDebugAdapterTracker: (session) => ({
        onWillReceiveMessage: (m: DebugProtocol.ProtocolMessage) =>
          recorder.messages.push({ session: session.id, dir: 'in', m }),
        onDidSendMessage: (m: DebugProtocol.ProtocolMessage) =>
          recorder.messages.push({ session: session.id, dir: 'out', m }),
      }),
    });
  });
  after(async () => {
    tracker.dispose();
    await closeAllEditors();
  });

  it("startDebugging stops on entry; stepping moves the shared session (panel, hovers), and the panel's steps move the debugger", async () => {
    const editor = await openFixture('workspace/problem1.bp.yaml');
    const uri = editor.document.uri;
    const ok = await vscode.debug.startDebugging(undefined, {
      type: 'backprop',
      request: 'launch',
      name: 'problem 1',
      program: program(),
    });
    assert.equal(ok, true);
    const session = await waitFor(() => vscode.debug.activeDebugSession, { message: 'the debug session' });
    await waitFor(() => recorder.stops(session).length === 1, { message: 'the entry stop' });
    assert.equal(recorder.stops(session)[0].body.reason, 'entry');
    assert.deepEqual(recorder.requests(session).slice(0, 2), ['initialize', 'launch']);
    assert.ok(recorder.requests(session).includes('configurationDone'));
    const top = await topFrame(session);
    assert.equal(top.name, 'forward · layer 1 · step 1');
    assert.equal(top.line, 15);

    const shared = (await deps()).sessions;
    await waitFor(() => shared.get(uri)?.current?.kind === 'forward', { message: 'the shared session at forward 1' });
    await session.customRequest('next', { threadId: 1 });
    await waitFor(() => recorder.stops(session).length === 2, { message: 'the stop after next' });
    await waitFor(() => shared.get(uri)?.current?.layer === 2, {
      message: 'the shared session following the debugger to forward 2',
    });

    // The panel's Step Forward moves the shared session: the debugger follows (a goto stop).
    await vscode.commands.executeCommand('backprop.stepForward', uri);
    await waitFor(() => recorder.stops(session).some((s) => s.body.reason === 'goto'), {
      message: 'the debugger following the panel',
    });
    assert.equal((await topFrame(session)).name, 'loss · step 1');
    assert.equal(await evaluate(session, 'loss'), '109');

    // The loss is a pass of its own: step out runs to the end of the backward pass.
    await session.customRequest('stepOut', { threadId: 1 });
    await waitFor(async () => (await topFrame(session)).name === 'backward · layer 1 · step 1', {
      message: 'backward · layer 1',
    });
    assert.equal(await evaluate(session, 'delta1'), '[-1, 33, -60]');
    await stop(session);
  });

  it('F5 on a model file with no launch.json debugs it, stopping on entry', async () => {
    await openFixture('workspace/problem1.bp.yaml');
    const next = started();
    await vscode.commands.executeCommand('workbench.action.debug.start');
    const session = await next;
    assert.equal(session.configuration.program, program());
    await waitFor(() => recorder.stops(session).length === 1, { message: 'the entry stop' });
    assert.equal((await topFrame(session)).name, 'forward · layer 1 · step 1');
    await stop(session);
  });

  it('Debug Model File, exception filters from stopOn, inline values', async () => {
    const editor = await openFixture('workspace/problem1.bp.yaml');
    const next = started();
    assert.equal(await vscode.commands.executeCommand('backprop.debugModelFile', editor.document.uri), true);
    let session = await next;
    await waitFor(() => recorder.stops(session).length === 1, { message: 'the entry stop' });
    const values = await vscode.commands.executeCommand<vscode.InlineValue[]>(
      'vscode.executeInlineValueProvider',
      editor.document.uri,
      new vscode.Range(0, 0, editor.document.lineCount - 1, 0),
      { frameId: 1, stoppedLocation: new vscode.Range(14, 0, 14, 0) },
    );
    const texts = values.map((v) => (v as vscode.InlineValueText).text);
    assert.deepEqual(texts, ['z¹ = [0, 8, 1]   a¹ = [0, 8, 1]']);
    await stop(session);

    const again = started();
    await vscode.debug.startDebugging(undefined, {
      type: 'backprop',
      request: 'launch',
      name: 'slips',
      program: program(),
      stopOnEntry: false,
      stopOn: ['wrongExpect'],
    });
    session = await again;
    await waitFor(() => recorder.stops(session).length === 1, { message: 'the exception stop' });
    const s = recorder.stops(session)[0];
    assert.equal(s.body.reason, 'exception');
    assert.match(s.body.text ?? '', /b¹' has 3 entries, you wrote 2/);
    await session.customRequest('continue', { threadId: 1 });
    await waitFor(() => recorder.stops(session).length === 2, { message: 'the second slip' });
    assert.equal(await evaluate(session, 'W2_next[2]'), '[2, -0.44, 3.07]');
    await stop(session);
  });

  it('F5 on each example stops on entry at its first layer', async () => {
    const dir = vscode.Uri.joinPath(extension().extensionUri, 'examples');
    const files = await modelFilesIn(dir);
    assert.ok(files.length >= 5);
    for (const name of files) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(dir, name));
      await vscode.window.showTextDocument(doc, { preview: false });
      const next = started();
      await vscode.commands.executeCommand('workbench.action.debug.start');
      const session = await next;
      await waitFor(() => recorder.stops(session).length === 1, { message: `the entry stop of ${name}` });
      const top = await topFrame(session);
      assert.equal(top.name, 'forward · layer 1 · step 1', name);
      assert.match(doc.lineAt(top.line - 1).text, name.endsWith('.json') ? /^\s*\{/ : /^\s*- /, name);
      await stop(session);
    }
  });
});
