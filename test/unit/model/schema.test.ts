// media/bp-model.schema.json is the one statement of the model file's keys, types, ranges and
// defaults: the editor completes with it and the parser validates with code compiled from it. These
// tests walk the schema file itself and check that each thing it says is what the parser does, at
// the place it says it: every enum, bound, type, closed mapping, required key and default.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVATIONS, LAYER_TYPES, LOSSES, OPTIMIZERS } from '../../../src/engine/network';
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
  readonly const?: unknown;
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

/** The layer kinds a file can have; every key inside a layer is tried in a file whose layer 1 is of its kind. */
type Kind = 'dense' | 'conv2d' | 'maxpool2d' | 'flatten';

/** The kind a layer branch applies to: the `type` its `if` asks for (the first, for pooling's two). */
function kindOfBranch(b: SchemaNode): Kind | undefined {
  const t = b.if?.properties?.type;
  const k = t?.const ?? t?.enum?.[0];
  return k as Kind | undefined;
}

/** Every schema that applies beside `s` (its $ref, then/else, allOf entries), with the layer kind it belongs to. */
function branches(s: SchemaNode, kind?: Kind, seen: ReadonlySet<string> = new Set()): { b: SchemaNode; kind?: Kind }[] {
  // A definition that holds itself (a tensor is a list of tensors) is walked once per path.
  if (s.$ref && seen.has(s.$ref)) return [];
  const inner = s.$ref ? new Set([...seen, s.$ref]) : seen;
  const d = deref(s);
  const out: { b: SchemaNode; kind?: Kind }[] = [{ b: d, ...(kind ? { kind } : {}) }];
  for (const x of [d.then, d.else]) if (x) out.push(...branches(x, kind, inner));
  for (const x of d.allOf ?? []) out.push(...branches(x.then ?? x, kindOfBranch(x) ?? kind, inner));
  return out;
}

interface Mapping {
  readonly path: Path;
  readonly schema: SchemaNode;
  readonly kind?: Kind;
}

/** Every mapping the schema describes, with the place of an instance in a file (list items at index 0). */
function mappings(
  s: SchemaNode = schema,
  path: Path = [],
  out: Mapping[] = [],
  kind?: Kind,
  seen: ReadonlySet<string> = new Set(),
): Mapping[] {
  for (const { b, kind: k } of branches(s, kind, seen)) {
    const inner = s.$ref ? new Set([...seen, s.$ref]) : seen;
    if (b.properties || b.required) out.push({ path, schema: b, ...(k ? { kind: k } : {}) });
    for (const [key, p] of Object.entries(b.properties ?? {})) mappings(p, [...path, key], out, k, inner);
    if (b.items && !(b.items.$ref && inner.has(b.items.$ref))) mappings(b.items, [...path, 0], out, k, inner);
  }
  return out;
}

/** Every key the schema describes: where it sits in a file, its schema ($ref resolved) and its layer's kind. */
const KEYS = mappings().flatMap(({ path, schema: m, kind }) =>
  Object.entries(m.properties ?? {}).map(([k, p]) => ({
    path: [...path, k],
    schema: deref(p),
    at: path,
    ...(kind && kind !== 'dense' ? { kind } : {}),
  })),
);

/** An enum the schema gives directly, or in the branch for strings (loss: a name or {type, margin}). */
function enumOf(s: SchemaNode): unknown[] | undefined {
  return s.enum ?? deref(s.then ?? {}).enum;
}

/**
 * A valid file whose layer 1 is of the kind, with an expect block on it and at the top: for
 * dense, problem 1 of the notes; for the others, a 1×2×2 image through the kind, then dense.
 */
