import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagesSchema } from '@stagec/core';

const root = join(__dirname, '..');
const generatedDir = join(root, 'packages/core/src/generated');

type SchemaNode = { [key: string]: unknown };

describe('schemas/stages.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(root, 'schemas/stages.schema.json'), 'utf8')) as SchemaNode;

  it('is the source of the generated validator, types and schema module (run `npm run build` if this fails)', async () => {
    // @ts-expect-error: a plain .mjs script without types
    const { generate } = (await import('../scripts/gen-schema.mjs')) as { generate: () => Promise<Record<string, string>> };
    const files = await generate();
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(join(generatedDir, name), 'utf8'), name).toBe(text);
    }
    expect(stagesSchema).toEqual(schema);
  });

  it('describes every property, so editors can show help', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
      if (node === null || typeof node !== 'object') return;
      const properties = (node as SchemaNode).properties as Record<string, SchemaNode> | undefined;
      for (const [name, prop] of Object.entries(properties ?? {})) {
        const target = typeof prop.$ref === 'string' ? resolveRef(schema, prop.$ref) : prop;
        if (!prop.description && !target.description) missing.push(`${path}/properties/${name}`);
      }
      for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });

  it('rejects unknown keys everywhere an object is defined with properties', () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
      if (node === null || typeof node !== 'object') return;
      if ((node as SchemaNode).properties && (node as SchemaNode).additionalProperties !== false) open.push(path);
      // An `if` is a condition on an object defined elsewhere, not a definition.
      for (const [key, value] of Object.entries(node)) if (key !== 'if') walk(value, `${path}/${key}`);
    };
    walk(schema, '#');
    expect(open).toEqual([]);
  });

  it('the repo stages.yaml carries the yaml-language-server modeline', () => {
    expect(readFileSync(join(root, 'stages.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./schemas/stages.schema.json');
  });
});

function resolveRef(schema: SchemaNode, ref: string): SchemaNode {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<SchemaNode>((node, key) => node[key] as SchemaNode, schema);
}
