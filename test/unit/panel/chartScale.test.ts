// The loss chart's arithmetic (webview/chartScale.ts), with expected values worked out by hand.
import assert from 'node:assert/strict';
import {
  envelope,
  logTicks,
  makeScale,
  niceTicks,
  prefersLog,
  stepAt,
  stepTicks,
  withOptimum,
} from '../../../webview/chartScale';

describe('loss chart: scales and ticks', () => {
  it('ticks are round numbers 1, 2, 5 × 10ᵏ covering the range', () => {
    // 1500 / 5 = 300 per tick → the next round step is 500.
    assert.deepEqual(niceTicks(0, 1500, 5), [0, 500, 1000, 1500]);
    // 0.35 … 0.85 in 4: 0.125 → 0.2.
    assert.deepEqual(niceTicks(0.35, 0.85, 4), [0.4, 0.6, 0.8]);
    assert.deepEqual(niceTicks(-3, 3, 3), [-2, 0, 2]);
  });

  it('a log axis gets its decades; steps never tick 0 or past the run', () => {
    assert.deepEqual(logTicks(0.003, 25, 4), [0.01, 0.1, 1, 10]);
    // Ten decades in about four ticks: every third decade (10ᵉ as the axis computes it).
    assert.deepEqual(
      logTicks(1e-9, 1, 4),
      [-9, -6, -3, 0].map((e) => 10 ** e),
    );
    assert.deepEqual(stepTicks(100_000, 5), [20_000, 40_000, 60_000, 80_000, 100_000]);
    assert.deepEqual(stepTicks(3, 8), [1, 2, 3]);
  });

  it('maps a value into 0…1, in log10 on a log scale; a flat curve sits in the middle', () => {
    const lin = makeScale({ lo: 2, hi: 6 }, false);
    assert.equal(lin.at(2), 0);
    assert.equal(lin.at(5), 0.75);
    const log = makeScale({ lo: 0.01, hi: 100 }, true);
    assert.equal(log.at(1), 0.5);
    assert.equal(makeScale({ lo: 3, hi: 3 }, false).at(3), 0.5);
    assert.equal(prefersLog(Float64Array.of(10, 1, 0.05), 3), true);
    assert.equal(prefersLog(Float64Array.of(10, 1, 0), 3), false, 'not with a zero loss');
    assert.equal(prefersLog(Float64Array.of(0.85, 0.35), 2), false);
  });

  it('a long run draws as each column’s lowest and highest loss, a spike included', () => {
    const n = 1_000_001;
    const losses = new Float64Array(n).fill(1);
    losses[500_000] = 7; // one step in the middle column
    losses[10] = NaN;
    const { min, max } = envelope(losses, n, 11);
    assert.deepEqual(Array.from(max), [1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(min), new Array(11).fill(1));
  });

  it('the step under the pointer: the first at the left edge, the last at the right', () => {
    assert.equal(stepAt(0, 1500), 1);
    assert.equal(stepAt(1, 1500), 1500);
    assert.equal(stepAt(0.5, 3), 2);
    assert.equal(stepAt(-0.2, 10), 1);
    assert.equal(stepAt(1.3, 10), 10);
  });

  it('a least-squares optimum widens the range, with 8% of room below it (never below 0 on a linear scale)', () => {
    // Linear: losses 1 … 9, L* = 0.5 → span 8.5, room 0.68 → lo max(0, −0.18) = 0.
    assert.deepEqual(withOptimum({ lo: 1, hi: 9 }, 0.5, false), { lo: 0, hi: 9 });
    // Linear: losses 10 … 20, L* = 8 → span 12, room 0.96 → lo 7.04.
    const r = withOptimum({ lo: 10, hi: 20 }, 8, false);
    assert.ok(Math.abs(r.lo - 7.04) < 1e-12 && r.hi === 20, JSON.stringify(r));
    // Log: 10⁻¹ … 10¹ with L* = 10⁻² → decades −2 … 1, room 0.24 decades → lo 10^−2.24.
    const g = withOptimum({ lo: 0.1, hi: 10 }, 0.01, true);
    assert.ok(Math.abs(Math.log10(g.lo) + 2.24) < 1e-12 && Math.abs(g.hi - 10) < 1e-12, JSON.stringify(g));
    // L* = 0 has no place on a log scale: the range stays the data's.
    assert.deepEqual(withOptimum({ lo: 0.1, hi: 10 }, 0, true), { lo: 0.1, hi: 10 });
    assert.deepEqual(withOptimum({ lo: 0.1, hi: 10 }, undefined, true), { lo: 0.1, hi: 10 });
  });
});
