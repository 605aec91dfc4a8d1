// `backprop check` and `backprop trace` on the conv, pooling and flatten nets and margin losses of
// test/reference (written by torch_conv.py): the gradient check passes, every text format prints
// every event, and a shape error is reported at the layer.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main';

const root = resolve(__dirname, '../../../..');
const models = join(root, 'test', 'reference', 'models');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

describe('backprop on layer kinds and margin losses', () => {
  const files = readdirSync(models).filter((f) => f.endsWith('.bp.json'));

  for (const f of files) {
    it(`check ${f}: exit 0, the gradient check passes`, async () => {
      const r = await run('check', join(models, f));
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /gradient check passed: \d+ parameters/);
    });
  }

  it('trace prints every event of a conv net in table, markdown and latex', async () => {
    const file = join(models, 'stride-padding-avgpool.bp.json');
    for (const format of ['table', 'markdown', 'latex']) {
      const r = await run('trace', file, '--format', format);
      assert.equal(r.code, 0, r.err);
      for (const title of ['Forward, layer 1', 'Forward, layer 2', 'Backward, layer 3', 'Update, layer 4'])
        assert.ok(r.out.includes(title), `${format}: ${title}`);
      assert.ok(!/NaN|undefined/.test(r.out), `${format} has no NaN or undefined`);
    }
    const table = (await run('trace', file)).out;
    assert.match(
      table,
      /Network 2×5×5 → conv2d 3@3×3 tanh → 3×3×3 → avgpool2d 2×2 → 3×2×2 → flatten → 12 → dense sigmoid → 3/,
    );
    assert.match(table, /z¹\[1\]\[1\]\[1\] = Σ_c Σ_i Σ_j W¹\[1\]\[c\]\[i\]\[j\] a⁰\[c\]\[i\]\[j\] \+ b¹\[1\] = /);
    assert.match(table, /no parameters: avgpool2d 2×2, stride 1 has nothing to update/);
  });
});
