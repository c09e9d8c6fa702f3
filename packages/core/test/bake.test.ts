import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { compile, emitBake } from '../src';

/**
 * The subset of buildx's Bake JSON (the shape `docker buildx bake --print` prints) that stagec
 * writes, from the Bake file reference: groups of targets; targets with context, dockerfile
 * (relative to context), target, tags, args, platforms and named contexts.
 */
const BAKE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['group', 'target'],
  properties: {
    variable: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      additionalProperties: { type: 'object', additionalProperties: false, required: ['default'], properties: { default: { type: 'string' } } },
    },
    group: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['targets'],
        properties: { targets: { type: 'array', items: { type: 'string' }, minItems: 1 } },
      },
    },
    target: {
      type: 'object',
      propertyNames: { pattern: '^[a-zA-Z0-9_-]+$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['context', 'dockerfile', 'target'],
        properties: {
          context: { type: 'string' },
          dockerfile: { type: 'string' },
          target: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
          args: { type: 'object', additionalProperties: { type: 'string' } },
          platforms: { type: 'array', items: { type: 'string' } },
          contexts: { type: 'object', additionalProperties: { type: 'string', pattern: '^target:' } },
          'cache-from': { type: 'array', items: { type: 'string' } },
          'cache-to': { type: 'array', items: { type: 'string' } },
          secret: { type: 'array', items: { type: 'string', pattern: '^id=[^,]+,(src|env)=' } },
          attest: { type: 'array', items: { type: 'string', pattern: '^type=(provenance|sbom)' } },
          output: { type: 'array', items: { type: 'string', pattern: '^type=' } },
        },
        // A target is either an image (tags) or built for its cache only.
        anyOf: [{ required: ['tags'] }, { required: ['output'], properties: { output: { contains: { const: 'type=cacheonly' } } } }],
      },
    },
  },
};

const STAGES = `version: 1
args: { DEBIAN: "debian:bookworm-slim" }
defaults: { registry: ghcr.io/acme, platforms: [linux/amd64, linux/arm64] }
services:
  base:
    path: platform/base
    stages:
      runtime: { from: "\${DEBIAN}" }
  api:
    path: apps/api
    dockerfile: docker/api.Dockerfile
    context: .
    stages:
      build: { from: { service: base, stage: runtime } }
      test: { from: build }
      runtime: { from: scratch, steps: [{ copy: { from: build, src: /app, dest: /app } }] }
`;

describe('stagec bake', () => {
  const bake = emitBake(compile(STAGES).project!);

  it('is Bake JSON as buildx reads and prints it', () => {
    const validate = new Ajv2020({ allErrors: true }).compile(BAKE_SCHEMA);
    expect(validate(bake), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has a target per service stage, a group per stage name and default = default targets', () => {
    expect(Object.keys(bake.target)).toEqual(['api-build', 'api-test', 'api-runtime', 'base-runtime']);
    expect(bake.group).toEqual({
      default: { targets: ['api-runtime', 'base-runtime'] },
      build: { targets: ['api-build'] },
      runtime: { targets: ['api-runtime', 'base-runtime'] },
      test: { targets: ['api-test'] },
    });
  });

  it('every group names existing targets and every named context an existing target', () => {
    for (const { targets } of Object.values(bake.group)) for (const t of targets) expect(bake.target).toHaveProperty([t]);
    for (const t of Object.values(bake.target)) {
      for (const ref of Object.values(t.contexts ?? {})) expect(bake.target).toHaveProperty([ref.replace(/^target:/, '')]);
    }
  });

  it('resolves the Dockerfile relative to the context, and a cross-service FROM to a target: context', () => {
    expect(bake.target['api-build']).toEqual({
      context: '.',
      dockerfile: 'docker/api.Dockerfile',
      target: 'build',
      tags: ['${REGISTRY}/api:${TAG}-build'],
      // no args: api's Dockerfile uses no global ARG (DESIGN 10, global ARGs only where used)
      platforms: ['linux/amd64', 'linux/arm64'],
      // The key is the image as the Dockerfile's FROM names it, so it stays literal.
      contexts: { 'ghcr.io/acme/base:latest': 'target:base-runtime' },
    });
    expect(bake.variable).toEqual({ REGISTRY: { default: 'ghcr.io/acme' }, TAG: { default: 'latest' } });
    expect(bake.target['base-runtime']!.dockerfile).toBe('Dockerfile');
    expect(bake.target['base-runtime']!.contexts).toBeUndefined();
    expect(bake.target['base-runtime']!.args).toEqual({ DEBIAN: 'debian:bookworm-slim' });
  });

  it('builds cache-only stages (default test, lint, check) for their cache, untagged', () => {
    expect(bake.target['api-test']!.output).toEqual(['type=cacheonly']);
    expect(bake.target['api-test']!.tags).toBeUndefined();
  });
});

describe('bake values arrive as written', () => {
  const bake = emitBake(
    compile(`version: 1
args: { NODE_VERSION: "20", NODE_IMAGE: "node:\${NODE_VERSION}-slim" }
defaults:
  build:
    cache: { from: ["type=local,src=/cache/\${HOME}/%{x}"] }
    secrets: { npmrc: { src: "a\${b}" } }
services:
  api:
    path: api
    stages:
      runtime: { from: "\${NODE_IMAGE}", steps: [{ run: { command: "true", secrets: [npmrc] } }] }
`).project!,
  );
  const api = bake.target['api-runtime']!;

  it('escapes ${ and %{, which bake would read as HCL interpolation', () => {
    expect(api['cache-from']).toEqual(['type=local,src=/cache/$${HOME}/%%{x}']);
    expect(api.secret).toEqual(['id=npmrc,src=a$${b}']);
  });

  it('leaves an ARG default that refers to another ARG to the Dockerfile: a build arg would arrive unexpanded', () => {
    // NODE_IMAGE is not passed (its default refers to NODE_VERSION); NODE_VERSION itself is not emitted for api (ARGs only where used).
    expect(api.args?.NODE_IMAGE).toBeUndefined();
  });
});

describe('bake: every value is a literal, paths and args too (found in QA)', () => {
  const bake = emitBake(
    compile(`version: 1
args: { A: "%{ if true }x%{ endif }" }
services:
  api:
    path: "p%{x}"
    context: "a\${HOME}"
    stages:
      runtime: { from: debian:bookworm-slim, steps: [{ run: echo $A }] }
`).project!,
  );
  const api = bake.target['api-runtime']!;

  it('escapes ${ and %{ in context, dockerfile and arg values, which bake would read as HCL templates', () => {
    expect(api.context).toBe('a$${HOME}');
    expect(api.dockerfile).toBe('../p%%{x}/Dockerfile');
    expect(api.args).toEqual({ A: '%%{ if true }x%%{ endif }' });
  });
});
