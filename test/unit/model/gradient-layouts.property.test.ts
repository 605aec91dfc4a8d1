// Property, end to end through the file format: for random networks written in either
// convention and either batch layout, the gradients the JSON report gives (in the file's own
// orientation) equal central differences of the loss taken by perturbing the FILE's numbers and
// re-parsing. A transposition slip anywhere between text and engine would break it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../../src/analysis/analyze';
import { traceToJson } from '../../../src/report/json';
import { NetworkSpec } from '../../../src/engine/network';
import { toRows, transpose } from '../../../src/engine/tensor';
import { network } from '../engine/arbitraries';

const EPS = 1e-5;

interface FileModel {
  convention: 'out_in' | 'in_out';
  batch_layout: 'rows' | 'columns';
  input: number[][];
  target: number[][];
  layers: { W: number[][]; b: number[]; activation: string }[];
  loss: string;
  optimizer: object;
  regularization: { l2: number };
}

function toFile(spec: NetworkSpec, convention: FileModel['convention'], layout: FileModel['batch_layout']): FileModel {
  const batch = (m: NetworkSpec['input']) => toRows(layout === 'rows' ? m : transpose(m));
  return {
    convention,
    batch_layout: layout,
    input: batch(spec.input),
    target: batch(spec.target),
    layers: spec.layers.map((l) => ({
      W: toRows(convention === 'out_in' ? l.W : transpose(l.W)),
      b: Array.from(l.b),
      activation: l.activation,
    })),
    loss: spec.loss,
    optimizer: spec.optimizer,
    regularization: { l2: spec.l2 },
  };
}

function lossOf(file: FileModel): number {
  const a = analyze(JSON.stringify(file), { fileName: 'p.bp.json', steps: 1 });
  assert.ok(a.trace, a.diagnostics.map((d) => d.message).join('; '));
  return a.trace.steps.get(1).loss.value;
}

describe('property: gradients through the file format (conventions × batch layouts)', () => {
  it("JSON dW/db equal central differences of the file's own numbers", () => {
    fc.assert(
      fc.property(
        network,
        fc.constantFrom('out_in', 'in_out'),
        fc.constantFrom('rows', 'columns'),
        (spec, convention, layout) => {
          const file = toFile(spec, convention, layout);
          const a = analyze(JSON.stringify(file), { fileName: 'p.bp.json', steps: 1 });
          fc.pre(!!a.trace && a.trace.health.every((h) => h.kind !== 'non_finite'));
          // Central differences straddling a ReLU kink are not derivatives; skip those draws.
          fc.pre(
            a.trace.steps
              .get(1)
              .forward.every(
                (f) =>
                  !(f.activation === 'relu' || f.activation === 'leaky_relu') ||
                  f.z.data.every((z) => Math.abs(z) > 1e-3),
              ),
          );
          const json = traceToJson(a.trace, {
            name: '',
            convention: file.convention,
            batchLayout: file.batch_layout,
          }) as { steps: { loss: number; layers: { dW: number[][]; db: number[] }[] }[] };
          const atol = (50 * 1e-16 * Math.max(1, Math.abs(json.steps[0].loss))) / EPS;
          file.layers.forEach((layer, l) => {
            const check = (analytic: number, get: () => number, set: (v: number) => void, what: string) => {
              const orig = get();
              set(orig + EPS);
              const up = lossOf(file);
              set(orig - EPS);
              const down = lossOf(file);
              set(orig);
              const numeric = (up - down) / (2 * EPS);
              assert.ok(
                Math.abs(analytic - numeric) <= atol + 1e-6 * Math.max(Math.abs(analytic), Math.abs(numeric)),
                `${convention}/${layout} layer ${l + 1} ${what}: reported ${analytic}, numeric ${numeric}`,
              );
            };
            layer.W.forEach((row, r) =>
              row.forEach((_, c) =>
                check(
                  json.steps[0].layers[l].dW[r][c],
                  () => layer.W[r][c],
                  (v) => {
                    layer.W[r][c] = v;
                  },
                  `dW[${r}][${c}]`,
                ),
              ),
            );
            layer.b.forEach((_, j) =>
              check(
                json.steps[0].layers[l].db[j],
                () => layer.b[j],
                (v) => {
                  layer.b[j] = v;
                },
                `db[${j}]`,
              ),
            );
          });
        },
      ),
      { numRuns: 60, seed: 20261121 },
    );
  });
});
