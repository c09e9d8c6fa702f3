import { describe, expect, it } from 'vitest';
import { compile, engineCommands, type BuildRequest, type Engine, type ResolvedService } from '../src';

// Every engine's argv for each build setting, and the errors for what an engine cannot do
// (DESIGN 12: never a silent drop).
const STAGES = `version: 1
services:
  api:
    path: apps/api
    image: r.example/api
    stages:
      runtime:
        from: debian:bookworm-slim
        steps: [{ run: { command: cat /run/secrets/npmrc, secrets: [npmrc] } }]
`;
const service: ResolvedService = compile(STAGES).project!.services[0]!;

const request = (engine: Engine, over: Partial<BuildRequest> = {}): BuildRequest => ({
  engine,
  service,
  target: 'runtime',
  tags: ['r.example/api:latest', 'r.example/api:sha-1'],
  platforms: [],
  push: false,
  cacheOnly: false,
  cacheFrom: [],
  cacheTo: [],
  secrets: [],
  buildArgs: {},
  extraArgs: [],
  ...over,
});
const run = (engine: Engine, over: Partial<BuildRequest> = {}) => engineCommands(request(engine, over));
const TAGS = ['-t', 'r.example/api:latest', '-t', 'r.example/api:sha-1'];
const HEAD = { docker: ['docker', 'build'], buildx: ['docker', 'buildx', 'build'], podman: ['podman', 'build'], buildah: ['buildah', 'bud'] } as const;
const base = (engine: Engine) => [...HEAD[engine], '-f', 'apps/api/Dockerfile', '--target', 'runtime'];
const secretFile = { id: 'npmrc', src: '.npmrc', origin: { path: [], chain: [] } };
const secretEnv = { id: 'token', env: 'API_TOKEN', origin: { path: [], chain: [] } };

describe('plain settings, every engine', () => {
  it.each(['docker', 'podman', 'buildah'] as const)('%s: tags, one platform, secrets from a file and from the environment', (engine) => {
    const r = run(engine, { platforms: ['linux/arm64'], secrets: [secretFile, secretEnv] });
    expect(r).toEqual({
      argv: [...base(engine), ...TAGS, '--platform', 'linux/arm64', '--secret', 'id=npmrc,src=.npmrc', '--secret', 'id=token,env=API_TOKEN', 'apps/api'],
      then: [],
      errors: [],
    });
  });

  it('buildx loads a single-platform image into the image store', () => {
    expect(run('buildx', { secrets: [secretFile] }).argv).toEqual([...base('buildx'), ...TAGS, '--secret', 'id=npmrc,src=.npmrc', '--load', 'apps/api']);
  });

  it('engine arguments and build args keep their places: build args before, engine arguments just before the context', () => {
    const r = run('docker', { buildArgs: { A: '1' }, network: 'host', extraArgs: ['--no-cache'] });
    expect(r.argv).toEqual([...base('docker'), ...TAGS, '--build-arg', 'A=1', '--network=host', '--no-cache', 'apps/api']);
  });
});

describe('push', () => {
  it('docker, podman, buildah: a push command per tag after the build', () => {
    expect(run('docker', { push: true }).then).toEqual([
      ['docker', 'push', 'r.example/api:latest'],
      ['docker', 'push', 'r.example/api:sha-1'],
    ]);
    expect(run('podman', { push: true }).then).toEqual([
      ['podman', 'push', 'r.example/api:latest'],
      ['podman', 'push', 'r.example/api:sha-1'],
    ]);
    expect(run('buildah', { push: true }).then[0]).toEqual(['buildah', 'push', 'r.example/api:latest']);
  });

  it('buildx: --push instead of --load', () => {
    const r = run('buildx', { push: true });
    expect(r.argv.slice(-2)).toEqual(['--push', 'apps/api']);
    expect(r.argv).not.toContain('--load');
    expect(r.then).toEqual([]);
  });

  it('a cache-only stage is never pushed; buildx builds it with --output=type=cacheonly, untagged', () => {
    expect(run('docker', { push: true, cacheOnly: true }).then).toEqual([]);
    expect(run('buildx', { push: true, cacheOnly: true }).argv).toEqual([...base('buildx'), '--output=type=cacheonly', 'apps/api']);
  });
});

