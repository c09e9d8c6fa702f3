import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compile, emitBake, planBuilds } from '@stagec/core';
import { params } from './generators';

/**
 * Secret sources are open-ended strings that end up inside one flag value
 * (`--secret id=<id>,src=<file>`, bake's `secret`), which BuildKit splits on `,` and `=`.
 * Whatever the strings, stagec either refuses them at their position, or every engine's argv
 * and the bake file carry a value that splits back into exactly the id and source written.
 */
const HOSTILE = [',', '=', '"', '\n', ' '];
const SAFE = ['a', 'Z', '0', '_', '-', '.', '/', "'", '$', '\\', 'é'];
// Mostly strings a user would write, one in three with the characters a flag value cannot carry.
const text = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...SAFE), minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...SAFE, ...HOSTILE), minLength: 0, maxLength: 8 }) },
);
const source = fc.oneof(fc.record({ src: text }), fc.record({ env: text }));

const parse = (flag: string): Record<string, string> => Object.fromEntries(flag.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

describe('secret sources: refused, or carried intact', () => {
  it('every engine and the bake file', () => {
    const seen = { refused: 0, carried: 0 };
    fc.assert(
      fc.property(text, source, (id, from) => {
        const doc = {
          version: 1,
          defaults: { build: { secrets: { [id]: from } } },
          services: { a: { path: 'a', stages: { runtime: { from: 'scratch', steps: [{ run: { command: 'true', secrets: [id || 'x'] } }] } } } },
        };
        const result = compile(stringify(doc));
        if (result.failed) {
          // Refused by the schema or the checks, with a code of the closed set.
          const codes = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
          expect(codes.length).toBeGreaterThan(0);
          expect(codes.every((c) => ['INVALID_VALUE', 'INVALID_TYPE', 'MISSING_KEY', 'NEWLINE_IN_VALUE', 'INVALID_STAGE_NAME'].includes(c))).toBe(true);
          seen.refused++;
          return;
        }
        const expected = { id, ...from };
        for (const engine of ['docker', 'buildx', 'podman', 'buildah'] as const) {
          const argv = planBuilds(result.project!, { engine }).builds[0]!.argv;
          const flag = argv[argv.indexOf('--secret') + 1]!;
          expect(parse(flag)).toEqual(expected);
        }
        expect(parse(emitBake(result.project!).target['a-runtime']!.secret![0]!)).toEqual(expected);
        seen.carried++;
      }),
      params(200),
    );
    // Both outcomes were exercised, so neither branch passes vacuously.
    expect(seen.refused).toBeGreaterThan(10);
    expect(seen.carried).toBeGreaterThan(10);
  });
});
