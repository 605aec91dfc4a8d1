// The host↔panel checks: what the host really sends passes (also after structured clone, which
// is what postMessage does), and a malformed message of every kind is refused with the path of
// what is wrong and what was expected there.
import assert from 'node:assert/strict';
import {
  checkFromWebview,
  checkPanelState,
  checkToWebview,
  checkTraceEvent,
  FromWebviewMessage,
  LoadMessage,
  ProtocolError,
  ToWebviewMessage,
} from '../../../src/protocol';
import { documentData, PanelSource, stepData } from '../../../src/extension/panel/payload';
import { example, fromText } from './fixtures';

/** SGD with lr 1 on weights of 3: the gradients explode, then the loss overflows. */
const DIVERGING =
  'input: [[1, 2]]\ntarget: [[1]]\nlayers:\n  - {W: [[3, 3], [3, 3]], b: [0, 0], activation: identity}\n  - {W: [[3, 3]], b: [0], activation: identity}\nloss: sse\noptimizer: {type: sgd, lr: 1}\nsteps: 12\n';

function load(source: PanelSource = example('problem1.bp.yaml').source): LoadMessage {
  const settings = { digits: 6, numberFormat: 'auto' as const };
  return {
    type: 'load',
    doc: documentData(source, 1),
    settings,
    index: 0,
    step: stepData(source.trace, 1, source.convention, settings),
    reason: 'opened',
    stale: null,
  };
}

/** Refused with a ProtocolError whose path is `path` and whose message names it and says `problem`. */
function rejects(check: (x: unknown) => unknown, message: unknown, path: string, problem: RegExp = /^expected /): void {
  assert.throws(
    () => check(message),
    (err: unknown) => {
      assert.ok(err instanceof ProtocolError, `not a ProtocolError: ${String(err)}`);
      assert.equal(err.path, path);
      assert.match(err.problem, problem);
      assert.equal(err.message, `${path}: ${err.problem}`);
      return true;
    },
  );
}

/** A copy of `x` with the value at `path` (keys and indices) replaced, or deleted when `value` is `DELETE`. */
const DELETE = Symbol('delete');
function patched<T>(x: T, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [k, ...rest] = path;
  const copy = (Array.isArray(x) ? [...(x as unknown[])] : { ...(x as object) }) as Record<string | number, unknown>;
  if (rest.length === 0 && value === DELETE) delete copy[k];
  else copy[k] = patched(copy[k], rest, value);
  return copy;
}

