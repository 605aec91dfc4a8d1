// The panel's view model, against the lecture notes' worked problems (examples/): events in the
// engine's order, matrices in the file's orientation, and the entries behind a highlighted result —
// which must be exactly the ones whose products sum to it.
import assert from 'node:assert/strict';
import { diagramLayout, eventFocus, unitQuantity } from '../../../webview/diagramLayout';
import { eventAt, indexOfEvent, keyAction, offsetInStep } from '../../../webview/events';
import { batchView, MatrixView, weightView } from '../../../webview/matrixViews';
import { Operand, operandsFor, selects, wrongEntries } from '../../../webview/operands';
import { eventsOfStep } from '../../../src/engine/trace';
import { healthEvent, StepData } from '../../../src/protocol';
import { stepData } from '../../../src/extension/panel/payload';
import { example } from './fixtures';

const settings = { digits: 6, numberFormat: 'auto' as const };

function rows(v: MatrixView): number[][] {
  return Array.from({ length: v.rows }, (_, i) => Array.from({ length: v.cols }, (_, j) => v.get(i, j)));
}

/** The values of an operand's emphasised entries, in display order. */
function emphasised(o: Operand): number[] {
  const out: number[] = [];
  for (let i = 0; i < o.view.rows; i++)
    for (let j = 0; j < o.view.cols; j++) {
      const [r, c] = o.view.engine(i, j);
      if (selects(o.emphasis, r, c)) out.push(o.view.get(i, j));
    }
  return out;
}

function operand(lines: ReturnType<typeof operandsFor>, id: string, role?: Operand['role']): Operand {
  for (const l of lines)
    for (const it of l.items) if (typeof it !== 'string' && it.id === id && (!role || it.role === role)) return it;
  throw new Error(`no operand ${id}`);
}

describe('panel view model: events', () => {
  it('orders a step forward 1..L, loss, backward L..1, update 1..L', () => {
    const names = Array.from({ length: 7 }, (_, i) => eventAt(i, 2)).map((e) => `${e.kind[0]}${e.layer}`);
    assert.deepEqual(names, ['f1', 'f2', 'l0', 'b2', 'b1', 'u1', 'u2']);
  });

  it('indexes every event of a 3-step, 3-layer trace at its position, and finds it there', () => {
    const events = [1, 2, 3].flatMap((step) => eventsOfStep(step, 3));
    assert.equal(events.length, 3 * 10);
    events.forEach((e, i) => {
      assert.equal(indexOfEvent(e, 3), i);
      assert.deepEqual(eventAt(i, 3), e);
    });
    eventsOfStep(2, 3).forEach((e, k) => assert.equal(offsetInStep(e, 3), k));
  });

  it('maps ← → Home End Space to stepping, leaving Space to a focused button', () => {
    assert.equal(keyAction('ArrowRight', { onButton: false }), 'next');
    assert.equal(keyAction('ArrowLeft', { onButton: true }), 'previous');
    assert.equal(keyAction('Home', { onButton: false }), 'first');
    assert.equal(keyAction('End', { onButton: false }), 'last');
    assert.equal(keyAction(' ', { onButton: false }), 'togglePlay');
    assert.equal(keyAction(' ', { onButton: true }), null);
    assert.equal(keyAction('a', { onButton: false }), null);
  });
});

describe('panel view model: orientation', () => {
  it('draws batch values of problem 3 (batch_layout: columns) as the notes write them, one column per example', () => {
    const { source } = example('problem3-batch.bp.yaml');
    const z1 = source.trace.steps.get(1).forward[0].z;
    // The notes' z¹ (examples as columns), as in the file's expect block.
    assert.deepEqual(rows(batchView(z1, 'columns')), [
      [5, -1, 3],
      [4, 1, 3],
      [3, -3, 1],
    ]);
    assert.deepEqual(rows(batchView(z1, 'rows')), [
      [5, 4, 3],
      [-1, 1, -3],
      [3, 3, 1],
    ]);
    assert.deepEqual(batchView(z1, 'columns').engine(2, 0), [0, 2], 'display row = unit, column = example');
  });

  it('draws W as the convention writes it', () => {
    const { source } = example('problem1.bp.yaml');
    const W2 = source.trace.steps.get(1).update[1].W;
    assert.deepEqual(rows(weightView(W2, 'out_in')), [
      [1, 2, -3],
      [2, -1, 3],
    ]);
    assert.deepEqual(rows(weightView(W2, 'in_out')), [
      [1, 2],
      [2, -1],
      [-3, 3],
    ]);
  });
});

