import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVATIONS, LOSSES, OPTIMIZERS } from '../../../src/engine/network';
import { INITS } from '../../../src/engine/init';
import { FILE_EXPECT_KEYS, LAYER_EXPECT_KEYS, LAYER_KEYS, OPTIMIZER_KEYS, TOP_KEYS, BLOCK_KEYS } from '../../../src/model/schema';
import { ROOT } from './helpers';

interface SchemaNode {
  readonly description?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly oneOf?: SchemaNode[];
  readonly enum?: string[];
}

/** media/bp-model.schema.json drives completion and hovers in the editor; it must say what the parser reads. */
describe('media/bp-model.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'media', 'bp-model.schema.json'), 'utf8')) as SchemaNode & { $schema: string };
  const props = schema.properties ?? {};
  const layer = props.layers.items ?? {};
  const blockOf = (n: SchemaNode): SchemaNode => n.oneOf?.find((x) => x.properties) ?? {};

  it('is draft-07', () => assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#'));

  it('has exactly the keys the parser knows, at every level', () => {
    assert.deepEqual(Object.keys(props).sort(), [...TOP_KEYS].sort());
    assert.deepEqual(Object.keys(layer.properties ?? {}).sort(), [...LAYER_KEYS].sort());
    assert.deepEqual(Object.keys(props.optimizer.properties ?? {}).sort(), [...OPTIMIZER_KEYS].sort());
    assert.deepEqual(Object.keys(blockOf(layer.properties?.expect ?? {}).properties ?? {}).sort(), [...LAYER_EXPECT_KEYS, ...BLOCK_KEYS].sort());
    assert.deepEqual(Object.keys(blockOf(props.expect).properties ?? {}).sort(), [...FILE_EXPECT_KEYS, ...BLOCK_KEYS].sort());
  });

  it('lists the engine\'s activations, losses, optimizers and inits', () => {
    assert.deepEqual(layer.properties?.activation.enum, [...ACTIVATIONS]);
    assert.deepEqual(props.loss.enum, [...LOSSES]);
    assert.deepEqual(props.optimizer.properties?.type.enum, [...OPTIMIZERS]);
    assert.deepEqual(layer.properties?.init.enum, [...INITS]);
  });

  it('describes every property', () => {
    const missing: string[] = [];
    const walk = (n: SchemaNode, path: string): void => {
      for (const [k, v] of Object.entries(n.properties ?? {})) {
        if (!v.description) missing.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
        if (v.items) walk(v.items, `${path}.${k}[]`);
        for (const alt of v.oneOf ?? []) walk(alt, `${path}.${k}`);
      }
    };
    walk(schema, '$');
    assert.deepEqual(missing, []);
  });
});