function base(kind: Kind = 'dense'): Record<string, unknown> {
  if (kind !== 'dense') {
    const first =
      kind === 'conv2d'
        ? {
            type: 'conv2d',
            W: [
              [
                [
                  [1, 0],
                  [0, 1],
                ],
              ],
            ],
            b: [0],
            activation: 'identity',
            expect: { z: [[[5]]] },
          }
        : kind === 'maxpool2d'
          ? { type: 'maxpool2d', kernel: 2, expect: { z: [[[4]]] } }
          : { type: 'flatten', expect: { z: [1, 2, 3, 4] } };
    const width = kind === 'flatten' ? 4 : 1;
    return {
      input: [
        [
          [1, 2],
          [3, 4],
        ],
      ],
      target: [2, 3],
      layers: [
        first,
        ...(kind === 'flatten' ? [] : [{ type: 'flatten' }]),
        { W: [new Array<number>(width).fill(1), new Array<number>(width).fill(2)], b: [0, 0], activation: 'identity' },
      ],
      loss: 'half_sse',
      optimizer: { type: 'sgd', lr: 0.01 },
      expect: { loss: 109 },
    };
  }
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
  kind?: Kind,
): { text: string; start: number; end: number } {
  const o = base(kind);
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

/** Values the base file writes as a scalar but that may be a mapping too: the mapping form to try keys in. */
const MAPPING_FORMS: Record<string, Record<string, unknown>> = { loss: { type: 'half_sse' } };

/** The base file with the value at `path` in its mapping form, where it has one. */
function withMappingAt(o: Record<string, unknown>, path: Path): void {
  const form = MAPPING_FORMS[label(path)];
  if (form) setAt(o, path, { ...form });
}

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

  it("lists the engine's activations, losses, optimizers, inits and layer kinds", () => {
    const enumsAt = (path: string) => KEYS.filter((k) => label(k.path) === path).map((k) => enumOf(k.schema));
    for (const e of enumsAt('layers.0.activation')) assert.deepEqual(e, [...ACTIVATIONS]);
    assert.deepEqual(enumsAt('loss'), [[...LOSSES]]);
    assert.deepEqual(enumsAt('loss.type'), [[...LOSSES]]);
    assert.deepEqual(enumsAt('optimizer.type'), [[...OPTIMIZERS]]);
    for (const e of enumsAt('layers.0.init')) assert.deepEqual(e, [...INITS]);
    assert.deepEqual(enumsAt('layers.0.type')[0], [...LAYER_TYPES]);
  });

  it('the base file of every layer kind is valid', () => {
    for (const kind of ['dense', 'conv2d', 'maxpool2d', 'flatten'] as const) {
      const r = parse(JSON.stringify(base(kind)));
      assert.deepEqual(r.diagnostics, [], kind);
      assert.ok(r.model, kind);
    }
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
    for (const k of KEYS.filter((x) => enumOf(x.schema))) {
      it(`${label(k.path)}${k.kind ? ` (${k.kind})` : ''}`, () => {
        const allowed = (enumOf(k.schema) as string[]).map(String);
        const { text, start, end } = fileWith(k.path, allowed[0] + 'x', undefined, k.kind);
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
      it(`${label(k.path)}${k.kind ? ` (${k.kind})` : ''}`, () => {
        const step = [k.schema.type].flat().includes('integer') ? 1 : 0.5;
        const cases: [number, boolean][] = [];
        if (k.schema.minimum !== undefined) cases.push([k.schema.minimum - step, false], [k.schema.minimum, true]);
        if (k.schema.maximum !== undefined) cases.push([k.schema.maximum + step, false], [k.schema.maximum, true]);
        if (k.schema.exclusiveMinimum !== undefined) cases.push([k.schema.exclusiveMinimum, false]);
        if (k.schema.exclusiveMaximum !== undefined) cases.push([k.schema.exclusiveMaximum, false]);
        for (const [v, ok] of cases) {
          const { text, start, end } = fileWith(k.path, v, undefined, k.kind);
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
      it(`${label(k.path)}${k.kind ? ` (${k.kind})` : ''}`, () => {
        const types = [k.schema.type ?? []].flat();
        const wrong = types.includes('string') ? true : 'x';
        const { text, start, end } = fileWith(k.path, k.schema.enum ? 5 : wrong, undefined, k.kind);
        at(text, start, end, 'type');
        if (types.includes('integer')) {
          const half = fileWith(k.path, 1.5, undefined, k.kind);
          assert.match(at(half.text, half.start, half.end, 'type').message, /must be a whole number/);
        }
      });
    }
  });

  describe('every closed mapping: an unknown key is a warning on the key, the rest still read', () => {
    for (const m of mappings().filter((x) => x.schema.additionalProperties === false)) {
      it(`${label(m.path) || '(top)'}${m.kind && m.kind !== 'dense' ? ` (${m.kind})` : ''}`, () => {
        const { text, start } = fileWith([...m.path, 'zz_unknown'], 1, (o) => withMappingAt(o, m.path), m.kind);
        const key = text.lastIndexOf('"zz_unknown"', start) + 1;
        assert.equal(at(text, key, key + 'zz_unknown'.length, 'unknown-key').severity, 'warning');
        assert.ok(parse(text).model, 'a warning does not stop the model');
      });
    }
  });

  describe('every required key: leaving it out is an error at the first line of its mapping', () => {
    for (const m of mappings().filter((x) => x.schema.required && x.schema.properties)) {
      for (const key of m.schema.required ?? []) {
        it(`${label(m.path) || '(top)'}: ${key}${m.kind && m.kind !== 'dense' ? ` (${m.kind})` : ''}`, () => {
          const o = base(m.kind);
          withMappingAt(o, m.path);
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
      'layers.0.padding': {
        read: (m) => {
          const l = m.spec.layers[0];
          return l.type === 'conv2d' && l.padding[0] === l.padding[1] ? l.padding[0] : undefined;
        },
        edit: (o) => Object.assign(o, base('conv2d')),
      },
      'loss.margin': {
        read: (m) => m.spec.margin,
        edit: (o) => Object.assign(o, { loss: { type: 'hinge' }, target: [0, 1] }),
      },
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
