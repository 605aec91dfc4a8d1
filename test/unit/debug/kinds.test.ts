// The debugger on a conv net (the example, test/reference): every event stops, every
// scope and variable answers, and image quantities evaluate — flat, as the debugger shows
// matrices — with the numbers worked by hand: z¹ = (−0.4 ×4, 0.7, 0.9, 1.3, 1.5).
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { DapClient } from './dapClient';

const TINY_CNN = join(resolve(__dirname, '../../../..'), 'test', 'reference', 'models', 'issue-example.bp.json');

describe('debug adapter on a conv net', function () {
  this.timeout(30_000);
  let dc: DapClient;
  beforeEach(async () => {
    dc = new DapClient();
    await dc.start();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('stops at each of the 13 events; scopes, variables and Watch answer at every one', async () => {
    const first = dc.stopped();
    await dc.launchWith({ program: TINY_CNN, stopOnEntry: true });
    let { top } = await first;
    const seen: string[] = [];
    for (let k = 0; k < 13; k++) {
      seen.push(top.name);
      const scopes = (await dc.scopesRequest({ frameId: top.id })).body.scopes;
      for (const s of scopes) {
        const vars = (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
        for (const v of vars.filter((x) => x.variablesReference > 0).slice(0, 4))
          await dc.variablesRequest({ variablesReference: v.variablesReference });
      }
      if (k === 0) {
        const z = JSON.parse(await dc.value('z1')) as number[];
        const byHand = [-0.4, -0.4, -0.4, -0.4, 0.7, 0.9, 1.3, 1.5];
        z.forEach((x, i) => assert.ok(Math.abs(x - byHand[i]) < 1e-12, `z1[${i}] = ${x}`));
      }
      if (k === 12) break;
      ({ top } = await dc.step(() => dc.nextRequest({ threadId: 1 })));
    }
    assert.deepEqual(seen.slice(0, 5), [
      'forward · layer 1 · step 1',
      'forward · layer 2 · step 1',
      'forward · layer 3 · step 1',
      'forward · layer 4 · step 1',
      'loss · step 1',
    ]);
    assert.equal(seen[12], 'update · layer 4 · step 1');
  });
});
