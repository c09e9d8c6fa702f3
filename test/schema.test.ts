import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { load, stagesSchema } from '@stagec/core';
import generatedValidator from '../packages/core/src/generated/validate';

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

  // The generated validator keeps each definition in its own function (scripts/gen-schema.mjs,
  // inlineRefs: false), which V8 compiles only when a document reaches it. What validate.ts reads
  // must not depend on that: every fixture, and each with a few mistakes put in, gets the same
  // errors as from ajv compiling the schema with its definitions inlined (schemaPath aside).
  it('the generated validator reports exactly what ajv reports with the definitions inlined', () => {
    const inlined = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(schema);
    const generated = generatedValidator as unknown as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
    const comparable = (errors: ErrorObject[] | null | undefined): string[] =>
      (errors ?? []).map(({ schemaPath: _ignored, schema: s, parentSchema, data, ...rest }) =>
        JSON.stringify({ ...rest, s, parentSchema, data }),
      );
    const files = readdirSync(join(root, 'test/fixtures'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
    let documents = 0;
    let errors = 0;
    for (const file of files) {
      const data = load(readFileSync(join(root, 'test/fixtures', file), 'utf8'), file).data;
      if (data === null || typeof data !== 'object') continue;
      const json = JSON.stringify(data);
      const variants = [
        json,
        json.replace(/"from":/, '"form":'),
        json.replace(/"run":"/, '"run":1,"x":"'),
        json.replace(/"services":\{"/, '"services":{"bad name!":{"path":3},"'),
        json.replace(/"version":1/, '"version":"1"'),
        json.replace(/"steps":\[/, '"steps":[{"run":"a","copy":"b"},'),
      ];
      for (const variant of new Set(variants)) {
        const document = JSON.parse(variant) as unknown;
        documents++;
        expect(generated(document), file).toBe(inlined(document));
        expect(comparable(generated.errors), file).toEqual(comparable(inlined.errors));
        errors += inlined.errors?.length ?? 0;
      }
    }
    expect(documents).toBeGreaterThan(300);
    expect(errors).toBeGreaterThan(500);
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
    expect(readFileSync(join(root, 'stages.yaml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./schemas/stages.schema.json',
    );
  });
});

function resolveRef(schema: SchemaNode, ref: string): SchemaNode {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<SchemaNode>((node, key) => node[key] as SchemaNode, schema);
}
