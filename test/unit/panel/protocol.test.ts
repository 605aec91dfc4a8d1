// The host↔panel validators: what the host really sends passes (also after structured clone,
// which is what postMessage does), and each kind of malformed message is refused with its path.
import assert from 'node:assert/strict';
import { checkEventRef, checkFromWebview, checkToWebview, LoadMessage, ProtocolError, ToWebviewMessage } from '../../../src/protocol';
import { documentData, stepData } from '../../../src/extension/panel/payload';
import { example } from './fixtures';

function load(): LoadMessage {
  const { source } = example('problem1.bp.yaml');
  const settings = { digits: 6, numberFormat: 'auto' as const };
  return { type: 'load', doc: documentData(source, 1), settings, index: 0, step: stepData(source.trace, 1, source.convention, settings), reason: 'opened' };
}

function rejects(check: (x: unknown) => unknown, message: unknown, path: RegExp): void {
  assert.throws(() => check(message), (err: unknown) => err instanceof ProtocolError && path.test(err.path), `expected a ProtocolError at ${path}`);
}

describe('panel protocol: host → panel', () => {
  it('accepts the load message the host builds for problem 1, unchanged', () => {
    const m = load();
    assert.deepEqual(checkToWebview(m), m);
  });

  it('accepts it after a structured clone (postMessage keeps Float64Arrays binary)', () => {
    const m = structuredClone(load());
    const checked = checkToWebview(m) as LoadMessage;
    assert.ok(checked.step.forward[1].z.data instanceof Float64Array);
    assert.deepEqual(Array.from(checked.step.forward[1].z.data), [15, -4]);
  });

  it('refuses numbers sent as a plain array rather than a Float64Array', () => {
    const m = load();
    const bad = { ...m, step: { ...m.step, forward: [{ ...m.step.forward[0], z: { rows: 1, cols: 3, data: [0, 8, 1] } }, m.step.forward[1]] } };
    rejects(checkToWebview, bad, /^step\.forward\[0\]\.z\.data$/);
  });

  it('refuses a matrix whose data does not have rows × cols entries', () => {
    const m = load();
    const bad = { ...m, step: { ...m.step, inputGrad: { rows: 1, cols: 3, data: new Float64Array(2) } } };
    rejects(checkToWebview, bad, /^step\.inputGrad\.data$/);
  });

  it('refuses a step whose equations do not cover its 3L + 1 events', () => {
    const m = load();
    rejects(checkToWebview, { ...m, step: { ...m.step, equations: m.step.equations.slice(1) } }, /^step\.equations$/);
  });

  it('refuses unknown types, missing fields and out-of-range indices', () => {
    rejects(checkToWebview, { type: 'explode' }, /^message\.type$/);
    rejects(checkToWebview, null, /^message$/);
    rejects(checkToWebview, { type: 'position', revision: 1 }, /^message\.index$/);
    rejects(checkToWebview, { type: 'position', revision: 1, index: -1 }, /^message\.index$/);
    rejects(checkToWebview, { type: 'position', revision: 1, index: 1.5 }, /^message\.index$/);
    rejects(checkToWebview, { type: 'selectLayer', revision: 1, layer: 2, focus: 'yes' }, /^message\.focus$/);
  });

  it('refuses a document whose activations do not match its widths', () => {
    const m = load();
    rejects(checkToWebview, { ...m, doc: { ...m.doc, activations: ['identity'] } }, /^doc\.activations$/);
  });

  it('accepts the small messages', () => {
    const msgs: ToWebviewMessage[] = [
      { type: 'unavailable', uri: null, fileName: null, message: 'no file' },
      { type: 'position', revision: 3, index: 5 },
      { type: 'selectLayer', revision: 3, layer: 0, focus: true },
      { type: 'result', requestId: 7, ok: false, message: 'Export cancelled.' },
    ];
    for (const m of msgs) assert.deepEqual(checkToWebview(m), m);
  });
});

describe('panel protocol: panel → host', () => {
  it('accepts every message the panel sends', () => {
    const msgs = [
      { type: 'ready', state: null },
      { type: 'ready', state: { uri: 'file:///a.bp.yaml', index: 4, layer: null, unit: 0, example: 0 } },
      { type: 'getStep', requestId: 1, revision: 2, step: 3 },
      { type: 'moved', revision: 2, index: 6 },
      { type: 'reveal', revision: 2, target: { kind: 'param', layer: 2, param: 'W', i: 1, j: 1 } },
      { type: 'reveal', revision: 2, target: { kind: 'input', example: 0, unit: 1 } },
      { type: 'reveal', revision: 2, target: { kind: 'loss' } },
      { type: 'exportWorked', requestId: 4, revision: 2, format: 'latex', step: 1 },
      { type: 'exportImage', requestId: 5, format: 'svg', data: '<svg/>' },
      { type: 'exportImage', requestId: 6, format: 'png', data: new Uint8Array([137, 80, 78, 71]) },
    ];
    for (const m of msgs) assert.deepEqual(checkFromWebview(m), m);
  });

  it('refuses malformed ones, naming the field', () => {
    rejects(checkFromWebview, { type: 'getStep', requestId: 1, revision: 2, step: 0 }, /^message\.step$/);
    rejects(checkFromWebview, { type: 'reveal', revision: 2, target: { kind: 'param', layer: 1, param: 'V', i: 0, j: 0 } }, /^message\.target\.param$/);
    rejects(checkFromWebview, { type: 'reveal', revision: 2, target: { kind: 'file', path: '/etc/passwd' } }, /^message\.target\.kind$/);
    rejects(checkFromWebview, { type: 'exportImage', requestId: 6, format: 'png', data: 'iVBORw0' }, /^message\.data$/);
    rejects(checkFromWebview, { type: 'exportWorked', requestId: 4, revision: 2, format: 'docx', step: 1 }, /^message\.format$/);
    rejects(checkFromWebview, { type: 'ready', state: { uri: 'file:///a', index: 'x', layer: null, unit: 0, example: 0 } }, /^message\.state\.index$/);
  });

  it('checks events as the engine orders them (the loss has layer 0, layers start at 1)', () => {
    assert.deepEqual(checkEventRef({ step: 1, kind: 'backward', layer: 2 }), { step: 1, kind: 'backward', layer: 2 });
    rejects(checkEventRef, { step: 1, kind: 'loss', layer: 1 }, /^event\.layer$/);
    rejects(checkEventRef, { step: 1, kind: 'forward', layer: 0 }, /^event\.layer$/);
    rejects(checkEventRef, { step: 0, kind: 'forward', layer: 1 }, /^event\.step$/);
  });
});