describe('panel protocol: host → panel', () => {
  it('accepts the load message the host builds for problem 1, unchanged', () => {
    const m = load();
    assert.deepEqual(checkToWebview(m), m);
  });

  it('accepts one with warnings and a gradient check (a diverging run, a checked classifier)', () => {
    const diverging = load(fromText(DIVERGING, 'diverging.bp.yaml').source);
    assert.ok(diverging.doc.health.length > 0 && diverging.doc.stoppedEarly, 'warnings, stopped early');
    assert.deepEqual(checkToWebview(diverging), diverging);
    const checked = load(example('classifier.bp.json', { gradcheck: true }).source);
    assert.ok(checked.doc.gradcheck && checked.doc.gradcheck.entries.length > 0, 'a gradient check');
    assert.deepEqual(checkToWebview(checked), checked);
  });

  it('accepts it after a structured clone (postMessage keeps Float64Arrays binary)', () => {
    const m = structuredClone(load());
    const checked = checkToWebview(m) as LoadMessage;
    assert.ok(checked.step.forward[1].z.data instanceof Float64Array);
    assert.deepEqual(Array.from(checked.step.forward[1].z.data), [15, -4]);
  });

  it('drops fields it does not know rather than passing them on', () => {
    const checked = checkToWebview({ type: 'position', revision: 1, index: 2, script: 'alert(1)' });
    assert.deepEqual(checked, { type: 'position', revision: 1, index: 2 });
  });

  it('refuses numbers sent as a plain array rather than a Float64Array', () => {
    const bad = patched(load(), ['step', 'forward', 0, 'z', 'data'], [0, 8, 1]);
    rejects(checkToWebview, bad, 'message.step.forward[0].z.data', /^expected a Float64Array$/);
  });

  it('refuses a matrix whose data does not have rows × cols entries', () => {
    const bad = patched(load(), ['step', 'inputGrad'], { rows: 1, cols: 3, data: new Float64Array(2) });
    rejects(checkToWebview, bad, 'message.step.inputGrad.data', /^expected 3 entries$/);
  });

  it('refuses a step whose records or equations do not cover its layers and 3L + 1 events', () => {
    const m = load();
    rejects(
      checkToWebview,
      patched(m, ['step', 'equations'], m.step.equations.slice(1)),
      'message.step.equations',
      /^expected 7 events$/,
    );
    rejects(
      checkToWebview,
      patched(m, ['step', 'backward'], m.step.backward.slice(1)),
      'message.step.backward',
      /^expected 2 records/,
    );
    rejects(checkToWebview, patched(m, ['step', 'update'], []), 'message.step.update', /^expected 2 records/);
  });

  it('refuses a document that does not describe a network', () => {
    const m = load();
    rejects(
      checkToWebview,
      patched(m, ['doc', 'activations'], ['identity']),
      'message.doc.activations',
      /^expected 2 entries/,
    );
    rejects(checkToWebview, patched(m, ['doc', 'activations', 1], 'swish'), 'message.doc.activations[1]', /sigmoid/);
    rejects(
      checkToWebview,
      patched(m, ['doc', 'widths'], [2]),
      'message.doc.widths',
      /at least an input and one layer/,
    );
    rejects(checkToWebview, patched(m, ['doc', 'widths', 1], 0), 'message.doc.widths[1]', /^expected an integer ≥ 1$/);
    rejects(
      checkToWebview,
      patched(m, ['doc', 'losses'], new Float64Array(0)),
      'message.doc.losses',
      /at least one step/,
    );
    rejects(
      checkToWebview,
      patched(m, ['doc', 'convention'], 'rows'),
      'message.doc.convention',
      /^expected out_in \| in_out$/,
    );
    rejects(checkToWebview, patched(m, ['doc', 'uri'], DELETE), 'message.doc.uri', /^missing$/);
    // A stale trace: the errors of the current text, 1-based.
    const stale = { errors: [{ message: 'this [ is never closed', line: 27, column: 13 }], total: 1 };
    assert.deepEqual((checkToWebview(patched(m, ['stale'], stale)) as LoadMessage).stale, stale);
    rejects(
      checkToWebview,
      patched(m, ['stale', 'errors'], [{ ...stale.errors[0], line: 0 }]),
      'message.stale.errors[0].line',
      /≥ 1/,
    );
  });

  it('refuses malformed checks, warnings and gradient-check rows inside the document', () => {
    const m = load();
    rejects(
      checkToWebview,
      patched(m, ['doc', 'checks', 0, 'wrong'], [[0, 1, 2]]),
      'message.doc.checks[0].wrong[0][2]',
      /\[i, j\] pair/,
    );
    rejects(checkToWebview, patched(m, ['doc', 'checks', 0, 'key'], 'W'), 'message.doc.checks[0].key', /dW/);
    rejects(
      checkToWebview,
      patched(m, ['doc', 'checks', 0, 'event', 'layer'], 0),
      'message.doc.checks[0].event.layer',
      /≥ 1/,
    );
    const warning = { kind: 'dead_relu', severity: 'warning', step: 1, layer: 1, quantity: 'z', message: 'dead' };
    assert.equal((checkToWebview(patched(m, ['doc', 'health'], [warning])) as LoadMessage).doc.health.length, 1);
    rejects(
      checkToWebview,
      patched(m, ['doc', 'health'], [{ ...warning, severity: 'info' }]),
      'message.doc.health[0].severity',
      /^expected error \| warning$/,
    );
    rejects(
      checkToWebview,
      patched(m, ['doc', 'health'], [{ ...warning, kind: 'slow' }]),
      'message.doc.health[0].kind',
      /non_finite/,
    );
    const gc = {
      epsilon: 1e-4,
      checked: 1,
      total: 1,
      maxRelError: 0,
      ok: true,
      entries: [{ layer: 1, param: 'W', i: 0, j: 0, analytic: 1, numeric: 1, relError: 0, ok: true }],
    };
    assert.ok((checkToWebview(patched(m, ['doc', 'gradcheck'], gc)) as LoadMessage).doc.gradcheck);
    rejects(
      checkToWebview,
      patched(m, ['doc', 'gradcheck'], patched(gc, ['entries', 0, 'layer'], 0)),
      'message.doc.gradcheck.entries[0].layer',
      /≥ 1/,
    );
  });

  it('refuses a malformed message of every kind, naming the field', () => {
    const cases: [unknown, string, RegExp?][] = [
      [null, 'message', /^expected an object$/],
      [[], 'message.type'],
      [
        { type: 'explode' },
        'message.type',
        /^expected "load" \| "unavailable" \| "position" \| "selectLayer" \| "stepData" \| "result" \| "runProgress" \| "runEnded"$/,
      ],
      [{ revision: 1, index: 0 }, 'message.type'],
      [patched(load(), ['reason'], 'because'), 'message.reason'],
      [patched(load(), ['settings', 'digits'], 0), 'message.settings.digits', /≥ 1/],
      [
        patched(load(), ['settings', 'numberFormat'], 'engineering'),
        'message.settings.numberFormat',
        /^expected auto \| fixed \| scientific$/,
      ],
      [{ type: 'unavailable', uri: null, fileName: 3, message: 'no file' }, 'message.fileName', /^expected a string$/],
      [{ type: 'position', revision: 1 }, 'message.index', /^missing$/],
      [{ type: 'position', revision: 1, index: -1 }, 'message.index', /^expected an integer ≥ 0$/],
      [{ type: 'position', revision: 1, index: 1.5 }, 'message.index', /^expected an integer ≥ 0$/],
      [{ type: 'selectLayer', revision: 1, layer: 2, focus: 'yes' }, 'message.focus', /^expected a boolean$/],
      [
        { type: 'stepData', requestId: 1, revision: 1, step: patched(load().step, ['loss', 'fused'], 1) },
        'message.step.loss.fused',
      ],
      [
        {
          type: 'stepData',
          requestId: 1,
          revision: 1,
          step: patched(load().step, ['backward', 0, 'sigmaPrime'], 'none'),
        },
        'message.step.backward[0].sigmaPrime',
        /an object/,
      ],
      [{ type: 'result', requestId: 7, ok: 'no', message: 'Export cancelled.' }, 'message.ok'],
      [
        { type: 'runProgress', uri: 'file:///x.bp.yaml', from: 0, losses: new Float64Array(1), total: 9 },
        'message.from',
        /^expected an integer ≥ 1$/,
      ],
      [
        { type: 'runProgress', uri: 'file:///x.bp.yaml', from: 1, losses: [0.5], total: 9 },
        'message.losses',
        /^expected a Float64Array$/,
      ],
      [{ type: 'runEnded' }, 'message.uri', /^missing$/],
    ];
    for (const [m, path, problem] of cases) rejects(checkToWebview, m, path, problem);
  });

  it('accepts the small messages', () => {
    const msgs: ToWebviewMessage[] = [
      { type: 'unavailable', uri: null, fileName: null, message: 'no file' },
      { type: 'position', revision: 3, index: 5 },
      { type: 'selectLayer', revision: 3, layer: 0, focus: true },
      { type: 'stepData', requestId: 2, revision: 3, step: load().step },
      { type: 'result', requestId: 7, ok: false, message: 'Export cancelled.' },
      { type: 'runProgress', uri: 'file:///x.bp.yaml', from: 401, losses: Float64Array.of(0.5, 0.25), total: 1000 },
      { type: 'runEnded', uri: 'file:///x.bp.yaml' },
    ];
    for (const m of msgs) assert.deepEqual(checkToWebview(m), m);
  });
});

