import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagec, stagecEnv, TWO_SERVICES, workspace } from './harness';

/** A stand-in engine that logs each call's arguments. */
function fakeEngine(root: string): string {
  const path = join(root, 'fake-docker.sh');
  writeFileSync(path, '#!/bin/sh\necho "$*" >> "$FAKE_LOG"\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

async function compiled(config = TWO_SERVICES): Promise<string> {
  const root = workspace({ 'stages.yaml': config });
  expect((await stagec(root, 'compile')).code).toBe(0);
  return root;
}

describe('stagec build: arguments', () => {
  it('refuses a second service instead of passing it to the engine (exit 2, nothing run)', async () => {
    const root = await compiled();
    const log = join(root, 'log');
    const r = await stagecEnv(root, { STAGEC_DOCKER: fakeEngine(root), FAKE_LOG: log }, 'build', 'api', 'web', '--dry-run');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('build takes one service, got also "web"');
    const before = await stagecEnv(root, { STAGEC_DOCKER: fakeEngine(root), FAKE_LOG: log }, 'build', 'api', 'web', '--', '--no-cache');
    expect(before.code).toBe(2);
    expect(() => readFileSync(log)).toThrow();
  });

  it('engine arguments only after --, placed before the context; stagec options anywhere before it', async () => {
    const root = await compiled();
    const dry = await stagec(root, 'build', 'api', '--dry-run', '--push', '--', '--no-cache');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      'DOCKER_BUILDKIT=1 docker build -f apps/api/Dockerfile --target runtime -t ghcr.io/acme/api:latest --no-cache apps/api\ndocker push ghcr.io/acme/api:latest\n',
    );
  });

  it('--platform is repeatable and comma-separated; --cache-from and --cache-to override build.cache', async () => {
    const root = await compiled();
    const r = await stagec(
      root,
      'plan',
      'api',
      '--engine',
      'buildx',
      '--platform',
      'linux/amd64,linux/arm64',
      '--platform',
      'linux/riscv64',
      '--push',
      '--cache-from',
      'type=registry,ref=c/api',
      '--cache-to',
      'type=inline',
    );
    expect(r.stdout).toBe(
      'docker buildx build -f apps/api/Dockerfile --target runtime -t ghcr.io/acme/api:latest --platform linux/amd64,linux/arm64,linux/riscv64 --cache-from type=registry,ref=c/api --cache-to type=inline --push apps/api\n',
    );
  });

  it('--no-push overrides build.push: true', async () => {
    const root = await compiled(TWO_SERVICES.replace('  registry: ghcr.io/acme\n', '  registry: ghcr.io/acme\n  build: { push: true }\n'));
    expect((await stagec(root, 'plan', 'api')).stdout).toContain('docker push ghcr.io/acme/api:latest');
    expect((await stagec(root, 'plan', 'api', '--no-push')).stdout).not.toContain('docker push');
  });

  it('build --push runs the push commands after the build, through the same engine command', async () => {
    const root = await compiled();
    const log = join(root, 'log');
    const r = await stagecEnv(root, { STAGEC_DOCKER: fakeEngine(root), FAKE_LOG: log }, 'build', 'api', '--push', '--tag', 'sha-1');
    expect(r.code).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe(
      [
        'build -f apps/api/Dockerfile --target runtime -t ghcr.io/acme/api:latest -t ghcr.io/acme/api:sha-1 apps/api',
        'push ghcr.io/acme/api:latest',
        'push ghcr.io/acme/api:sha-1',
        '',
      ].join('\n'),
    );
  });

  it('several platforms with the docker engine: exit 2 with what to use, nothing run', async () => {
    const root = await compiled();
    const r = await stagec(root, 'build', 'api', '--platform', 'linux/amd64,linux/arm64', '--dry-run');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the docker engine builds one; use --engine buildx with --push');
  });
});

describe('plan and bake refuse stale or missing Dockerfiles, as a real build does', () => {
  it('plan: missing, then stale', async () => {
    const root = workspace({ 'stages.yaml': TWO_SERVICES });
    const missing = await stagec(root, 'plan', 'api');
    expect([missing.code, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toContain('stagec plan: apps/api/Dockerfile is missing');
    await stagec(root, 'compile');
    writeFileSync(join(root, 'stages.yaml'), TWO_SERVICES.replace('npm ci', 'npm ci --omit=dev'));
    const stale = await stagec(root, 'plan', 'web');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('stagec plan: apps/web/Dockerfile is stale');
    expect(stale.stderr).toContain('run `stagec compile` first');
  });

  it('bake: refuses before writing anything', async () => {
    const root = workspace({ 'stages.yaml': TWO_SERVICES });
    const r = await stagec(root, 'bake');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stagec bake: apps/api/Dockerfile is missing');
    expect(() => readFileSync(join(root, 'docker-bake.json'))).toThrow();
  });

  it('build --dry-run --compile says what it would write, and writes nothing', async () => {
    const root = workspace({ 'stages.yaml': TWO_SERVICES });
    const r = await stagec(root, 'build', 'api', '--dry-run', '--compile');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('would write apps/api/Dockerfile');
    expect(() => readFileSync(join(root, 'apps/api/Dockerfile'))).toThrow();
  });
});
