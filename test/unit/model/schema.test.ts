// media/bp-model.schema.json is the one statement of the model file's keys, types, ranges and
// defaults: the editor completes with it and the parser validates with code compiled from it. These
// tests walk the schema file itself and check that each thing it says is what the parser does, at
// the place it says it: every enum, bound, type, closed mapping, required key and default.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVATIONS, LOSSES, OPTIMIZERS } from '../../../src/engine/network';
import { INITS } from '../../../src/engine/init';
import { parseModel } from '../../../src/model/parse';
import { Model, ModelDiagnostic } from '../../../src/model/types';
import { schema as compiledFrom } from '../../../src/model/schemaValidator';
import { ROOT } from './helpers';

interface SchemaNode {
  readonly $ref?: string;
  readonly description?: string;
  readonly type?: string | string[];
  readonly enum?: unknown[];
  readonly default?: unknown;
  readonly examples?: unknown[];
  readonly properties?: Record<string, SchemaNode>;
  readonly required?: string[];
  readonly additionalProperties?: boolean;
  readonly items?: SchemaNode;
  readonly if?: SchemaNode;
  readonly then?: SchemaNode;
  readonly else?: SchemaNode;
  readonly allOf?: SchemaNode[];
  readonly oneOf?: SchemaNode[];
  readonly anyOf?: SchemaNode[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly definitions?: Record<string, SchemaNode>;
}

type Path = (string | number)[];

const schema = JSON.parse(readFileSync(join(ROOT, 'media', 'bp-model.schema.json'), 'utf8')) as SchemaNode & {
  $schema: string;
};

function deref(s: SchemaNode): SchemaNode {
  if (!s.$ref) return s;
  const target = schema.definitions?.[s.$ref.replace('#/definitions/', '')];
  assert.ok(target, `${s.$ref} exists`);
  const { $ref: _ref, ...siblings } = s;
  return { ...deref(target), ...siblings };
}

/** Every schema that applies beside `s` (its $ref, then/else, allOf entries). */
function branches(s: SchemaNode): SchemaNode[] {
  const d = deref(s);
  return [d, ...[d.then, d.else, ...(d.allOf ?? [])].filter((b): b is SchemaNode => b !== undefined).flatMap(branches)];
}

/** Every mapping the schema describes, with the place of an instance in a file (list items at index 0). */
function mappings(
  s: SchemaNode = schema,
  path: Path = [],
  out: { path: Path; schema: SchemaNode }[] = [],
): { path: Path; schema: SchemaNode }[] {
  for (const b of branches(s)) {
    if (b.properties || b.required) out.push({ path, schema: b });
    for (const [k, p] of Object.entries(b.properties ?? {})) mappings(p, [...path, k], out);
    if (b.items) mappings(b.items, [...path, 0], out);
  }
  return out;
}

/** Every key the schema describes: where it sits in a file, and its schema ($ref resolved). */
const KEYS = mappings().flatMap(({ path, schema: m }) =>
  Object.entries(m.properties ?? {}).map(([k, p]) => ({ path: [...path, k], schema: deref(p), at: path })),
);

/** Problem 1 of the notes, with an expect block on layer 1 and at the top: a valid file with every kind of place. */
function base(): Record<string, unknown> {
  return {
    input: [1, 1],
    target: [2, 3],
    layers: [
      {
        W: [
          [1, -2],
          [2, 4],
          [-3, 1],
        ],
        b: [1, 2, 3],
        activation: 'identity',
        expect: { z: [0, 8, 1] },
      },
      {
        W: [
          [1, 2, -3],
          [2, -1, 3],
        ],
        b: [2, 1],
        activation: 'identity',
      },
    ],
    loss: 'half_sse',
    optimizer: { type: 'sgd', lr: 0.01 },
    expect: { loss: 109 },
  };
}

function setAt(o: Record<string, unknown>, path: Path, v: unknown): void {
  let c: Record<string | number, unknown> = o;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      c[seg] = v;
      return;
    }
    const wantList = typeof path[i + 1] === 'number';
    if (wantList ? !Array.isArray(c[seg]) : typeof c[seg] !== 'object' || c[seg] === null || Array.isArray(c[seg]))
      c[seg] = wantList ? [{}] : {};
    c = c[seg] as Record<string | number, unknown>;
  });
}

const MARK = '"__here__"';

/** The file with `value` at `path`, and the offsets where that value is written. */
function fileWith(
  path: Path,
  value: unknown,
  edit?: (o: Record<string, unknown>) => void,
): { text: string; start: number; end: number } {
  const o = base();
  edit?.(o);
  setAt(o, path, '__here__');
  const marked = JSON.stringify(o, null, 2);
  const start = marked.indexOf(MARK);
  const written = JSON.stringify(value);
  return { text: marked.replace(MARK, written), start, end: start + written.length };
}

function parse(text: string): { model?: Model; diagnostics: readonly ModelDiagnostic[] } {
  return parseModel(text, { fileName: 'schema-test.bp.json' });
}