describe('panel protocol: panel → host', () => {
  const state = { uri: 'file:///a.bp.yaml', index: 4, layer: null, unit: 0, example: 0 };

  it('accepts every message the panel sends', () => {
    const msgs: FromWebviewMessage[] = [
      { type: 'ready', state: null },
      { type: 'ready', state },
      { type: 'getStep', requestId: 1, revision: 2, step: 3 },
      { type: 'moved', revision: 2, index: 6 },
      { type: 'reveal', revision: 2, target: { kind: 'layer', layer: 0 } },
      { type: 'reveal', revision: 2, target: { kind: 'param', layer: 2, param: 'W', i: 1, j: 1 } },
      { type: 'reveal', revision: 2, target: { kind: 'input', example: 0, unit: 1 } },
      { type: 'reveal', revision: 2, target: { kind: 'target', example: 1, unit: 0 } },
      { type: 'reveal', revision: 2, target: { kind: 'loss' } },
      { type: 'reveal', revision: 2, target: { kind: 'check', index: 3 } },
      { type: 'showError', revision: 2, index: 0 },
      { type: 'exportWorked', requestId: 4, revision: 2, format: 'latex', step: 1 },
      { type: 'exportImage', requestId: 5, format: 'svg', data: '<svg/>' },
      { type: 'exportImage', requestId: 6, format: 'png', data: new Uint8Array([137, 80, 78, 71]) },
    ];
    for (const m of msgs) assert.deepEqual(checkFromWebview(m), m);
  });

  it('refuses a malformed message of every kind, naming the field', () => {
    const cases: [unknown, string, RegExp?][] = [
      [undefined, 'message', /^expected an object$/],
      [
        { type: 'load' },
        'message.type',
        /^expected "ready" \| "getStep" \| "moved" \| "reveal" \| "showError" \| "exportWorked" \| "exportImage"$/,
      ],
      [{ type: 'ready' }, 'message.state', /^missing$/],
      [{ type: 'ready', state: { ...state, index: 'x' } }, 'message.state.index', /^expected an integer ≥ 0$/],
      [{ type: 'getStep', requestId: 1, revision: 2, step: 0 }, 'message.step', /^expected an integer ≥ 1$/],
      [{ type: 'moved', revision: -2, index: 6 }, 'message.revision'],
      [
        { type: 'reveal', revision: 2, target: { kind: 'param', layer: 1, param: 'V', i: 0, j: 0 } },
        'message.target.param',
        /^expected W \| b$/,
      ],
      [
        { type: 'reveal', revision: 2, target: { kind: 'param', layer: 0, param: 'W', i: 0, j: 0 } },
        'message.target.layer',
        /≥ 1/,
      ],
      [{ type: 'reveal', revision: 2, target: { kind: 'file', path: '/etc/passwd' } }, 'message.target.kind'],
      [{ type: 'reveal', revision: 2, target: { kind: 'input', example: 0 } }, 'message.target.unit', /^missing$/],
      [{ type: 'showError', revision: 2, index: -1 }, 'message.index', /^expected an integer ≥ 0$/],
      [
        { type: 'exportWorked', requestId: 4, revision: 2, format: 'docx', step: 1 },
        'message.format',
        /^expected markdown \| latex$/,
      ],
      [
        { type: 'exportImage', requestId: 6, format: 'gif', data: 'GIF89a' },
        'message.format',
        /^expected "svg" \| "png"$/,
      ],
      [
        { type: 'exportImage', requestId: 6, format: 'png', data: 'iVBORw0' },
        'message.data',
        /^expected a Uint8Array$/,
      ],
      [
        { type: 'exportImage', requestId: 6, format: 'svg', data: new Uint8Array(3) },
        'message.data',
        /^expected a string$/,
      ],
    ];
    for (const [m, path, problem] of cases) rejects(checkFromWebview, m, path, problem);
  });

  it('reads back the state the panel saved, and refuses another', () => {
    assert.deepEqual(checkPanelState(state), state);
    rejects(checkPanelState, { ...state, layer: -1 }, 'state.layer');
    rejects(checkPanelState, 'file:///a.bp.yaml', 'state', /^expected an object$/);
  });

  it('checks events as the engine orders them (the loss has layer 0, layers start at 1)', () => {
    assert.deepEqual(checkTraceEvent({ step: 1, kind: 'backward', layer: 2 }), { step: 1, kind: 'backward', layer: 2 });
    assert.deepEqual(checkTraceEvent({ step: 2, kind: 'loss', layer: 0 }), { step: 2, kind: 'loss', layer: 0 });
    rejects(checkTraceEvent, { step: 1, kind: 'loss', layer: 1 }, 'event.layer', /^expected 0 for the loss$/);
    rejects(checkTraceEvent, { step: 1, kind: 'forward', layer: 0 }, 'event.layer', /^expected an integer ≥ 1$/);
    rejects(checkTraceEvent, { step: 0, kind: 'forward', layer: 1 }, 'event.step', /^expected an integer ≥ 1$/);
    rejects(
      checkTraceEvent,
      { step: 1, kind: 'sideways', layer: 1 },
      'event.kind',
      /^expected forward \| loss \| backward \| update$/,
    );
  });
});
