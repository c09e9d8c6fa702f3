import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { load, resolve, validate, type Diagnostic } from '@stagec/core';
import { emitDockerfile } from '../../packages/core/src/emit';
import { params } from './generators';

/**
 * A pipeline's stage is resolved once and shared by every service that adopts it with the same
 * inputs (packages/core/src/resolve/shared.ts). Independent of that: a service's Dockerfile must
 * not depend on which other services the file holds. Each generated file is resolved whole, and
 * each service again alone in a file of its own (where nothing can be shared with another
 * service); Dockerfiles must be byte-identical, and the codes found the same.
 */
const PIPELINES = {
  p1: {
    vars: { tool: 'make' },
    stages: {
      build: {
        extends: 'base',
        workdir: '/src',
        append: [{ id: 'compile', run: '${{ vars.tool }} ${{ vars.name }} ${{ vars.extra }}' }],
      },
      test: { from: 'build', steps: [{ run: 'test ${{ service.name }} ${{ stage.name }}' }] },
      runtime: {
        from: 'scratch',
        env: { SVC: '${{ service.path }}', IMG: '${{ service.image }}' },
        steps: [{ copy: { from: 'build', src: '/src/${{ vars.name }}', dest: '/app' } }],
      },
    },
  },
  p2: {
    // Service-level maps below the service's own are merged once per pipeline (resolve/service.ts, ServiceMaps).
    labels: { team: '${{ service.name }}', 'org.${{ vars.name }}': 'x', plain: 'p2' },
    args: { P2: '${{ vars.tool }}', N: 2 },
    stages: {
      deps: { extends: 'base', args: { V: '1' } },
      build: {
        from: 'deps',
        steps: [
          { id: 'a', run: 'echo $V' },
          { id: 'b', run: 'echo b' },
        ],
      },
      // A step naming a stage: built per service (tools is a stage in some services, an image in others).
      lint: { from: 'build', steps: [{ run: 'lint' }, { copy: { from: 'tools', src: '/t', dest: '/t' } }] },
      // A bare name is a stage only in a service that has one of that name, else an image.
      check: { from: 'tools', steps: [{ run: 'check' }] },
    },
  },
  // An edit naming a step its template lacks: reported for every service of the pipeline.
  p3: {
    stages: { only: { extends: 'base', edit: [{ remove: 'gone' }] } },
  },
};

const override = fc.constantFrom(
  {},
  { test: null },
  { lint: null },
  { runtime: { env: { X: '1' } } },
  { build: { edit: [{ remove: 'b' }] } },
  { build: { edit: [{ remove: 'nope' }] } },
  { build: { edit: [{ after: 'compile', steps: [{ run: 'strip ${{ vars.name }}' }] }] } },
  { extra: { from: 'build', steps: [{ run: 'extra' }] } },
  { deps: { from: null } },
  { tools: { from: 'debian:bookworm-slim' } },
  // One edit away from `tools`: check's bare `from: tools` is then refused (did you mean "tool"?), for each such service.
  { tool: { from: 'debian:bookworm-slim' } },
);
const vars = fc.record(
  { name: fc.constantFrom('a', 'b', 'x y'), extra: fc.constantFrom('1', '2'), tool: fc.constantFrom('make', 'go') },
  { requiredKeys: [] },
);
const serviceArb = fc.record({
  pipeline: fc.constantFrom('p1', 'p2', 'p3'),
  path: fc.constantFrom('apps/a', 'apps/b'),
  vars,
  stages: override,
  registry: fc.boolean(),
  labels: fc.constantFrom({}, { plain: null }, { own: '${{ vars.name }}' }, { 'k.${{ vars.extra }}': 'v', team: 'mine' }),
  args: fc.constantFrom({}, { V: '2' }, { G: null }, { S: '${{ vars.name }}' }),
});
const docArb = fc.array(serviceArb, { minLength: 1, maxLength: 6 });

type Service = typeof serviceArb extends fc.Arbitrary<infer T> ? T : never;

function yamlOf(services: [string, Service][]): string {
  return stringify({
    version: 1,
    vars: { name: 'app' },
    args: { G: '1', V: null },
    defaults: { labels: { vendor: 'Acme', plain: 'd' }, args: { D: 'd' } },
    stages: { base: { from: 'debian:bookworm-slim', steps: [{ id: 'update', run: 'apt-get update' }] } },
    pipelines: PIPELINES,
    services: Object.fromEntries(
      services.map(([name, s]) => [
        name,
        {
          path: s.path,
          dockerfile: `${s.path}/Dockerfile.${name}`,
          pipeline: s.pipeline,
          ...(Object.keys(s.vars).length ? { vars: s.vars } : {}),
          ...(Object.keys(s.stages).length ? { stages: s.stages } : {}),
          ...(s.registry ? { registry: 'registry.example.com/x' } : {}),
          ...(Object.keys(s.labels).length ? { labels: s.labels } : {}),
          ...(Object.keys(s.args).length ? { args: s.args } : {}),
        },
      ]),
    ),
  });
}

/** The codes found per service a diagnostic is about (its `services`, or the services its message quotes; '' for none). */
function codesByService(diagnostics: readonly Diagnostic[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of diagnostics) {
    const about = d.services ?? [...d.message.matchAll(/"(s\d+)"/g)].map((m) => m[1]!);
    for (const service of about.length ? about : ['']) {
      if (!out.has(service)) out.set(service, new Set());
      out.get(service)!.add(d.code);
    }
  }
  return out;
}

function resolveAll(text: string): { dockerfiles: Map<string, string>; codes: Map<string, Set<string>> } {
  const loaded = load(text, 'stages.yaml');
  const validated = validate(loaded.data, loaded.source);
  if (!validated.config) throw new Error(JSON.stringify(validated.diagnostics));
  const resolved = resolve(validated.config, loaded.source);
  const dockerfiles = new Map(resolved.project.services.map((s) => [s.name, emitDockerfile(s, 'stages.yaml').text]));
  return { dockerfiles, codes: codesByService(resolved.diagnostics) };
}

describe('shared pipeline stages', () => {
  it("a service's Dockerfile and findings do not depend on the other services in the file", () => {
    fc.assert(
      fc.property(docArb, (generated) => {
        const services = generated.map((s, i): [string, Service] => [`s${i}`, s]);
        const whole = resolveAll(yamlOf(services));
        const alone = services.map((entry) => resolveAll(yamlOf([entry])));
        expect([...whole.dockerfiles.keys()].sort()).toEqual(alone.flatMap((a) => [...a.dockerfiles.keys()]).sort());
        for (const a of alone) for (const [name, text] of a.dockerfiles) expect(whole.dockerfiles.get(name)).toBe(text);
        const sorted = (codes?: Set<string>) => [...(codes ?? [])].sort();
        services.forEach(([name], i) => expect(sorted(whole.codes.get(name))).toEqual(sorted(alone[i]!.codes.get(name))));
        expect(sorted(whole.codes.get(''))).toEqual([...new Set(alone.flatMap((a) => sorted(a.codes.get(''))))].sort());
      }),
      params(150),
    );
  });
});
