// The debugger as any DAP client meets it: `backprop dap` on stdio, driven by DebugClient.
// Numbers are the lecture notes' problem 1 (examples/problem1.bp.yaml), worked by hand:
// z² = (15, −4), L = 109, δ² = (13, −7), δ¹ = (−1, 33, −60), W²′ row 2 = (2, −0.44, 3.07);
// step 2's loss from the notes' updated weights: z¹ = (0.03, 7.01, 2.8), z² = (−0.1344, 6.6416),
// L = ½ (2.1344² + 3.6416²) = 8.90845696.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient, example, lineOf } from './dapClient';
import { parseModel } from '../../../src/model/parse';
import { fullRun } from '../engine/fullTrace';

const P1 = example('problem1.bp.yaml');
const LAYER1 = lineOf(P1, /^\s*- W: \[\[1, -2\]/);
const LAYER2 = lineOf(P1, /^\s*- W: \[\[1, 2, -3\]/);
const LOSS = lineOf(P1, /^loss:/);

const tmpDirs: string[] = [];
after(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});
function tmpModel(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-dap-'));
  tmpDirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const bp = (line: number, more: Partial<DebugProtocol.SourceBreakpoint> = {}) => ({ line, ...more });

describe('debug adapter: backprop dap with DebugClient', function () {
  this.timeout(20_000);
  let dc: DapClient;
  beforeEach(async () => {
    dc = new DapClient();
    await dc.start();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('answers initialize with its capabilities', async () => {
    const r = await dc.initializeRequest();
    const c = r.body!;
    for (const k of [
      'supportsStepBack',
      'supportsConditionalBreakpoints',
      'supportsHitConditionalBreakpoints',
      'supportsLogPoints',
      'supportsFunctionBreakpoints',
      'supportsEvaluateForHovers',
      'supportsConfigurationDoneRequest',
      'supportsRestartFrame',
      'supportsGotoTargetsRequest',
      'supportsExceptionInfoRequest',
      'supportsRestartRequest',
    ] as const) {
      assert.equal(c[k], true, k);
    }
    assert.deepEqual(
      c.exceptionBreakpointFilters?.map((f) => f.filter),
      ['nan', 'wrongExpect', 'health'],
    );
  });

  it('takes an initialize without pathFormat as paths (the DAP default), and refuses URIs', async () => {
    const r = await dc.send('initialize', { adapterID: 'backprop', linesStartAt1: true });
    assert.equal(r.success, true);
    const other = new DapClient();
    await other.start();
    try {
      await assert.rejects(
        other.send('initialize', { adapterID: 'backprop', pathFormat: 'uri' }),
        /only supports native paths/,
      );
    } finally {
      await other.stop();
    }
  });

  it('stops on entry at forward · layer 1, with the stack down to train and each frame on the file', async () => {
    const stop = dc.stopped();
    await dc.launchWith({ program: P1 });
    const { event, top, frames } = await stop;
    assert.equal(event.body.reason, 'entry');
    assert.deepEqual(
      frames.map((f) => f.name),
      ['forward · layer 1 · step 1', 'forward pass', 'step 1', 'train'],
    );
    assert.equal(top.source?.path, P1);
    assert.equal(top.line, LAYER1);
    const position = await dc.customRequest('backprop/position');
    assert.deepEqual(position.body, {
      step: 1,
      kind: 'forward',
      layer: 1,
      part: 1,
      label: 'forward · layer 1',
      line: LAYER1,
      endLine: LAYER2 - 1,
    });
    assert.equal(frames[2].line, lineOf(P1, /^steps:/));
    const threads = await dc.threadsRequest();
    assert.deepEqual(
      threads.body.threads.map((t) => t.name),
      ['training'],
    );
  });

  it('a breakpoint on any line of a layer is moved to its first line and stops at its forward, backward and update', async () => {
    let set: DebugProtocol.SetBreakpointsResponse | undefined;
    const first = dc.stopped();
    await dc.launchWith({ program: P1, stopOnEntry: false }, async () => {
      set = await dc.setBreakpointsRequest({
        source: { path: P1 },
        breakpoints: [bp(lineOf(P1, /delta: \[13, -7\]/)), bp(lineOf(P1, /^name:/))],
      });
    });
    const [layerBp, nameBp] = set!.body.breakpoints;
    assert.equal(layerBp.verified, true);
    assert.equal(layerBp.line, LAYER2);
    assert.equal(nameBp.verified, false);
    assert.match(nameBp.message ?? '', /a layer \(any of its lines\) or at the loss: line/);
    let s = await first;
    assert.equal(s.event.body.reason, 'breakpoint');
    assert.deepEqual(s.event.body.hitBreakpointIds, [layerBp.id]);
    assert.equal(s.top.name, 'forward · layer 2 · step 1');
    assert.equal(s.top.line, LAYER2);
    s = await dc.step(() => dc.continueRequest({ threadId: 1 }));
    assert.equal(s.top.name, 'backward · layer 2 · step 1');
    s = await dc.step(() => dc.continueRequest({ threadId: 1 }));
    assert.equal(s.top.name, 'update · layer 2 · step 1');
    // update · layer 2 is the last event: continuing ends the session.
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    await ended;
  });

  it('a breakpoint on loss: stops at the loss event, on the loss line; Variables and Watch show L = 109', async () => {
    const stop = dc.stopped();
    await dc.launchWith({ program: P1, stopOnEntry: false }, () =>
      dc.setBreakpointsRequest({ source: { path: P1 }, breakpoints: [bp(LOSS)] }),
    );
    const { top, frames } = await stop;
    assert.equal(top.name, 'loss · step 1');
    assert.equal(top.line, LOSS);
    assert.equal(frames[1].name, 'loss');
    const loss = await dc.scope('Loss');
    assert.equal(loss.get('L')?.value, '109');
    assert.equal(loss.get('L')?.evaluateName, 'loss');
    assert.equal(loss.get('∂L/∂a²')?.value, '[13, -7]');
    assert.equal(await dc.value('loss'), '109');
  });

  it('conditions, hit counts and logpoints', async () => {
    const out: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e.body.output));
    const stop = dc.stopped();
    let set: DebugProtocol.SetBreakpointsResponse | undefined;
    await dc.launchWith({ program: P1, stopOnEntry: false, steps: 60 }, async () => {
      set = await dc.setBreakpointsRequest({
        source: { path: P1 },
        breakpoints: [
          bp(LOSS, { condition: 'loss < 10' }),
          bp(LAYER2, { logMessage: 'step {step}: L = {loss}' }),
          bp(LAYER1, { condition: 'max(abs(', hitCondition: '3' }),
        ],
      });
    });
    assert.equal(set!.body.breakpoints[2].verified, false);
    assert.match(
      set!.body.breakpoints[2].message ?? '',
      /^condition: expected a number, a name or '\(' but found the end of the expression/,
    );
    let s = await stop;
    // Step 1's loss is 109; step 2's is 8.90845696 < 10.
    assert.equal(s.top.name, 'loss · step 2');
    assert.ok(Math.abs(Number(await dc.value('loss,f')) - 8.90845696) < 1e-9);
    // The logpoint printed at layer 2's events up to here without stopping; the loss is unknown at forward · layer 2.
    assert.ok(
      out.some((o) => o === 'step 1: L = 109\n'),
      out.join(''),
    );
    assert.ok(
      out.some((o) => /^step 1: L = <L is computed at loss; the debugger is at forward · layer 2 · step 1>\n$/.test(o)),
      out.join(''),
    );
    // Hit count: the 50th loss event is step 50.
    await dc.setBreakpointsRequest({ source: { path: P1 }, breakpoints: [bp(LOSS, { hitCondition: '50' })] });
    s = await dc.step(() => dc.continueRequest({ threadId: 1 }));
    assert.equal(s.top.name, 'loss · step 50');
    assert.equal(await dc.value('step'), '50');
  });

  it('a condition on the layer line uses its bare names: max(abs(delta)) > 10 first holds at backward · layer 2', async () => {
    const stop = dc.stopped();
    await dc.launchWith({ program: P1, stopOnEntry: false }, () =>
      dc.setBreakpointsRequest({
        source: { path: P1 },
        breakpoints: [
          bp(LAYER2, { condition: 'max(abs(delta)) > 10' }),
          bp(LAYER1, { condition: 'max(abs(delta)) > 100' }),
        ],
      }),
    );
    assert.equal((await stop).top.name, 'backward · layer 2 · step 1');
  });

  it('function breakpoints by event name', async () => {
    let set: DebugProtocol.SetFunctionBreakpointsResponse | undefined;
    const stop = dc.stopped();
    await dc.launchWith({ program: P1, stopOnEntry: false }, async () => {
      set = await dc.setFunctionBreakpointsRequest({
        breakpoints: [{ name: 'update 2' }, { name: 'backward' }, { name: 'sideways 1' }, { name: 'forward 7' }],
      });
    });
    assert.deepEqual(
      set!.body.breakpoints.map((b) => b.verified),
      [true, true, false, false],
    );
    assert.match(set!.body.breakpoints[3].message ?? '', /no layer 7: the network has layers 1 to 2/);
    let s = await stop;
    assert.equal(s.event.body.reason, 'function breakpoint');
    assert.equal(s.top.name, 'backward · layer 2 · step 1');
    s = await dc.step(() => dc.continueRequest({ threadId: 1 }));
    assert.equal(s.top.name, 'backward · layer 1 · step 1');
    s = await dc.step(() => dc.continueRequest({ threadId: 1 }));
    assert.equal(s.top.name, 'update · layer 2 · step 1');
  });

  it("the wrongExpect filter stops at each of the notes' slips, with exceptionInfo", async () => {
    const stop = dc.stopped();
    await dc.launchWith({ program: P1, stopOnEntry: false }, () =>
      dc.setExceptionBreakpointsRequest({ filters: ['wrongExpect'] }),
    );
    let s = await stop;
    assert.equal(s.event.body.reason, 'exception');
    assert.equal(s.top.name, 'update · layer 1 · step 1');
    assert.match(s.event.body.text ?? '', /b¹' has 3 entries, you wrote 2/);
    s = await dc.step(() => dc.continueRequest({ threadId: 1 }));
    assert.equal(s.top.name, 'update · layer 2 · step 1');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.match(info.body.description ?? '', /expected W²'\[2\]\[2\] = -0\.94, computed -0\.44/);
  });

  it('stopOn: nan stops where a value first becomes infinite; health at a saturated sigmoid', async () => {
    const file = tmpModel(
      'overflow.bp.yaml',
      [
        'input: [1e300]',
        'target: [1]',
        'layers:',
        '  - W: [[1e300]]',
        '    b: [0]',
        '    activation: sigmoid',
        'loss: half_sse',
        'optimizer: {type: sgd, lr: 0.1}',
        'steps: 1',
        '',
      ].join('\n'),
    );
    const stop = dc.stopped();
    await dc.launchWith({ program: file, stopOnEntry: false, stopOn: ['nan'] });
    const s = await stop;
    assert.equal(s.event.body.reason, 'exception');
    assert.equal(s.top.name, 'forward · layer 1 · step 1');
    assert.match(s.event.body.text ?? '', /z¹ became Infinity at step 1/);
    await dc.stop();

    dc = new DapClient();
    await dc.start();
    const sat = tmpModel(
      'saturated.bp.yaml',
      [
        'input: [10]',
        'target: [1]',
        'layers:',
        '  - W: [[1]]',
        '    b: [0]',
        '    activation: sigmoid',
        'loss: half_sse',
        'optimizer: {type: sgd, lr: 0.1}',
        '',
      ].join('\n'),
    );
    const stop2 = dc.stopped();
    await dc.launchWith({ program: sat, stopOnEntry: false }, () =>
      dc.setExceptionBreakpointsRequest({ filters: ['health'] }),
    );
    const s2 = await stop2;
    assert.match(s2.event.body.text ?? '', /1 of 1 sigmoid unit in layer 1 saturated/);
    const health = await dc.scope('Health');
    assert.match([...health.values()].map((v) => v.value).join('\n'), /saturated/);
  });

  it("steps forward, into an event's parts, out of a pass, and back", async () => {
    const entry = dc.stopped();
    await dc.launchWith({ program: P1 });
    await entry;
    const names: string[] = [];
    const go = async (f: () => Promise<unknown>) => {
      const s = await dc.step(f);
      names.push(s.top.name);
      return s;
    };
    const t = { threadId: 1 };
    await go(() => dc.nextRequest(t));
    await go(() => dc.nextRequest(t));
    await go(() => dc.nextRequest(t));
    await go(() => dc.stepInRequest(t));
    await go(() => dc.stepInRequest(t));
    await go(() => dc.nextRequest(t));
    await go(() => dc.stepBackRequest(t));
    await go(() => dc.stepOutRequest(t));
    await go(() => dc.stepOutRequest(t));
    await go(() => dc.reverseContinueRequest(t));
    assert.deepEqual(names, [
      'forward · layer 2 · step 1',
      'loss · step 1',
      'backward · layer 2 · step 1',
      'backward · layer 1 · δ · step 1',
      'backward · layer 1 · ∂L/∂W · step 1',
      'backward · layer 1 · step 1',
      'backward · layer 2 · step 1',
      'backward · layer 1 · step 1',
      'update · layer 2 · step 1',
      'forward · layer 1 · step 1',
    ]);
  });

  it('a long run through the trace store: stop at step 3,000, step back into step 2,999, reverse-continue to the start', async () => {
    // 5,000 steps keep only checkpoints and a few records: steps 3,000 and 2,999 are recomputed,
    // and must be the uninterrupted run's (fullTrace.ts, a plain loop of tracedStep), bit for bit.
    const full = fullRun(parseModel(readFileSync(P1, 'utf8')).model!.spec, 3000);
    const stop = dc.stopped();
    await dc.launchWith({ program: P1, steps: 5000, stopOnEntry: false }, () =>
      dc.setBreakpointsRequest({ source: { path: P1 }, breakpoints: [bp(LOSS, { hitCondition: '3000' })] }),
    );
    assert.equal((await stop).top.name, 'loss · step 3000');
    assert.equal(await dc.value('loss,f'), String(full[2999].loss.value));
    assert.equal(await dc.value('W2[2][2],f'), String(full[2999].update[1].W.data[1 * 3 + 1]));
    const t = { threadId: 1 };
    let s = await dc.step(() => dc.stepBackRequest(t));
    for (let i = 0; i < 6; i++) s = await dc.step(() => dc.stepBackRequest(t));
    assert.equal(s.top.name, 'loss · step 2999');
    assert.equal(await dc.value('loss,f'), String(full[2998].loss.value));
    s = await dc.step(() => dc.stepBackRequest(t));
    assert.equal(s.top.name, 'forward · layer 2 · step 2999');
    assert.equal(await dc.value('z2,f'), `[${Array.from(full[2998].forward[1].z.data, String).join(', ')}]`);
    s = await dc.step(() => dc.reverseContinueRequest(t));
    assert.equal(s.top.name, 'forward · layer 1 · step 1');
  });

  it('inside backward · layer 1 only δ¹ is computed, then ∂L/∂W¹; Variables list only what is computed', async () => {
    const entry = dc.stopped();
    await dc.launchWith({ program: P1 }, () =>
      dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'backward 2' }] }),
    );
    await entry;
    await dc.step(() => dc.continueRequest({ threadId: 1 }));
    await dc.step(() => dc.stepInRequest({ threadId: 1 }));
    let layer1 = await dc.scope('Layer 1');
    assert.deepEqual([...layer1.keys()], ['z', 'a', "σ'(z)", 'δ', 'W', 'b']);
    assert.equal(layer1.get('δ')?.value, '[-1, 33, -60]');
    assert.equal(layer1.get('δ')?.evaluateName, 'delta1');
    assert.equal(layer1.get('δ')?.type, '3×1');
    await assert.rejects(
      dc.value('dW1'),
      /∂L\/∂W¹ is computed at backward · layer 1 · ∂L\/∂W; the debugger is at backward · layer 1 · δ · step 1/,
    );
    await dc.step(() => dc.stepInRequest({ threadId: 1 }));
    layer1 = await dc.scope('Layer 1');
    assert.equal(layer1.get('∂L/∂W')?.value, '[[-1, -1], [33, 33], [-60, -60]]');
  });

  it('matrices expand to rows and entries, each with an expression for Watch', async () => {
    const stop = dc.stopped();
    await dc.launchWith({ program: P1, stopOnEntry: false }, () =>
      dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'update 2' }] }),
    );
    await stop;
    const layer2 = await dc.scope('Layer 2');
    const wNext = layer2.get('W′')!;
    assert.equal(wNext.evaluateName, 'W2_next');
    assert.equal(wNext.type, '2×3');
    const rows = (await dc.variablesRequest({ variablesReference: wNext.variablesReference })).body.variables;
    assert.deepEqual(
      rows.map((r) => [r.name, r.evaluateName]),
      [
        ['[1]', 'W2_next[1]'],
        ['[2]', 'W2_next[2]'],
      ],
    );
    assert.equal(rows[1].value, '[2, -0.44, 3.07]');
    const entries = (await dc.variablesRequest({ variablesReference: rows[1].variablesReference })).body.variables;
    assert.deepEqual(
      entries.map((e) => [e.name, e.value, e.evaluateName]),
      [
        ['[1]', '2', 'W2_next[2][1]'],
        ['[2]', '-0.44', 'W2_next[2][2]'],
        ['[3]', '3.07', 'W2_next[2][3]'],
      ],
    );
    // The expressions evaluate to the same numbers; ,f gives full precision (−1 − 0.01·(−56) in doubles).
    assert.equal(await dc.value('W2_next[2][2]'), '-0.44');
    assert.equal(await dc.value('W2_next[2][2],f'), String(-1 - 0.01 * -56));
    assert.equal(await dc.value('W2 @ a1 + b2'), '[15, -4]');
    assert.equal(await dc.value('delta1'), '[-1, 33, -60]');
    const paged = (
      await dc.variablesRequest({
        variablesReference: rows[1].variablesReference,
        filter: 'indexed',
        start: 1,
        count: 1,
      })
    ).body.variables;
    assert.deepEqual(
      paged.map((e) => e.name),
      ['[2]'],
    );
    const opt = await dc.scope('Optimizer');
    assert.equal(opt.get('type')?.value, 'sgd');
    assert.equal(opt.get('lr')?.value, '0.01');
  });

  it('goto a layer line, restartFrame to the start of the step, restart', async () => {
    const entry = dc.stopped();
    await dc.launchWith({ program: P1 });
    await entry;
    const targets = await dc.gotoTargetsRequest({ source: { path: P1 }, line: lineOf(P1, /activation: identity/) });
    assert.deepEqual(
      targets.body.targets.map((x) => x.label),
      ['forward · layer 1 · step 1', 'backward · layer 1 · step 1', 'update · layer 1 · step 1'],
    );
    let s = await dc.step(() => dc.gotoRequest({ threadId: 1, targetId: targets.body.targets[1].id }));
    assert.equal(s.top.name, 'backward · layer 1 · step 1');
    assert.equal(await dc.value('delta1'), '[-1, 33, -60]');
    s = await dc.step(() => dc.restartFrameRequest({ frameId: 3 }));
    assert.equal(s.event.body.reason, 'restart');
    assert.equal(s.top.name, 'forward · layer 1 · z · step 1');
    s = await dc.step(() => dc.restartRequest({}));
    assert.equal(s.event.body.reason, 'entry');
    assert.equal(s.top.name, 'forward · layer 1 · step 1');
  });

  it("inline values: z, a, δ beside each layer's first line, L beside loss:", async () => {
    const stop = dc.stopped();
    await dc.launchWith({ program: P1, stopOnEntry: false }, () =>
      dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'backward 2' }] }),
    );
    await stop;
    const r = await dc.customRequest('backprop/inlineValues');
    assert.deepEqual(r.body.values, [
      { line: LAYER1, text: 'z¹ = [0, 8, 1]   a¹ = [0, 8, 1]' },
      { line: LAYER2, text: 'z² = [15, -4]   a² = [15, -4]   δ² = [13, -7]' },
      { line: LOSS, text: 'L = 109' },
    ]);
  });

  it('malformed and out-of-order requests get an error response, never a crash', async () => {
    await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /no model file is being debugged yet/);
    await assert.rejects(dc.nextRequest({ threadId: 1 }), /next: no model file is being debugged yet/);
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({}), /"program" must name the model file/);
    await assert.rejects(
      dc.launchRequest({ program: P1, steps: 'many' } as DebugProtocol.LaunchRequestArguments),
      /"steps" must be a whole number from 1 to 10000000, got "many"/,
    );
    await assert.rejects(
      dc.launchRequest({ program: P1, stopOn: ['bugs'] } as DebugProtocol.LaunchRequestArguments),
      /"stopOn" must be a list of "nan", "wrongExpect", "health"/,
    );
    await assert.rejects(
      dc.launchRequest({ program: join(tmpdir(), 'no-such-model.bp.yaml') } as DebugProtocol.LaunchRequestArguments),
      /cannot read .*no-such-model\.bp\.yaml: no such file/,
    );
    const broken = tmpModel('broken.bp.yaml', 'input: [1, 1]\nlayers: [\n');
    await assert.rejects(
      dc.launchRequest({ program: broken } as DebugProtocol.LaunchRequestArguments),
      /broken\.bp\.yaml cannot be run:\n {2}\d+:\d+: /,
    );
    const entry = dc.stopped();
    const initialized = dc.waitForEvent('initialized');
    const launched = dc.launchRequest({ program: P1 } as DebugProtocol.LaunchRequestArguments);
    await initialized;
    await dc.configurationDoneRequest();
    await launched;
    await entry;
    await assert.rejects(dc.variablesRequest({ variablesReference: 999 }), /no variables reference 999/);
    await assert.rejects(dc.evaluateRequest({} as DebugProtocol.EvaluateArguments), /"expression" must be text/);
    await assert.rejects(dc.evaluateRequest({ expression: 'W1 +' }), /expected a number, a name or '\('/);
    await assert.rejects(
      dc.setExceptionBreakpointsRequest({ filters: ['everything'] }),
      /unknown exception filter "everything"/,
    );
    await assert.rejects(dc.restartFrameRequest({ frameId: 9 }), /no frame 9/);
    await assert.rejects(dc.gotoRequest({ threadId: 1, targetId: 10_000 }), /no target/);
    await assert.rejects(dc.customRequest('selfDestruct'), /unknown request "selfDestruct"/);
    await assert.rejects(dc.exceptionInfoRequest({ threadId: 1 }), /did not stop on an exception/);
    await assert.rejects(
      dc.launchRequest({ program: P1 } as DebugProtocol.LaunchRequestArguments),
      /problem1\.bp\.yaml is already being debugged in this session/,
    );
    // Still answering, on the same position.
    assert.equal((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].name, 'forward · layer 1 · step 1');
    assert.equal(dc.exited, false);
  });

  it('survives the model file edited while stopped: re-runs it and stays at the same event', async () => {
    const file = tmpModel('edited.bp.yaml', readFileSync(P1, 'utf8'));
    const entry = dc.stopped();
    await dc.launchWith({ program: file }, () =>
      dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'forward 2' }] }),
    );
    await entry;
    await dc.step(() => dc.continueRequest({ threadId: 1 }));
    assert.equal(await dc.value('z2'), '[15, -4]');
    // b² = (3, 1) instead of (2, 1): z² = (16, −4).
    let reloaded = dc.output(/edited\.bp\.yaml changed: re-ran it \(1 step\); now at forward · layer 2 · step 1/);
    writeFileSync(file, readFileSync(P1, 'utf8').replace('    b: [2, 1]', '    b: [3, 1]'));
    await reloaded;
    assert.equal(await dc.value('z2'), '[16, -4]');
    assert.equal((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].name, 'forward · layer 2 · step 1');
    // A file that no longer parses: the previous run stays.
    reloaded = dc.output(/edited\.bp\.yaml cannot be run:[^]*Still stepping through the previous run/);
    writeFileSync(file, 'layers: [\n');
    await reloaded;
    assert.equal(await dc.value('z2'), '[16, -4]');
    const s = await dc.step(() => dc.nextRequest({ threadId: 1 }));
    assert.equal(s.top.name, 'loss · step 1');
  });

  it('pause stops a long continue; a breakpoint set while running takes effect', async () => {
    const entry = dc.stopped();
    // 20,000 steps with a condition that never holds: the continue runs in slices long enough to be interrupted.
    await dc.launchWith({ program: P1, steps: 20_000 }, () =>
      dc.setBreakpointsRequest({ source: { path: P1 }, breakpoints: [bp(LAYER1, { condition: 'loss < 0' })] }),
    );
    await entry;
    let s = await dc.step(async () => {
      await dc.continueRequest({ threadId: 1 });
      await dc.pauseRequest({ threadId: 1 });
    });
    assert.equal(s.event.body.reason, 'pause');
    const paused = Number(/step (\d+)$/.exec(s.top.name)![1]);
    assert.ok(paused < 20_000, s.top.name);
    s = await dc.step(async () => {
      await dc.continueRequest({ threadId: 1 });
      await dc.setBreakpointsRequest({ source: { path: P1 }, breakpoints: [bp(LOSS)] });
    });
    assert.equal(s.event.body.reason, 'breakpoint');
    assert.match(s.top.name, /^loss · step \d+$/);
    assert.ok(Number(/step (\d+)$/.exec(s.top.name)![1]) < 20_000);
    // Pause while stopped stops again where it is.
    const again = await dc.step(() => dc.pauseRequest({ threadId: 1 }));
    assert.equal(again.event.body.reason, 'pause');
    assert.equal(again.top.name, s.top.name);
  });

  it('noDebug runs the file and ends, printing the loss', async () => {
    const ended = dc.waitForEvent('terminated');
    const out = dc.output(/problem1\.bp\.yaml: 1 step, loss 109/);
    await dc.launchWith({ program: P1, noDebug: true });
    await out;
    await ended;
  });
});

