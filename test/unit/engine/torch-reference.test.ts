// `backprop trace --format json` against PyTorch on conv, pooling and flatten nets and the margin
// losses: every field of every step, to 1e-9 relative (1e-15 absolute for values that are 0 up to
// rounding in one program and not the other). The models and PyTorch's values are
// written by test/reference/torch_conv.py (float64, one thread), checked in beside it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/analysis/analyze';
import { traceToJson } from '../../../src/report/json';
import { ROOT } from '../model/helpers';

const RTOL = 1e-9;
/** Entries a million times smaller than the largest of their field are rounding noise, compared at that scale. */
const NOISE = 1e-6;
/** Values that are 0 up to rounding (a sum that cancels): a few ulps of the O(1) numbers they come from. */
const ATOL = 1e-15;

const MODELS = join(ROOT, 'test', 'reference', 'models');
const EXPECTED = join(ROOT, 'test', 'reference', 'expected');

type Json = number | string | null | boolean | Json[] | { [k: string]: Json };

function largest(x: Json): number {
  if (typeof x === 'number') return Math.abs(x);
  if (Array.isArray(x)) return x.reduce((m: number, v) => Math.max(m, largest(v)), 0);
  return 0;
}

/** Every number of `expected` against the same place in `actual`, nested the same way. */
function compare(actual: Json | undefined, expected: Json, at: string, scale: number, worst: { rel: number }): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${at}: expected a number, got ${JSON.stringify(actual)}`);
    const a = actual as number;
    const diff = Math.abs(a - expected);
    const allowed = RTOL * Math.max(Math.abs(expected), NOISE * scale) + ATOL;
    worst.rel = Math.max(
      worst.rel,
      Math.max(0, diff - ATOL) / Math.max(Math.abs(expected), NOISE * scale, Number.MIN_VALUE),
    );
    assert.ok(diff <= allowed, `${at}: engine ${a}, PyTorch ${expected} (|diff| ${diff} > ${allowed})`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${at}: expected a list of ${expected.length}, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${at}: ${actual.length} entries, PyTorch has ${expected.length}`);
    expected.forEach((e, i) => compare(actual[i], e, `${at}[${i}]`, scale, worst));
  }
}

describe('backprop trace --format json against PyTorch (test/reference)', () => {
  const names = readdirSync(MODELS)
    .filter((f) => f.endsWith('.bp.json'))
    .map((f) => f.replace(/\.bp\.json$/, ''));

  it('has the reference cases torch_conv.py writes', () => {
    assert.ok(names.length >= 7, `found ${names.join(', ')}`);
  });

  for (const name of names) {
    it(`${name}: every field of every step within 1e-9 relative`, () => {
      const file = join(MODELS, `${name}.bp.json`);
      const a = analyze(readFileSync(file, 'utf8'), { fileName: file });
      const errors = a.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors, [], 'the model parses without errors');
      assert.ok(a.model && a.trace);
      const json = traceToJson(a.trace, {
        name: a.model.name,
        convention: a.model.convention,
        batchLayout: a.model.batchLayout,
      }) as { steps: { [k: string]: Json }[] };
      const expected = JSON.parse(readFileSync(join(EXPECTED, `${name}.json`), 'utf8')) as {
        steps: { [k: string]: Json }[];
      };
      assert.equal(json.steps.length, expected.steps.length, 'steps');
      const worst = { rel: 0 };
      let fields = 0;
      expected.steps.forEach((step, s) => {
        const got = json.steps[s];
        for (const key of ['loss', 'loss_data', 'loss_l2', 'dL_da', 'input_grad']) {
          compare(got[key], step[key], `step ${s + 1} ${key}`, largest(step[key]), worst);
          fields++;
        }
        const layers = step.layers as { [k: string]: Json }[];
        const gotLayers = got.layers as { [k: string]: Json }[];
        assert.equal(gotLayers.length, layers.length, 'layers');
        layers.forEach((layer, l) => {
          for (const [key, value] of Object.entries(layer)) {
            compare(gotLayers[l][key], value, `step ${s + 1} layer ${l + 1} ${key}`, largest(value), worst);
            fields++;
          }
          // Layers without parameters have no parameter fields, in either.
          for (const key of ['W', 'b', 'dW', 'db', 'W_next', 'b_next'])
            assert.equal(key in gotLayers[l], key in layer, `step ${s + 1} layer ${l + 1}: ${key} present?`);
        });
      });
      assert.ok(fields > 10, `${fields} fields compared`);
      assert.ok(worst.rel <= RTOL, `worst relative difference ${worst.rel}`);
    });
  }
});