describe('several platforms', () => {
  const platforms = ['linux/amd64', 'linux/arm64'];

  it('docker: an error that says what to use', () => {
    const r = run('docker', { platforms, push: true });
    expect(r.errors).toEqual([
      'api:runtime: 2 platforms (linux/amd64, linux/arm64): the docker engine builds one; use --engine buildx with --push, --engine podman or buildah (a manifest list), or choose one with --platform',
    ]);
  });

  it('buildx: one build with --push; without a push it cannot load them, and says so', () => {
    expect(run('buildx', { platforms, push: true }).argv).toEqual([...base('buildx'), ...TAGS, '--platform', 'linux/amd64,linux/arm64', '--push', 'apps/api']);
    expect(run('buildx', { platforms }).errors[0]).toMatch(/^api:runtime: 2 platforms cannot be loaded into the local image store: push them/);
  });

  it('buildx by digest: one platform, pushed by digest, its metadata written for the merge job', () => {
    const r = run('buildx', { platforms: ['linux/arm64'], push: true, byDigest: { metadataFile: 'm.json' } });
    expect(r.argv).toEqual([
      ...base('buildx'),
      '--platform',
      'linux/arm64',
      '--output',
      'type=image,name=r.example/api,push-by-digest=true,name-canonical=true,push=true',
      '--metadata-file',
      'm.json',
      'apps/api',
    ]);
  });

  it.each(['podman', 'buildah'] as const)('%s: a manifest list, pushed with all its images to every tag', (engine) => {
    const r = run(engine, { platforms, push: true });
    expect(r.argv).toEqual([...base(engine), '--platform', 'linux/amd64,linux/arm64', '--manifest', 'r.example/api:latest', 'apps/api']);
    expect(r.then).toEqual([
      [engine, 'manifest', 'push', '--all', 'r.example/api:latest', 'docker://r.example/api:latest'],
      [engine, 'manifest', 'push', '--all', 'r.example/api:latest', 'docker://r.example/api:sha-1'],
    ]);
  });
});

describe('cache', () => {
  const registry = 'type=registry,ref=r.example/api:cache';

  it('buildx passes BuildKit cache specs as written', () => {
    const r = run('buildx', { cacheFrom: [registry, 'type=local,src=/tmp/c'], cacheTo: ['type=registry,ref=r.example/api:cache,mode=max'] });
    expect(r.errors).toEqual([]);
    expect(r.argv).toEqual(expect.arrayContaining(['--cache-from', registry, '--cache-from', 'type=local,src=/tmp/c', '--cache-to', 'type=registry,ref=r.example/api:cache,mode=max']));
  });

  it('docker imports registry caches by reference and exports only the inline cache', () => {
    const r = run('docker', { cacheFrom: [registry, 'r.example/api:latest'], cacheTo: ['type=inline'] });
    expect(r.errors).toEqual([]);
    expect(r.argv).toEqual([...base('docker'), ...TAGS, '--cache-from', 'r.example/api:cache', '--cache-from', 'r.example/api:latest', '--build-arg', 'BUILDKIT_INLINE_CACHE=1', 'apps/api']);
  });

  it('docker: a registry cache export or a local cache import needs buildx', () => {
    const r = run('docker', { cacheFrom: ['type=local,src=/tmp/c'], cacheTo: [`${registry},mode=max`] });
    expect(r.errors).toEqual([
      'api:runtime: cache-from "type=local,src=/tmp/c": docker imports caches from a registry only (type=registry,ref=<image>); use --engine buildx for type=local',
      'api:runtime: cache-to "type=registry,ref=r.example/api:cache,mode=max": docker build exports only the inline cache (type=inline, pushed inside the image); a registry cache export needs --engine buildx with a docker-container builder',
    ]);
  });

  it.each(['podman', 'buildah'] as const)('%s: layers cached in a registry repository; no inline cache', (engine) => {
    const ok = run(engine, { cacheFrom: ['type=registry,ref=r.example/api-cache'], cacheTo: ['type=registry,ref=r.example/api-cache'] });
    expect(ok.argv).toEqual([...base(engine), ...TAGS, '--cache-from', 'r.example/api-cache', '--cache-to', 'r.example/api-cache', 'apps/api']);
    expect(run(engine, { cacheTo: ['type=inline'] }).errors).toEqual([
      `api:runtime: cache-to "type=inline": ${engine} exports layers to a registry repository only (type=registry,ref=<repository>); type=inline needs --engine buildx`,
    ]);
  });
});

describe('attestations', () => {
  it('buildx: --provenance and --sbom', () => {
    expect(run('buildx', { provenance: 'max', sbom: true }).argv).toEqual(expect.arrayContaining(['--provenance=mode=max', '--sbom=true']));
    expect(run('buildx', { provenance: true }).argv).toContain('--provenance=true');
    expect(run('buildx', { provenance: false, sbom: false }).argv).toEqual(expect.arrayContaining(['--provenance=false', '--sbom=false']));
  });

  it.each(['docker', 'podman', 'buildah'] as const)('%s: an attestation is an error; false is what it does anyway', (engine) => {
    expect(run(engine, { provenance: 'min', sbom: true }).errors).toEqual([
      `api:runtime: provenance attestations need --engine buildx (${engine} cannot attach them)`,
      `api:runtime: SBOM attestations need --engine buildx (${engine} cannot attach them)`,
    ]);
    expect(run(engine, { provenance: false, sbom: false }).errors).toEqual([]);
  });
});