describe('debug adapter: every example', function () {
  this.timeout(30_000);
  const files = readdirSync(example('.'))
    .filter((f) => /\.bp\.(ya?ml|json)$/.test(f))
    .sort();

  it('finds the examples', () => assert.ok(files.length >= 5, files.join(', ')));

  for (const name of files) {
    it(`${name}: stops on entry at layer 1's first line, runs to its last event, then ends`, async () => {
      const dc = new DapClient();
      await dc.start();
      try {
        const file = example(name);
        const entry = dc.stopped();
        await dc.launchWith({ program: file });
        const { event, top } = await entry;
        assert.equal(event.body.reason, 'entry');
        assert.equal(top.name, 'forward · layer 1 · step 1');
        const text = readFileSync(file, 'utf8').split(/\r?\n/)[top.line - 1];
        assert.match(text, name.endsWith('.json') ? /^\s*\{/ : /^\s*- /, `line ${top.line}: ${text}`);
        const end = await dc.step(() => dc.continueRequest({ threadId: 1 }));
        assert.match(end.event.body.description ?? '', /^The run ends here: step \d+ done, loss /);
        assert.match(end.top.name ?? '', /^update · layer \d+ · step \d+$/);
        const ended = dc.waitForEvent('terminated');
        await dc.continueRequest({ threadId: 1 });
        await ended;
      } finally {
        await dc.stop();
      }
    });
  }
});
