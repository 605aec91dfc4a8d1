// The host's pure pieces: the messages it builds from a trace and where the notes' slips are marked.
// (Where a clicked value is written in the file: test/unit/model/places.test.ts.)
import assert from 'node:assert/strict';
import { documentData, stepData } from '../../../src/extension/panel/payload';
import { renderWorked } from '../../../src/report/worked';
import { example } from './fixtures';

const settings = { digits: 6, numberFormat: 'auto' as const };

describe('panel host: payload', () => {
  it('summarises problem 1: 2-3-2, loss 109, its checks and no warnings', () => {
    const { source } = example('problem1.bp.yaml');
    const d = documentData(source, 4);
    assert.equal(d.revision, 4);
    assert.deepEqual(d.widths, [2, 3, 2]);
    assert.deepEqual(Array.from(d.losses), [109]);
    assert.equal(d.batch, 1);
    assert.equal(d.optimizer, 'SGD, α = 0.01');
    assert.equal(d.checks.length, 15);
    assert.deepEqual(
      d.checks.filter((c) => !c.ok).map((c) => `${c.key}${c.layer}`),
      ['b_next1', 'W_next2', 'b_next2'],
    );
  });

  it('sends one step with the equations of its 3L + 1 events, numbers substituted', () => {
    const { source } = example('problem1.bp.yaml');
    const s = stepData(source.trace, 1, 'out_in', settings);
    assert.equal(s.equations.length, 7);
    assert.match(s.equations[1].lines[0].text, /= \(15, -4\)$/, 'z² = (15, −4)');
    assert.match(s.equations[4].lines[0].text, /= \(-1, 33, -60\)$/, 'δ¹ = (−1, 33, −60)');
    assert.match(s.equations[6].lines[0].text, /= \[\[1, 0\.96, -3\.13\], \[2, -0\.44, 3\.07\]\]$/, "W²'");
    assert.throws(() => stepData(source.trace, 2, 'out_in', settings), RangeError);
  });

  it("marks the slips of problem 3 (examples as columns) in the engine's layout", () => {
    const { source } = example('problem3-batch.bp.yaml');
    const wrong = (key: string, layer: number) => source.checks.find((c) => c.key === key && c.layer === layer)!.wrong;
    // z³ written (39, −11, 21): the first example is wrong → [example 0, unit 0].
    assert.deepEqual(wrong('z', 3), [[0, 0]]);
    // ∂L/∂W² written with 169 (for 167) in the last column of both rows → [out 0..1, in 2].
    assert.deepEqual(wrong('dW', 2), [
      [0, 2],
      [1, 2],
    ]);
    // ∂L/∂W³ written 2/3 · (1252, 655): the first entry → [out 0, in 0].
    assert.deepEqual(wrong('dW', 3), [[0, 0]]);
    assert.deepEqual(wrong('delta', 1), []);
  });
});

describe('panel host: exporting the step it shows', () => {
  it('renders one step of a 5-step run as a worked solution (renderWorked with steps)', () => {
    const { source } = example('classifier.bp.json');
    const text = renderWorked(
      source.trace,
      {
        name: source.name,
        convention: source.convention,
        widths: source.widths,
        activations: source.activations,
        loss: source.loss,
        steps: [2],
      },
      'markdown',
    );
    assert.match(text, /^## Step 2: loss /m);
    assert.doesNotMatch(text, /^## Step [13-5]/m);
    // One step of a 2-layer network: 3L + 1 = 7 events.
    assert.equal(text.match(/^\*\*(Forward|Loss|Backward|Update)/gm)?.length, 7);
  });
});
