import { describe, expect, it } from 'vitest';
import { compile, planBuilds, shellQuote, type ResolvedProject } from '../src';

const STAGES = `version: 1
defaults:
  registry: ghcr.io/acme
  platforms: [linux/amd64]
services:
  base:
    path: platform/base
    stages:
      toolchain: { from: debian:bookworm-slim }
      runtime: { from: scratch, steps: [{ copy: { from: toolchain, src: /bin/sh, dest: /bin/sh } }] }
  api:
    path: apps/api
    tag: "2.0"
    stages:
      build: { from: { service: base, stage: toolchain } }
      test: { from: build }
      runtime: { from: { service: base, stage: runtime }, steps: [{ copy: { from: build, src: /app, dest: /app } }] }
  solo:
    path: apps/solo
    platforms: [linux/amd64, linux/arm64]
    stages:
      runtime: { from: alpine:3.20 }
`;

const project = (): ResolvedProject => {
  const result = compile(STAGES);
  expect(result.diagnostics).toEqual([]);
  return result.project!;
};

describe('planBuilds', () => {
  it('builds what a target needs from other services first, and only that', () => {
    const runtime = planBuilds(project(), { services: ['api'] }).builds;
    expect(runtime.map((b) => b.id)).toEqual(['base:toolchain', 'base:runtime', 'api:runtime']);
    expect(runtime[2]!.depends_on).toEqual(['base:toolchain', 'base:runtime']);
    const test = planBuilds(project(), { services: ['api'], target: 'test' }).builds;
    expect(test.map((b) => b.id)).toEqual(['base:toolchain', 'api:test']);
  });

  it('tags the default target <image>:<tag> and other stages <image>:<tag>-<stage>', () => {
    const builds = planBuilds(project(), { services: ['api'] }).builds;
    expect(builds.map((b) => b.tags)).toEqual([
      ['ghcr.io/acme/base:latest-toolchain'],
      ['ghcr.io/acme/base:latest'],
      ['ghcr.io/acme/api:2.0'],
    ]);
  });

  it('docker: BuildKit on, -f, --target, -t, one --platform, the context last', () => {
    const [build] = planBuilds(project(), { services: ['api'], target: 'test' }).builds.slice(-1);
    expect(build!.env).toEqual({ DOCKER_BUILDKIT: '1' });
    expect(build!.argv).toEqual([
      'docker',
      'build',
      '-f',
      'apps/api/Dockerfile',
      '--target',
      'test',
      '-t',
      'ghcr.io/acme/api:2.0-test',
      '--platform',
      'linux/amd64',
      'apps/api',
    ]);
  });

  it('buildx loads single-platform images and passes every platform of multi-platform ones', () => {
    const single = planBuilds(project(), { services: ['api'], engine: 'buildx' }).builds.at(-1)!;
    expect(single.argv.slice(0, 3)).toEqual(['docker', 'buildx', 'build']);
    expect(single.argv).toContain('--load');
    const multi = planBuilds(project(), { services: ['solo'], engine: 'buildx' }).builds[0]!;
    expect(multi.argv).toContain('linux/amd64,linux/arm64');
    expect(multi.argv).not.toContain('--load');
    // the classic builder takes a single platform: leave the choice to the engine
    expect(planBuilds(project(), { services: ['solo'] }).builds[0]!.argv).not.toContain('--platform');
  });

  it('podman and buildah', () => {
    expect(planBuilds(project(), { services: ['solo'], engine: 'podman' }).builds[0]!.argv.slice(0, 2)).toEqual(['podman', 'build']);
    const buildah = planBuilds(project(), { services: ['solo'], engine: 'buildah' }).builds[0]!;
    expect(buildah.argv.slice(0, 2)).toEqual(['buildah', 'bud']);
    expect(buildah.env).toEqual({});
  });

  it('build args, network, extra tags and engine arguments', () => {
    const build = planBuilds(project(), {
      services: ['solo'],
      buildArgs: { VERSION: '1.2.3' },
      network: 'host',
      tag: 'sha-abc',
      registry: 'registry.example.com/mirror',
      extraArgs: ['--no-cache'],
    }).builds[0]!;
    expect(build.tags).toEqual(['ghcr.io/acme/solo:latest', 'registry.example.com/mirror/solo:sha-abc']);
    expect(shellQuote(build.argv)).toBe(
      'docker build -f apps/solo/Dockerfile --target runtime -t ghcr.io/acme/solo:latest -t registry.example.com/mirror/solo:sha-abc --build-arg VERSION=1.2.3 --network=host --no-cache apps/solo',
    );
  });

  it('all services with --target: only those that have the stage; named services must have it', () => {
    expect(planBuilds(project(), { target: 'test' }).builds.map((b) => b.id)).toEqual(['base:toolchain', 'api:test']);
    const codes = (options: Parameters<typeof planBuilds>[1]) =>
      planBuilds(project(), options).diagnostics.map((d) => [d.code, d.usage, d.line]);
    expect(codes({ services: ['solo'], target: 'test' })).toEqual([['UNKNOWN_STAGE', true, undefined]]);
    expect(codes({ target: 'nope' })).toEqual([['UNKNOWN_STAGE', true, undefined]]);
    expect(codes({ services: ['ghost'] })).toEqual([['UNKNOWN_SERVICE', true, undefined]]);
  });

  it('quotes arguments for a shell only where needed', () => {
    expect(shellQuote(['echo', 'a b', "it's", '--x=1'])).toBe(`echo 'a b' 'it'\\''s' --x=1`);
  });
});

describe('planBuilds with deps: false', () => {
  it('plans only the requested build (Nx orders the rest)', () => {
    const result = compile(STAGES);
    expect(planBuilds(result.project!, { services: ['api'], deps: false }).builds.map((b) => b.id)).toEqual(['api:runtime']);
  });
});