/** The one diagnostic of `code` at exactly [start, end). */
function at(text: string, start: number, end: number, code: string): ModelDiagnostic {
  const ds = parse(text).diagnostics;
  const here = ds.filter((d) => d.code === code && d.range.start.offset === start && d.range.end.offset === end);
  assert.equal(
    here.length,
    1,
    `one ${code} at ${JSON.stringify(text.slice(start, end))}: ${JSON.stringify(ds.map((d) => `${d.code} ${text.slice(d.range.start.offset, d.range.end.offset)}: ${d.message}`))}`,
  );
  return here[0];
}

const label = (path: Path): string => path.join('.');

describe('media/bp-model.schema.json drives the parser', () => {
  it('is draft-07, and the parser was compiled from this very file (less the words only people read)', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const forTheParser = (s: unknown): unknown => {
      if (Array.isArray(s)) return s.map(forTheParser);
      if (typeof s !== 'object' || s === null) return s;
      const speaks = 'required' in s && !('properties' in s);
      return Object.fromEntries(
        Object.entries(s)
          .filter(([k]) => !['title', '$comment', ...(speaks ? [] : ['description'])].includes(k))
          .map(([k, v]) => [k, forTheParser(v)]),
      );
    };
    assert.deepEqual(compiledFrom, forTheParser(schema), 'run `npm run build` after editing the schema');
  });

  it("lists the engine's activations, losses, optimizers and inits", () => {
    const enumOf = (path: string) => KEYS.find((k) => label(k.path) === path)?.schema.enum;
    assert.deepEqual(enumOf('layers.0.activation'), [...ACTIVATIONS]);
    assert.deepEqual(enumOf('loss'), [...LOSSES]);
    assert.deepEqual(enumOf('optimizer.type'), [...OPTIMIZERS]);
    assert.deepEqual(enumOf('layers.0.init'), [...INITS]);
  });

  it('describes every key', () => {
    assert.deepEqual(
      KEYS.filter((k) => !k.schema.description).map((k) => label(k.path)),
      [],
    );
  });

  it('tells alternatives apart by type (if/then/else), so that a mistake gets one message', () => {
    const text = JSON.stringify(schema);
    assert.ok(!/"(oneOf|anyOf)"/.test(text), 'no oneOf/anyOf: ajv would report every alternative');
  });

  it('the base file is valid', () => {
    const r = parse(JSON.stringify(base()));
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.model);
  });

  describe('every enum: a near miss is an error on the value, listing exactly the schema’s values', () => {
    for (const k of KEYS.filter((x) => x.schema.enum)) {
      it(label(k.path), () => {
        const allowed = (k.schema.enum as string[]).map(String);
        const { text, start, end } = fileWith(k.path, allowed[0] + 'x');
        const d = at(text, start, end, 'enum');
        assert.ok(d.message.endsWith(`(one of ${allowed.join(', ')})`), d.message);
        assert.match(d.message, new RegExp(`did you mean "${allowed[0]}"`));
      });
    }
  });

  describe('every bound: just past it is an error on the value; at it, as the schema says', () => {
    const bounded = KEYS.filter((k) =>
      ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].some((b) => b in k.schema),
    );
    assert.ok(bounded.length >= 8);
    for (const k of bounded) {
      it(label(k.path), () => {
        const step = k.schema.type === 'integer' ? 1 : 0.5;
        const cases: [number, boolean][] = [];
        if (k.schema.minimum !== undefined) cases.push([k.schema.minimum - step, false], [k.schema.minimum, true]);
        if (k.schema.maximum !== undefined) cases.push([k.schema.maximum + step, false], [k.schema.maximum, true]);
        if (k.schema.exclusiveMinimum !== undefined) cases.push([k.schema.exclusiveMinimum, false]);
        if (k.schema.exclusiveMaximum !== undefined) cases.push([k.schema.exclusiveMaximum, false]);
        for (const [v, ok] of cases) {
          const { text, start, end } = fileWith(k.path, v);
          if (!ok) {
            assert.match(
              at(text, start, end, 'range').message,
              /must be (at least|at most|greater than|below|between)/,
            );
            continue;
          }
          const here = parse(text).diagnostics.filter((d) => d.range.start.offset === start && d.severity === 'error');
          assert.deepEqual(here, [], `${v} is allowed at ${label(k.path)}`);
        }
      });
    }
  });

  describe('every type: a value of another type is an error on the value', () => {
    for (const k of KEYS.filter((x) => x.schema.type !== undefined || x.schema.enum)) {
      it(label(k.path), () => {
        const types = [k.schema.type ?? []].flat();
        const wrong = types.includes('string') ? true : 'x';
        const { text, start, end } = fileWith(k.path, k.schema.enum ? 5 : wrong);
        at(text, start, end, 'type');
        if (types.includes('integer')) {
          const half = fileWith(k.path, 1.5);
          assert.match(at(half.text, half.start, half.end, 'type').message, /must be a whole number/);
        }
      });
    }
  });

  describe('every closed mapping: an unknown key is a warning on the key, the rest still read', () => {
    for (const m of mappings().filter((x) => x.schema.additionalProperties === false)) {
      it(label(m.path) || '(top)', () => {
        const { text, start } = fileWith([...m.path, 'zz_unknown'], 1);
        const key = text.lastIndexOf('"zz_unknown"', start) + 1;
        assert.equal(at(text, key, key + 'zz_unknown'.length, 'unknown-key').severity, 'warning');
        assert.ok(parse(text).model, 'a warning does not stop the model');
      });
    }
  });

  describe('every required key: leaving it out is an error at the first line of its mapping', () => {
    for (const m of mappings().filter((x) => x.schema.required && x.schema.properties)) {
      for (const key of m.schema.required ?? []) {
        it(`${label(m.path) || '(top)'}: ${key}`, () => {
          const o = base();
          const owner = m.path.reduce<Record<string | number, unknown>>(
            (c, seg) => c[seg] as Record<string | number, unknown>,
            o,
          );
          delete owner[key];
          const text = JSON.stringify(o, null, 2);
          const ds = parse(text).diagnostics.filter((d) => d.code === 'missing');
          assert.equal(ds.length, 1, JSON.stringify(ds));
          assert.match(ds[0].message, new RegExp(`no ${key}\\b`));
        });
      }
    }
  });

  it('every default is what the model holds when the key is not written', () => {
    // Where each default shows in the Model, and what the file needs for it to matter.
    const shown: Record<string, { read: (m: Model) => unknown; edit?: (o: Record<string, unknown>) => void }> = {
      convention: { read: (m) => m.convention },
      batch_layout: { read: (m) => m.batchLayout },
      steps: { read: (m) => m.spec.steps },
      seed: { read: (m) => m.seed, edit: (o) => setAt(o, ['layers', 1], { units: 2, activation: 'identity' }) },
      'optimizer.type': { read: (m) => m.spec.optimizer.type },
      'optimizer.momentum': {
        read: (m) => (m.spec.optimizer.type === 'momentum' ? m.spec.optimizer.momentum : undefined),
        edit: (o) => setAt(o, ['optimizer', 'type'], 'momentum'),
      },
      'optimizer.beta1': {
        read: (m) => (m.spec.optimizer.type === 'adam' ? m.spec.optimizer.beta1 : undefined),
        edit: (o) => setAt(o, ['optimizer', 'type'], 'adam'),
      },
      'optimizer.beta2': {
        read: (m) => (m.spec.optimizer.type === 'adam' ? m.spec.optimizer.beta2 : undefined),
        edit: (o) => setAt(o, ['optimizer', 'type'], 'adam'),
      },
      'optimizer.eps': {
        read: (m) => (m.spec.optimizer.type === 'adam' ? m.spec.optimizer.eps : undefined),
        edit: (o) => setAt(o, ['optimizer', 'type'], 'adam'),
      },
      regularization: { read: (m) => (m.spec.l2 === 0 ? {} : undefined) },
      'regularization.l2': { read: (m) => m.spec.l2 },
      gradcheck: { read: (m) => (m.gradcheckEpsilon === 1e-4 ? {} : undefined) },
      'gradcheck.epsilon': { read: (m) => m.gradcheckEpsilon },
      'layers.0.type': { read: (m) => (m.spec.layers.length === 2 ? 'dense' : undefined) },
      'layers.0.init': {
        read: (m) => m.initializers?.[1],
        edit: (o) => setAt(o, ['layers', 1], { units: 2, activation: 'identity' }),
      },
      'layers.0.expect.step': { read: (m) => m.expectations.find((e) => e.key === 'z')?.step },
      'layers.0.expect.0.step': {
        read: (m) => m.expectations.find((e) => e.key === 'z')?.step,
        edit: (o) => setAt(o, ['layers', 0, 'expect'], [{ z: [0, 8, 1] }]),
      },
      'expect.step': { read: (m) => m.expectations.find((e) => e.key === 'loss')?.step },
      'expect.0.step': {
        read: (m) => m.expectations.find((e) => e.key === 'loss')?.step,
        edit: (o) => setAt(o, ['expect'], [{ loss: 109 }]),
      },
    };
    const withDefault = KEYS.filter((k) => k.schema.default !== undefined);
    assert.deepEqual(
      withDefault.map((k) => label(k.path)).filter((p) => !(p in shown)),
      [],
      'a default the test does not check yet',
    );
    for (const k of withDefault) {
      const how = shown[label(k.path)];
      const o = base();
      how.edit?.(o);
      const r = parse(JSON.stringify(o, null, 2));
      assert.ok(r.model, `${label(k.path)}: ${JSON.stringify(r.diagnostics)}`);
      assert.deepEqual(how.read(r.model), k.schema.default, label(k.path));
    }
  });
});
