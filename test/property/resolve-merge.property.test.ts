// The resolver's shortcuts for a stage merged on top of an already merged base (an overriding
// service on its pipeline's stage) against the plain computations they stand in for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Layer, RawStage } from '../../packages/core/src/resolve/layers';
import { mergeLayers } from '../../packages/core/src/resolve/merge';
import type { ResolvedStage } from '../../packages/core/src/resolve/model';
import { dependencyNames, stageDependencies } from '../../packages/core/src/resolve/order';
import { expressionNames, namesAbove } from '../../packages/core/src/resolve/substitution';
import type { ResolveContext } from '../../packages/core/src/resolve/context';
import { workspacePath, type Head } from '../../packages/core/src/resolve/head';
import { posix } from 'node:path';
import { stageScopeOf, stageVars, withVars } from '../../packages/core/src/resolve/vars';
import { params } from './generators';

const text = fc.constantFrom('plain', '${{ vars.a }}', 'x ${{ vars.b }} y', '${{ service.name }}', '${{ stage.name }}-${{ vars.a }}', '$X');
const id = fc.constantFrom('one', 'two', 'three');
const step = fc.oneof(
  fc.record({ id, run: text }, { requiredKeys: ['run'] }),
  fc.record({ copy: fc.array(text, { minLength: 1, maxLength: 2 }) }),
  fc.record({ env: fc.dictionary(fc.constantFrom('A', 'B'), text, { maxKeys: 2 }) }),
);
const map = fc.dictionary(fc.constantFrom('A', 'B', 'C'), fc.option(text, { freq: 3, nil: null }), { maxKeys: 3 });
const edit = fc.oneof(
  fc.record({ after: id, steps: fc.array(step, { minLength: 1, maxLength: 2 }) }),
  fc.record({ replace: id, with: step }),
  fc.record({ remove: id }),
);
const raw: fc.Arbitrary<RawStage> = fc.record(
  {
    from: fc.option(text, { nil: null }),
    workdir: fc.option(text, { nil: null }),
    user: fc.option(text, { nil: null }),
    expose: fc.array(text, { maxLength: 2 }),
    cmd: fc.array(text, { maxLength: 2 }),
    args: map,
    env: map,
    labels: fc.dictionary(fc.constantFrom('k', 'org.${{ vars.a }}'), fc.option(text, { nil: null }), { maxKeys: 2 }),
    vars: fc.dictionary(fc.constantFrom('a', 'b'), text, { maxKeys: 2 }),
    steps: fc.array(step, { maxLength: 3 }),
    edit: fc.array(edit, { maxLength: 2 }),
    prepend: fc.array(step, { maxLength: 1 }),
    append: fc.array(step, { maxLength: 1 }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<RawStage>;
const layers = (min: number): fc.Arbitrary<Layer[]> =>
  fc
    .array(raw, { minLength: min, maxLength: 3 })
    .map((list) => list.map((r, i) => ({ raw: r, path: ['stages', `t${i}`], chain: [`stages.t${i}`] })));

describe('property: merging on top of a merged base', () => {
  it('equals merging every layer, and the names found above the base include every name the merge holds', () => {
    fc.assert(
      fc.property(layers(0), layers(1), (below, above) => {
        const ignore = (): void => {};
        const base = mergeLayers(below, ignore);
        const onTop = mergeLayers(above, ignore, base);
        expect(onTop).toEqual(mergeLayers([...below, ...above], ignore));
        const names = new Set(namesAbove(expressionNames(base), above));
        for (const name of expressionNames(onTop)) expect(names).toContain(name);
      }),
      params(300),
    );
  });
});

// A stage's scope is found per name (stageScopeOf), searching the var maps from the top, instead of
// merging every map (stageVars + withVars): the two must give every name the same value.
const varMap = fc.option(
  fc.dictionary(
    fc.constantFrom('a', 'b', 'c'),
    fc.option(fc.constantFrom('1', '2', 'x-${{ stage.name }}', '${{ service.name }}'), { freq: 3, nil: null }),
    { maxKeys: 3 },
  ),
  { nil: undefined },
);
const varLayer = fc.record({ root: fc.constantFrom('stages', 'pipelines', 'services'), vars: varMap });

describe('property: a stage scope found per name', () => {
  it('equals the whole scope restricted to the names', () => {
    fc.assert(
      fc.property(varMap, varMap, varMap, fc.array(varLayer, { maxLength: 4 }), (top, pipelineVars, serviceVars, raw) => {
        const ctx = { config: { vars: top, pipelines: { p: { stages: {}, vars: pipelineVars } } } } as unknown as ResolveContext;
        const head = {
          pipeline: 'p',
          raw: { vars: serviceVars },
          baseScope: { 'service.name': 'svc', 'service.path': 'apps/svc', 'service.image': 'svc' },
        } as unknown as Head;
        const layers = raw.map((l, i): Layer => ({ raw: { vars: l.vars } as RawStage, path: [l.root, `l${i}`], chain: [] }));
        const base = { ...head.baseScope, 'stage.name': 'build' };
        const whole = withVars(base, stageVars(ctx, head, layers));
        const names = ['vars.a', 'vars.b', 'vars.c', 'vars.d', 'stage.name', 'service.name', 'service.nope'];
        const scope = stageScopeOf(ctx, head, () => base, 'build', layers, names);
        for (const name of names) expect(scope[name]).toBe(whole[name]);
      }),
      params(300),
    );
  });
});

// A plain relative path skips normalization (resolve/head.ts, workspacePath): it must come back
// exactly as the normalizing path does, and anything else must still go that way.
const PATH_CHARS = ['a', 'Z', '0', '_', '-', '.', '/', '\\', ':', '@', '+', ' ', '\0'];

const SEGMENTS = ['a', 'b.c', '.', '..', '', '.x', 'C:', '-', '@s', 'a\\b', ' '];
const pathArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...PATH_CHARS), maxLength: 12 }),
  fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
);

