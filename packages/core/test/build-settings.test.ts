import { describe, expect, it } from 'vitest';
import { compile, planBuilds } from '../src';

// build settings merge like maps: defaults, then the pipeline, then the service; null removes.
const STAGES = `version: 1
defaults:
  registry: r.example
  build:
    push: true
    cache: { from: ["type=registry,ref=\${{ service.image }}:cache-\${{ stage.name }}"], to: [type=inline] }
    secrets: { npmrc: { src: .npmrc }, token: { env: TOKEN } }
    provenance: max
pipelines:
  p:
    build: { sbom: true, cache: { to: ["type=registry,ref=\${{ service.image }}:cache"] }, cacheOnly: [check] }
    stages: { runtime: { from: scratch } }
services:
  a: { path: a, pipeline: p }
  b:
    path: b
    pipeline: p
    build: { push: false, provenance: null, cache: null, secrets: { npmrc: null, gh: { env: GH } }, cacheOnly: null }
  c: { path: c, stages: { runtime: { from: scratch } } }
`;

describe('build settings', () => {
  const result = compile(STAGES);
  const build = (name: string) => result.project!.services.find((s) => s.name === name)!.build;

  it('compiles without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
  });

  it('a pipeline layer replaces keys of defaults; cache.from and cache.to are keys of their own', () => {
    expect(build('a')).toMatchObject({
      push: true,
      provenance: 'max',
      sbom: true,
      cacheFrom: ['type=registry,ref=r.example/a:cache-${{ stage.name }}'],
      cacheTo: ['type=registry,ref=r.example/a:cache'],
      cacheOnly: ['check'],
    });
    expect(build('a').secrets.map((s) => s.id)).toEqual(['npmrc', 'token']);
  });

  it('a service layer replaces, and null removes, an inherited key or secret', () => {
    const b = build('b');
    expect(b.push).toBe(false);
    expect(b.provenance).toBeUndefined();
    expect(b.cacheFrom).toEqual([]);
    expect(b.cacheTo).toEqual([]);
    expect(b.cacheOnly).toEqual(['test', 'lint', 'check']);
    expect(b.secrets.map((s) => ('env' in s ? [s.id, s.env] : [s.id, s.src]))).toEqual([
      ['gh', 'GH'],
      ['token', 'TOKEN'],
    ]);
  });

  it('without a pipeline: defaults only; cacheOnly defaults to test, lint, check', () => {
    expect(build('c')).toMatchObject({ push: true, cacheTo: ['type=inline'], cacheOnly: ['test', 'lint', 'check'] });
  });

  it('${{ stage.name }} is allowed in cache specs only', () => {
    const bad = compile(`version: 1
defaults:
  labels: { x: "\${{ stage.name }}" }
  build: { cache: { from: ["x:\${{ stage.name }}"] } }
services: { a: { path: a, stages: { runtime: { from: scratch } } } }
`);
    expect(bad.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['UNKNOWN_EXPRESSION', 3, 17]]);
  });

  it('secret ids, files and variables the --secret flag cannot carry are refused at their position', () => {
    const bad = compile(`version: 1
defaults:
  build:
    secrets:
      "a,b": { src: x }
      ok: { src: "x,y" }
      env: { env: "NOT-A-VAR" }
services: { a: { path: a, stages: { runtime: { from: scratch } } } }
`);
    expect(bad.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['INVALID_VALUE', 5],
      ['INVALID_VALUE', 6],
      ['INVALID_VALUE', 7],
    ]);
  });

  it('a secret file may use service expressions', () => {
    const ok = compile(`version: 1
defaults: { build: { secrets: { npmrc: { src: "\${{ service.path }}/.npmrc" } } } }
services: { a: { path: apps/a, stages: { runtime: { from: scratch } } } }
`);
    expect(ok.project!.services[0]!.build.secrets).toMatchObject([{ id: 'npmrc', src: 'apps/a/.npmrc' }]);
  });

  it('a wrong shape is a schema error at its position', () => {
    const bad = compile(`version: 1
defaults:
  build: { secrets: { npmrc: { file: .npmrc } }, provenance: maximal }
services: { a: { path: a, stages: { runtime: { from: scratch } } } }
`);
    expect(bad.diagnostics.map((d) => [d.code, d.line])).toEqual(expect.arrayContaining([['UNKNOWN_KEY', 3]]));
    expect(bad.failed).toBe(true);
  });
});

describe('command-line overrides', () => {
  const project = compile(`version: 1
defaults: { registry: r.example }
services:
  base: { path: base, stages: { runtime: { from: scratch } } }
  api: { path: api, stages: { runtime: { from: { service: base, stage: runtime } } } }
`).project!;

  it('--cache-* apply to the builds asked for; --push and --platform to the images they build on too', () => {
    const plan = planBuilds(project, { services: ['api'], engine: 'buildx', push: true, cacheFrom: ['type=registry,ref=r.example/api:cache'], platforms: ['linux/amd64', 'linux/arm64'] });
    expect(plan.errors).toEqual([]);
    const [base, api] = plan.builds;
    expect([base!.push, api!.push]).toEqual([true, true]);
    expect(base!.argv).not.toContain('--cache-from');
    expect(base!.argv).toEqual(expect.arrayContaining(['--platform', 'linux/amd64,linux/arm64', '--push']));
    expect(api!.argv).toEqual(expect.arrayContaining(['--cache-from', 'type=registry,ref=r.example/api:cache', '--platform', 'linux/amd64,linux/arm64']));
  });
});

describe('cache-only stages in a plan', () => {
  it('a cache-only stage another build starts FROM is still built as an image', () => {
    const project = compile(`version: 1
services:
  base: { path: base, stages: { test: { from: scratch } } }
  api: { path: api, stages: { runtime: { from: { service: base, stage: test } } } }
`).project!;
    const [base, api] = planBuilds(project, { services: ['api'], engine: 'buildx' }).builds;
    expect(base!.argv).toContain('--load');
    expect(base!.argv).not.toContain('--output=type=cacheonly');
    expect(api!.argv).toContain('--load');
    expect(planBuilds(project, { services: ['base'], engine: 'buildx' }).builds[0]!.argv).toContain('--output=type=cacheonly');
  });
});
