// The stepping session: the event order of the notes (forward 1..L, loss, backward L..1,
// update 1..L per step), clamped moves, breakpoints, listeners.
import assert from 'node:assert/strict';
import { train } from '../../../src/engine/run';
import { TraceSession } from '../../../src/engine/session';
import { TraceEvent } from '../../../src/engine/trace';
import { problem1 } from './helpers';

const spec = problem1(undefined, undefined, { steps: 2 });
const name = (e: TraceEvent | undefined) => (e ? `${e.step}:${e.kind}:${e.layer}` : 'none');

describe('TraceSession', () => {
  it('orders each step forward 1..L, loss, backward L..1, update 1..L', () => {
    const s = new TraceSession(train(spec));
    assert.deepEqual(
      Array.from({ length: s.length }, (_, i) => name(s.eventAt(i))),
      [
        '1:forward:1',
        '1:forward:2',
        '1:loss:0',
        '1:backward:2',
        '1:backward:1',
        '1:update:1',
        '1:update:2',
        '2:forward:1',
        '2:forward:2',
        '2:loss:0',
        '2:backward:2',
        '2:backward:1',
        '2:update:1',
        '2:update:2',
      ],
    );
  });
  it('next/previous/first/last clamp at the ends; jump clamps and truncates', () => {
    const s = new TraceSession(train(spec));
    assert.equal(name(s.previous()), '1:forward:1');
    assert.ok(s.atStart);
    assert.equal(name(s.next()), '1:forward:2');
    assert.equal(name(s.last()), '2:update:2');
    assert.ok(s.atEnd);
    assert.equal(name(s.next()), '2:update:2');
    assert.equal(name(s.jump(-5)), '1:forward:1');
    assert.equal(name(s.jump(3.9)), '1:backward:2');
  });
  it('starts at, and jumps to, a given event; an unknown one is refused', () => {
    const t = train(spec);
    const s = new TraceSession(t, { step: 2, kind: 'loss', layer: 0 });
    assert.equal(s.position, 9);
    assert.equal(name(s.jumpTo({ step: 1, kind: 'update', layer: 2 })), '1:update:2');
    assert.equal(s.jumpTo({ step: 3, kind: 'loss', layer: 0 }), undefined);
    assert.equal(name(s.current), '1:update:2');
    assert.equal(new TraceSession(t, { step: 9, kind: 'loss', layer: 0 }).position, 0);
  });
  it('continueUntil stops at the next breakpoint, or runs to the end', () => {
    const s = new TraceSession(train(spec));
    assert.equal(name(s.continueUntil((e) => e.kind === 'backward' && e.layer === 1)), '1:backward:1');
    assert.equal(name(s.continueUntil((e) => e.kind === 'backward' && e.layer === 1)), '2:backward:1');
    assert.equal(name(s.continueUntil(() => false)), '2:update:2');
  });
  it('tells listeners of each move, not of a move to where it already is; dispose stops them', () => {
    const s = new TraceSession(train(spec));
    const seen: string[] = [];
    const sub = s.onDidMove((e, i) => seen.push(`${name(e)}@${i}`));
    s.next();
    s.previous();
    s.previous();
    sub.dispose();
    s.last();
    assert.deepEqual(seen, ['1:forward:2@1', '1:forward:1@0']);
  });
});
