import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, sh, stagec } from './engine';
import { startRegistry, type Registry } from './registry';

// Build settings against real components (DESIGN 12): a local registry (Debian's
// docker-registry), `stagec build --push`, a rebuild from the registry's inline cache after the
// local images and build cache are gone, and secrets that a RUN reads but no layer keeps.
// Image names start with build-settings/ (the engine is shared).

let registry: Registry;
let ws = '';
const results: string[] = [];
const TOKEN = `file-secret-${createHash('sha256').update(String(process.hrtime.bigint())).digest('hex').slice(0, 24)}`;
const ENV_TOKEN = `env-secret-${createHash('sha256').update(`${Date.now()}-env`).digest('hex').slice(0, 24)}`;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

const stagesYaml = (host: string): string => `version: 1
defaults:
  registry: ${host}/build-settings
  tag: e2e
  build:
    cache:
      from: ["type=registry,ref=\${{ service.image }}:e2e"]
      to: [type=inline]
services:
  cached:
    path: cached
    build: { push: true }
    stages:
      runtime:
        from: debian:bookworm-slim
        workdir: /app
        steps:
          - copy: [payload.txt]
          - run: sleep 5 && sha256sum payload.txt > payload.sha && head -c 3000000 /dev/urandom > blob
        cmd: [cat, payload.sha]
  secretive:
    path: secretive
    build:
      cache: null
      secrets:
        token: { src: .secrets/token.txt }   # outside the build context
        envtoken: { env: BS_E2E_TOKEN }
    stages:
      runtime:
        from: debian:bookworm-slim
        steps:
          - run:
              command: cat /run/secrets/token /run/secrets/envtoken | sha256sum | cut -c1-64 > /secrets.sha
              secrets: [token, envtoken]
`;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(ws, path)), { recursive: true });
  writeFileSync(join(ws, path), text);
}