function normalizedReference(value: string): string | undefined {
  if (value.includes('\0')) return undefined;
  const slashed = posix.normalize(value.replace(/\\/g, '/'));
  const normalized = slashed.replace(/\/+$/, '') || '.';
  if (posix.isAbsolute(slashed) || /^[A-Za-z]:/.test(normalized) || normalized === '..' || normalized.startsWith('../')) return undefined;
  return normalized;
}

describe('property: workspace paths', () => {
  it('a path comes back as normalizing it gives, and is reported exactly when that refuses it', () => {
    fc.assert(
      fc.property(pathArb, (value) => {
        const codes: string[] = [];
        const got = workspacePath({ report: (code) => void codes.push(code) }, value, ['services', 'x', 'path']);
        const want = normalizedReference(value);
        expect(got).toBe(want);
        expect(codes.length).toBe(want === undefined ? 1 : 0);
      }),
      params(500),
    );
  });
});

// Ordering reads only the names of a stage's dependencies (dependencyNames), stageDependencies
// also their paths: the names must be the same, in the same order.
const ref = fc.oneof(
  fc.constantFrom('a', 'b').map((stage) => ({ kind: 'stage' as const, stage })),
  fc.constant({ kind: 'image' as const, image: 'debian' }),
);
const resolvedStep = fc.oneof(
  fc.record({
    kind: fc.constant('copy' as const),
    sources: fc.constant(['x']),
    dest: fc.constant('./'),
    exclude: fc.constant([]),
    from: fc.option(ref, { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('run' as const),
    commands: fc.constant(['make']),
    mounts: fc.array(
      fc.oneof(
        fc.record({
          type: fc.constantFrom('bind' as const, 'cache' as const),
          target: fc.constant('/t'),
          from: fc.option(ref, { nil: undefined }),
        }),
        fc.record({ type: fc.constant('secret' as const), id: fc.constant('s') }),
      ),
      { maxLength: 2 },
    ),
  }),
  fc.record({ kind: fc.constant('workdir' as const), path: fc.constant('/w') }),
);

describe('property: dependency names', () => {
  it('are the stages of stageDependencies, in order', () => {
    fc.assert(
      fc.property(ref, fc.array(resolvedStep, { maxLength: 4 }), (base, steps) => {
        const origin = { path: ['stages', 'x'], chain: [] };
        const stage = {
          name: 'x',
          origin,
          base: { value: base, origin },
          steps: steps.map((value, i) => ({ value, origin: { path: ['stages', 'x', 'steps', i], chain: [] } })),
        } as unknown as ResolvedStage;
        expect(dependencyNames(stage)).toEqual(stageDependencies(stage).map((e) => e.stage));
      }),
      params(300),
    );
  });
});