describe('panel view model: the entries behind a highlighted result (problem 1)', () => {
  const { source } = example('problem1.bp.yaml');
  const step: StepData = stepData(source.trace, 1, 'out_in', settings);

  it('forward 2, unit 2: W² row 2 and all of a¹ give z²₂ = 2·0 − 1·8 + 3·1 + 1 = −4', () => {
    const ops = operandsFor(
      step,
      { step: 1, kind: 'forward', layer: 2 },
      { convention: 'out_in', batchLayout: 'rows' },
      { unit: 1, example: 0 },
    );
    assert.deepEqual(emphasised(operand(ops, 'W2')), [2, -1, 3]);
    assert.deepEqual(emphasised(operand(ops, 'a1')), [0, 8, 1]);
    assert.deepEqual(emphasised(operand(ops, 'b2')), [1]);
    assert.deepEqual(emphasised(operand(ops, 'z2', 'result')), [-4]);
  });

  it('backward 1, unit 3: column 3 of W² against δ² gives δ¹₃ = −3·13 + 3·(−7) = −60', () => {
    const ops = operandsFor(
      step,
      { step: 1, kind: 'backward', layer: 1 },
      { convention: 'out_in', batchLayout: 'rows' },
      { unit: 2, example: 0 },
    );
    const wt = emphasised(operand(ops, 'W2T'));
    const d2 = emphasised(operand(ops, 'delta2'));
    assert.deepEqual(wt, [-3, 3]);
    assert.deepEqual(d2, [13, -7]);
    const delta = emphasised(operand(ops, 'delta1', 'result'));
    assert.deepEqual(delta, [wt[0] * d2[0] + wt[1] * d2[1]]);
    assert.deepEqual(emphasised(operand(ops, 'dW1', 'result')), [-60, -60], '∂L/∂W¹ row 3 = δ¹₃ xᵀ');
  });

  it("update 2: W²' row 2 = (2, −0.44, 3.07), changed by (0, 0.56, 0.07) from W²", () => {
    const ops = operandsFor(
      step,
      { step: 1, kind: 'update', layer: 2 },
      { convention: 'out_in', batchLayout: 'rows' },
      { unit: 1, example: 0 },
    );
    const next = operand(ops, 'W2_next');
    const close = (a: number[], b: number[]) =>
      a.forEach((x, k) => assert.ok(Math.abs(x - b[k]) < 1e-12, `${a.join(', ')} vs ${b.join(', ')}`));
    close(emphasised(next), [2, -0.44, 3.07]);
    close(rows(next.change!)[1], [0, 0.56, 0.07]);
    assert.deepEqual(emphasised(operand(ops, 'dW2')), [0, -56, -7]);
  });

  it('puts hand-derived values and numeric warnings at the event that computes them', () => {
    // Problem 1's checks as the host sends them: W²' is computed by update 2, L by the loss, δ¹ by backward 1.
    const at = (key: string, layer: number) => source.checks.find((c) => c.key === key && c.layer === layer)?.event;
    assert.deepEqual(at('W_next', 2), { step: 1, kind: 'update', layer: 2 });
    assert.deepEqual(at('loss', 0), { step: 1, kind: 'loss', layer: 0 });
    assert.deepEqual(at('delta', 1), { step: 1, kind: 'backward', layer: 1 });
    assert.deepEqual(
      healthEvent({ kind: 'saturation', severity: 'warning', step: 1, layer: 1, quantity: 'z', message: '' }),
      { step: 1, kind: 'forward', layer: 1 },
    );
    assert.deepEqual(
      healthEvent({ kind: 'non_finite', severity: 'error', step: 3, layer: 0, quantity: 'loss', message: '' }),
      { step: 3, kind: 'loss', layer: 0 },
    );
  });

  it("marks the notes' slips in W²' and b²' (engine coordinates), with the values the notes wrote", () => {
    const wrong = wrongEntries(source.checks, 1, 2);
    // examples/problem1.bp.yaml: W_next row 2 written (2, -0.94, 3.07); b_next written (1.99, 1.01).
    assert.deepEqual([...wrong.get('W_next:2')!], [['1,1', -0.94]]);
    assert.deepEqual([...wrong.get('b_next:2')!].sort(), [
      ['0,0', 1.99],
      ['0,1', 1.01],
    ]);
    assert.equal(wrong.get('z:2'), undefined);
  });
});

describe('panel view model: diagram', () => {
  it('draws every unit and weight of a small network', () => {
    const d = diagramLayout([2, 3, 2]);
    assert.deepEqual(
      d.columns.map((c) => c.collapsed),
      [false, false, false],
    );
    assert.deepEqual(
      d.edges.map((e) => e.lines),
      [true, true],
    );
    assert.equal(d.columns[1].unitPos.length, 3);
    // Units are centred on the same line across columns.
    const mid = (c: (typeof d.columns)[number]) => (c.unitPos[0].y + c.unitPos[c.unitPos.length - 1].y) / 2;
    assert.equal(mid(d.columns[0]), mid(d.columns[1]));
  });

  it("collapses a 784-128-10 network's wide layers into blocks with heatmaps", () => {
    const d = diagramLayout([784, 128, 10]);
    assert.deepEqual(
      d.columns.map((c) => c.collapsed),
      [true, true, false],
    );
    assert.deepEqual(
      d.edges.map((e) => e.lines),
      [false, false],
    );
    for (const e of d.edges) assert.ok(e.block!.w > 0 && e.block!.h > 0);
  });

  it('focuses what each event reads and writes', () => {
    assert.deepEqual([...eventFocus({ step: 1, kind: 'forward', layer: 2 }, 2).columns].sort(), [1, 2]);
    assert.equal(eventFocus({ step: 1, kind: 'loss', layer: 0 }, 2).loss, true);
    assert.deepEqual([...eventFocus({ step: 1, kind: 'backward', layer: 1 }, 2).edges].sort(), [1, 2]);
    assert.equal(eventFocus({ step: 1, kind: 'update', layer: 1 }, 2).byGradient, true);
    assert.equal(unitQuantity({ step: 1, kind: 'forward', layer: 1 }, 2, 2), null, 'a² is not computed at forward 1');
    assert.equal(unitQuantity({ step: 1, kind: 'backward', layer: 2 }, 2, 2), 'delta');
    assert.equal(unitQuantity({ step: 1, kind: 'backward', layer: 2 }, 1, 2), 'a');
  });
});