/** BuildKit plain progress: is the step whose command contains `needle` reported CACHED? */
function stepCached(log: string, needle: string): boolean {
  const step = log.split('\n').find((l) => /^#\d+ \[/.test(l) && l.includes(needle));
  if (!step) throw new Error(`no step with "${needle}" in the build log:\n${log.slice(-2000)}`);
  const id = step.split(' ')[0]!;
  return log.split('\n').some((l) => l === `${id} CACHED`);
}

/** Every file of a saved image (docker save, or buildah push docker-archive:), layers as the uncompressed tars written there: does any hold each needle? */
function savedImageContains(image: string, needles: string[], save = (tar: string) => docker('save', '-o', tar, image)): boolean[] {
  const dir = mkdtempSync(join(tmpdir(), 'build-settings-save-'));
  try {
    const tar = join(dir, 'image.tar');
    const saved = save(tar);
    expect(saved.status, saved.stderr).toBe(0);
    const out = join(dir, 'x');
    mkdirSync(out);
    expect(sh('tar', ['-xf', tar, '-C', out]).status).toBe(0);
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(out);
    expect(files.length).toBeGreaterThan(2);
    const blobs = files.map((f) => readFileSync(f));
    return needles.map((n) => blobs.some((b) => b.includes(n)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tags of a repository, from the registry's own API (v2). */
async function tagsOf(repository: string): Promise<string[]> {
  const response = await fetch(`${registry.url}/v2/${repository}/tags/list`);
  if (response.status === 404) return [];
  return ((await response.json()) as { tags?: string[] | null }).tags ?? [];
}

beforeAll(async () => {
  registry = await startRegistry();
  ws = mkdtempSync(join(tmpdir(), 'build-settings-e2e-'));
  write('stages.yaml', stagesYaml(registry.host));
  // New content every run: the first build is cold whatever an earlier run left in the build cache.
  write('cached/payload.txt', `payload ${TOKEN.slice(-12)}\n`);
  write('.secrets/token.txt', TOKEN);
  const r = stagec(ws, 'compile');
  expect(r.status, r.stderr).toBe(0);
});

afterAll(async () => {
  for (const image of ['cached', 'secretive']) docker('rmi', '-f', `${registry.host}/build-settings/${image}:e2e`);
  await registry?.stop();
  if (ws) rmSync(ws, { recursive: true, force: true });
  console.log(`\n${results.join('\n')}\n`);
});

describe('push and cache through a real registry', () => {
  const image = () => `${registry.host}/build-settings/cached:e2e`;
  let cold = 0;

  it('stagec build cached --push builds, then pushes every tag to the registry', async () => {
    const r = stagec(ws, 'build', 'cached', '--push', '--', '--progress=plain');
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toContain('--build-arg BUILDKIT_INLINE_CACHE=1');
    expect(r.stderr).toContain(`docker push ${image()}`);
    expect(await tagsOf('build-settings/cached')).toEqual(['e2e']);
    cold = r.seconds;
    results.push(`first build + push: ${r.seconds.toFixed(1)} s`);
  });

  it('after docker rmi and docker builder prune -af, a rebuild with the configured cache-from reuses the layers', () => {
    expect(docker('rmi', image()).status).toBe(0);
    // The engine is shared: prune exactly here, where the test needs an empty build cache.
    expect(docker('builder', 'prune', '-af').status).toBe(0);
    expect(docker('image', 'inspect', image()).status).not.toBe(0);
    const r = stagec(ws, 'build', 'cached', '--no-push', '--', '--progress=plain');
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toContain(`--cache-from ${image()}`);
    expect(stepCached(r.stderr, 'sleep 5')).toBe(true);
    expect(stepCached(r.stderr, 'COPY payload.txt')).toBe(true);
    expect(r.stdout + r.stderr).not.toContain('docker push');
    expect(r.seconds).toBeLessThan(cold);
    results.push(`rebuild from the registry's inline cache after rmi + builder prune: ${r.seconds.toFixed(1)} s (RUN sleep 5 and COPY CACHED)`);
    expect(docker('run', '--rm', '--network=host', image()).stdout.trim()).toMatch(/^[0-9a-f]{64} {2}payload\.txt$/);
  });

  it('the control: without the cache-from the same rebuild runs the RUN again', () => {
    expect(docker('rmi', image()).status).toBe(0);
    expect(docker('builder', 'prune', '-af').status).toBe(0);
    const r = stagec(ws, 'build', 'cached', '--no-push', '--cache-from', `${registry.host}/build-settings/absent:none`, '--', '--progress=plain');
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(stepCached(r.stderr, 'sleep 5')).toBe(false);
    results.push(`same rebuild without a usable cache: ${r.seconds.toFixed(1)} s`);
  });
});

describe('secrets', () => {
  const image = () => `${registry.host}/build-settings/secretive:e2e`;

  it('a RUN reads the secrets from a file and from the environment', () => {
    process.env.BS_E2E_TOKEN = ENV_TOKEN;
    const r = stagec(ws, 'build', 'secretive', '--', '--progress=plain');
    delete process.env.BS_E2E_TOKEN;
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toContain('--secret id=envtoken,env=BS_E2E_TOKEN --secret id=token,src=.secrets/token.txt');
    const inside = docker('run', '--rm', '--network=host', image(), 'cat', '/secrets.sha');
    expect(inside.stdout.trim()).toBe(sha256(TOKEN + ENV_TOKEN));
  });

  it('no layer of the saved image holds either secret, while the hash the RUN wrote is found (the search works)', () => {
    expect(savedImageContains(image(), [TOKEN, ENV_TOKEN, sha256(TOKEN + ENV_TOKEN)])).toEqual([false, false, true]);
    results.push('secrets: read inside RUN (file and env sources), in none of the layers of `docker save`');
  });

  const hasBuildah = sh('sh', ['-c', 'command -v buildah']).status === 0;
  it.runIf(hasBuildah)('buildah gets the same secret sources: read inside RUN, in none of its layers', () => {
    const env = { STAGEC_BUILDAH: 'buildah --storage-driver vfs', BUILDAH_ISOLATION: 'chroot', BS_E2E_TOKEN: ENV_TOKEN };
    const bin = join(__dirname, '..', '..', 'packages/cli/bin/stagec.js');
    const r = sh(process.execPath, [bin, 'build', 'secretive', '--engine', 'buildah', '--', '--pull=false'], { cwd: ws, env });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toContain('buildah bud -f secretive/Dockerfile --target runtime');
    expect(r.stderr).toContain('--secret id=envtoken,env=BS_E2E_TOKEN --secret id=token,src=.secrets/token.txt');
    const buildah = (...args: string[]) => sh('buildah', ['--storage-driver', 'vfs', ...args]);
    try {
      const found = savedImageContains(image(), [TOKEN, ENV_TOKEN, sha256(TOKEN + ENV_TOKEN)], (tar) => buildah('push', image(), `docker-archive:${tar}`));
      expect(found).toEqual([false, false, true]);
      results.push(`buildah: the same, ${r.seconds.toFixed(1)} s`);
    } finally {
      buildah('rmi', '-f', image());
    }
  });
});
