import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseStages } from '../helpers/dockerfile';
import { dockerString, params } from './generators';
import { compileStable, readBack, unquote } from './readback';

/**
 * The pipeline layer: a pipeline's stages adopted by a service that overrides some of them (maps
 * merge, child wins, null deletes) and removes others with `null`. ENV, LABEL and ARG values are
 * read back from the emitted text and must equal the merged values.
 */
const name = fc.constantFrom('A', 'B', 'C_1', 'LANG', 'Z9');
const labelKey = fc.constantFrom('org.opencontainers.image.title', 'team', 'x-y');
const map = <K extends string>(keys: fc.Arbitrary<K>, nulls: boolean) =>
  fc.dictionary(keys, nulls ? fc.option(dockerString, { freq: 3, nil: null }) : dockerString, { maxKeys: 3 });

interface Layer {
  env: Record<string, string | null>;
  labels: Record<string, string | null>;
  args: Record<string, string | null>;
}
const layer = (nulls: boolean): fc.Arbitrary<Layer> =>
  fc.record({ env: map(name, nulls), labels: map(labelKey, nulls), args: map(name, true) });

const docArb = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    pipeline: fc.tuple(...Array.from({ length: n }, () => layer(false))),
    overrides: fc.tuple(...Array.from({ length: n }, () => fc.option(layer(true), { nil: undefined }))),
    removed: fc.subarray([...Array(n).keys()], { maxLength: n - 1 }),
    order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
  }),
);

type Doc = typeof docArb extends fc.Arbitrary<infer T> ? T : never;

const kept = (doc: Doc) => doc.order.filter((i) => !doc.removed.includes(i));

function toYaml(doc: Doc): string {
  const stages: Record<string, unknown> = {};
  for (const i of doc.order) stages[`s${i}`] = { from: 'alpine:3.20', ...doc.pipeline[i] };
  const overrides: Record<string, unknown> = {};
  for (const i of doc.order) {
    if (doc.removed.includes(i)) overrides[`s${i}`] = null;
    else if (doc.overrides[i]) overrides[`s${i}`] = doc.overrides[i];
  }
  return stringify({
    version: 1,
    pipelines: { p: { stages } },
    services: { svc: { path: 'svc', pipeline: 'p', target: `s${kept(doc).at(-1)}`, stages: overrides } },
  });
}

/** Maps merge in order; null deletes (for args: declared without a default). */
function merged(
  base: Record<string, string | null>,
  child: Record<string, string | null> | undefined,
  nullDeletes: boolean,
): [string, string | null][] {
  const out = new Map(Object.entries(base));
  for (const [k, v] of Object.entries(child ?? {})) {
    if (v === null && nullDeletes) out.delete(k);
    else out.set(k, v);
  }
  return [...out.entries()];
}

describe('property: pipelines with service overrides and removals', () => {
  it('kept stages only, in author order, target last; ENV, LABEL and ARG values read back as merged', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const dockerfile = compileStable(toYaml(doc));
        expect(parseStages(dockerfile).stages.map((s) => s.name)).toEqual(kept(doc).map((i) => `s${i}`));
        for (const i of kept(doc)) {
          const stage = `s${i}`;
          const want = {
            ENV: merged(doc.pipeline[i]!.env, doc.overrides[i]?.env, true),
            LABEL: merged(doc.pipeline[i]!.labels, doc.overrides[i]?.labels, true),
            ARG: merged(doc.pipeline[i]!.args, doc.overrides[i]?.args, false),
          };
          for (const keyword of ['ENV', 'LABEL', 'ARG'] as const) {
            const got = readBack(dockerfile, stage, keyword).map(([k, v]) => [k, unquote(v)]);
            expect(new Map(got), `${keyword} of ${stage}`).toEqual(new Map(want[keyword]));
          }
        }
      }),
      params(150),
    );
  });
});
