import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, REPO, stagec, workspaceCopy } from './engine';
import { codesProducedBy } from '../helpers/code-registry';
import { freePort, OCI_INDEX, pushImage, pushIndex, registryAvailable, startRegistry, type Registry } from './registry';

// stagec lock against a real registry (Debian's docker-registry on 127.0.0.1; images pushed
// through its HTTP API). Diagnostics are asserted by code and position, never wording.

const BIN = join(REPO, 'packages/cli/bin/stagec.js');
interface Ran {
  status: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Async, so the token server in this process answers while stagec runs. No Docker config of the machine leaks in. */
function run(cwd: string, env: Record<string, string>, ...args: string[]): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?|no)_proxy$/i.test(k))); // the machine's proxy is not the test's
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...base, NO_COLOR: '1', DOCKER_CONFIG: join(cwd, '.no-docker-config'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status: status ?? 1, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

/** Codes this file saw reported: docs/diagnostics.md names the codes this file must produce. */
const seen = new Set<string>();

/** `stages.yaml:12:15 error CODE` lines of a run's stderr. */
function found(stderr: string): { code: string; line: number; column: number }[] {
  const diagnostics = [...stderr.matchAll(/^\S+?:(\d+):(\d+) (?:error|warning) ([A-Z_]+)/gm)].map((m) => ({
    code: m[3]!,
    line: Number(m[1]),
    column: Number(m[2]),
  }));
  for (const d of diagnostics) seen.add(d.code);
  return diagnostics;
}

afterAll(() => {
  // Only when the registry suites ran (they skip without docker-registry).
  if (!registryAvailable()) return;
  expect(codesProducedBy('test/e2e/lock.test.ts').filter((code) => !seen.has(code))).toEqual([]);
});

/** Line and column (1-based) of the YAML scalar `needle` in `text` (its opening quote, if quoted). */
function where(text: string, needle: string): { line: number; column: number } {
  let at = text.indexOf(needle);
  if (text[at - 1] === '"') at--;
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** A workspace as users have it: the config and every service's folder (else MISSING_FOLDER). */
function workspace(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagec-lock-'));
  writeFileSync(join(dir, 'stages.yaml'), yaml);
  for (const [, path] of yaml.matchAll(/^\s*path: (\S+)$/gm)) mkdirSync(join(dir, path!), { recursive: true });
  return dir;
}

const suite = registryAvailable() ? describe : describe.skip;
if (!registryAvailable()) {
  // CI installs it (scripts/e2e/registry.sh, from run.sh): there, a missing registry is a failure, not a skip.
  if (process.env.CI) throw new Error('docker-registry is not installed: scripts/e2e/registry.sh should have installed it');
  console.warn('docker-registry is not installed: run scripts/e2e/registry.sh (npm run test:e2e does); skipping the registry tests');
}

suite('stagec lock against an anonymous registry', () => {
  let registry: Registry;
  let base: string;
  let multi: { index: string; manifests: string[] };
  let tool: string;
  let dir: string;
  let yaml: string;

  beforeAll(async () => {
    registry = await startRegistry();
    base = await pushImage(registry, 'team/base', '1');
    multi = await pushIndex(registry, 'team/multi', '2', [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ]);
    tool = await pushImage(registry, 'tools/protoc', '3');
    const r = registry.host;
    yaml = [
      'version: 1',
      'args:',
      '  DEBIAN_IMAGE: debian:bookworm-slim',
      'services:',
      '  base:',
      '    path: apps/base',
      '    stages:',
      '      runtime:',
      `        from: ${r}/team/base:1`,
      '  api:',
      '    path: apps/api',
      '    stages:',
      '      build:',
      `        from: { image: "${r}/team/multi:2" }`,
      '        steps:',
      '          - run:',
      '              command: protoc --version',
      '              cache: [/root/.cache]',
      `              mounts: [{ type: bind, from: "${r}/tools/protoc:3", source: /usr/bin/protoc, target: /usr/bin/protoc }]`,
      '      deps:',
      '        from: ${DEBIAN_IMAGE}',
      '      runtime:',
      '        from: { service: base, stage: runtime }',
      `        steps: [{ copy: { from: "${r}/tools/protoc:3", src: /usr/bin/protoc, dest: /usr/bin/ } }, { copy: { from: build, src: /out, dest: /out } }]`,
      '',
    ].join('\n');
    dir = workspace(yaml);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('pins FROM, COPY --from and bind mounts; a multi-platform image keeps its index digest; variables and services stay unpinned', async () => {
    const locked = await run(dir, {}, 'lock');
    expect(locked.status, locked.stderr).toBe(0);
    expect(locked.stderr).toMatch(/resolving 3 images/);
    expect(locked.stdout).toContain('not pinned (variables; a build-arg decides them): ${DEBIAN_IMAGE}');
    const lock = readFileSync(join(dir, 'stages.lock'), 'utf8');
    const r = registry.host;
    expect(lock).toContain(
      `"${r}/team/base:1":\n    name: "${r}/team/base:1"\n    digest: "${base}"\n    mediaType: "application/vnd.oci.image.manifest.v1+json"`,
    );
    expect(lock).toContain(
      `"${r}/team/multi:2":\n    name: "${r}/team/multi:2"\n    digest: "${multi.index}"\n    mediaType: "${OCI_INDEX}"`,
    );
    for (const platformDigest of multi.manifests) expect(lock).not.toContain(platformDigest);
    expect(lock).toContain(`digest: "${tool}"`);
    expect(lock).not.toContain('DEBIAN_IMAGE');

    expect((await run(dir, {}, 'compile')).status).toBe(0);
    const api = readFileSync(join(dir, 'apps/api/Dockerfile'), 'utf8');
    expect(api).toContain(`FROM ${r}/team/multi:2@${multi.index} AS build`);
    expect(api).toContain(`from=${r}/tools/protoc:3@${tool},`);
    expect(api).toContain(`COPY --from=${r}/tools/protoc:3@${tool} /usr/bin/protoc /usr/bin/`);
    expect(api).toContain('FROM ${DEBIAN_IMAGE} AS deps');
    expect(api).toContain('FROM base:latest AS runtime');
    expect(readFileSync(join(dir, 'apps/base/Dockerfile'), 'utf8')).toContain(`FROM ${r}/team/base:1@${base} AS runtime`);
    expect((await run(dir, {}, 'compile', '--check')).status).toBe(0);
    const again = await run(dir, {}, 'lock', '--check');
    expect(again.status, again.stderr).toBe(0);
  });

  it('a re-pushed tag: lock --check exits 1 at the image; lock keeps the old digest; lock --update and compile pick up the new one', async () => {
    const before = readFileSync(join(dir, 'stages.lock'), 'utf8');
    const moved = await pushImage(registry, 'team/base', '1');
    expect(moved).not.toBe(base);
    const checked = await run(dir, {}, 'lock', '--check');
    expect(checked.status).toBe(1);
    expect(found(checked.stderr)).toEqual([{ code: 'LOCK_OUTDATED', ...where(yaml, `${registry.host}/team/base:1`) }]);
    expect(readFileSync(join(dir, 'stages.lock'), 'utf8')).toBe(before);
    expect((await run(dir, {}, 'compile', '--check')).status).toBe(0); // offline: the lock still says the old digest

    expect((await run(dir, {}, 'lock')).stdout).toMatch(/^unchanged stages.lock/);
    const updated = await run(dir, {}, 'lock', '--update', `${registry.host}/team/base`);
    expect(updated.status, updated.stderr).toBe(0);
    expect(updated.stderr).toMatch(/resolving 1 image\b/);
    expect(readFileSync(join(dir, 'stages.lock'), 'utf8')).toContain(`digest: "${moved}"`);
    expect((await run(dir, {}, 'compile', '--check')).status).toBe(1);
    expect((await run(dir, {}, 'compile')).status).toBe(0);
    expect(readFileSync(join(dir, 'apps/base/Dockerfile'), 'utf8')).toContain(`@${moved} AS runtime`);
    expect((await run(dir, {}, 'lock', '--check')).status).toBe(0);

    // An entry stages.yaml no longer uses: --check fails at it in stages.lock; lock drops it.
    const current = readFileSync(join(dir, 'stages.lock'), 'utf8');
    const extra = `${current}  "gone:1":\n    name: "docker.io/library/gone:1"\n    digest: "sha256:${'e'.repeat(64)}"\n`;
    writeFileSync(join(dir, 'stages.lock'), extra);
    const unused = await run(dir, {}, 'lock', '--check');
    expect(unused.status).toBe(1);
    expect(unused.stderr).toContain(`stages.lock:${where(extra, '"gone:1"').line}:3 error LOCK_OUTDATED`);
    const dropped = await run(dir, {}, 'lock');
    expect(dropped.stdout).toMatch(/1 dropped/);
    expect(readFileSync(join(dir, 'stages.lock'), 'utf8')).toBe(current);
  });

  it('an image stages.lock lacks: compile warns and leaves it unpinned, compile --check fails at its position (LOCK_MISSING), lock adds it', async () => {
    const ws = workspace(yaml.replace('      deps:\n', `      extra:\n        from: ${registry.host}/team/base:1-extra\n      deps:\n`));
    writeFileSync(join(ws, 'stages.lock'), readFileSync(join(dir, 'stages.lock')));
    await pushImage(registry, 'team/base', '1-extra');
    const position = where(readFileSync(join(ws, 'stages.yaml'), 'utf8'), `${registry.host}/team/base:1-extra`);
    const compiled = await run(ws, {}, 'compile');
    expect(compiled.status).toBe(0);
    expect(found(compiled.stderr)).toEqual([{ code: 'LOCK_MISSING', ...position }]);
    expect(compiled.stderr).toMatch(/warning LOCK_MISSING/);
    const checked = await run(ws, {}, 'compile', '--check');
    expect(checked.status).toBe(1);
    expect(found(checked.stderr)).toEqual([{ code: 'LOCK_MISSING', ...position }]);
    expect(checked.stderr).toMatch(/error LOCK_MISSING/);
    const lockCheck = await run(ws, {}, 'lock', '--check');
    expect(lockCheck.status).toBe(1);
    expect(found(lockCheck.stderr)).toEqual([{ code: 'LOCK_MISSING', ...position }]);

    const locked = await run(ws, {}, 'lock');
    expect(locked.status, locked.stderr).toBe(0);
    expect(locked.stderr).toMatch(/resolving 1 image\b/); // only the new one: the rest are kept
    expect((await run(ws, {}, 'compile')).status).toBe(0);
    expect((await run(ws, {}, 'compile', '--check')).status).toBe(0);
  });

  it('an unknown image and an unreachable registry: each a diagnostic at the image, nothing written', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const text = [
      'version: 1',
      'services:',
      '  a:',
      '    path: a',
      '    stages:',
      `      one: { from: "${registry.host}/team/nope:1" }`,
      `      two: { from: "${registry.host}/team/base:no-such-tag" }`,
      `      three: { from: "${dead}/team/base:1" }`,
      '',
    ].join('\n');
    const ws = workspace(text);
    const failed = await run(ws, {}, 'lock');
    expect(failed.status).toBe(1);
    expect(found(failed.stderr)).toEqual([
      { code: 'IMAGE_NOT_FOUND', ...where(text, `${registry.host}/team/nope:1`) },
      { code: 'IMAGE_NOT_FOUND', ...where(text, `${registry.host}/team/base:no-such-tag`) },
      { code: 'REGISTRY_UNREACHABLE', ...where(text, `${dead}/team/base:1`) },
    ]);
    expect(existsSync(join(ws, 'stages.lock'))).toBe(false);
  });

  it('a registry that accepts but never answers: REGISTRY_UNREACHABLE after --timeout', async () => {
    const silent = createServer(() => undefined); // never responds
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const host = `127.0.0.1:${(silent.address() as { port: number }).port}`;
    const text = `version: 1\nservices:\n  a:\n    path: a\n    stages:\n      one: { from: "${host}/x:1" }\n`;
    const ws = workspace(text);
    writeFileSync(join(ws, 'stages.lock'), 'version: 1\nimages: {}\n');
    const failed = await run(ws, {}, 'lock', '--timeout', '1');
    silent.closeAllConnections();
    silent.close();
    expect(failed.status).toBe(1);
    expect(failed.seconds).toBeLessThan(10);
    expect(found(failed.stderr)).toEqual([{ code: 'REGISTRY_UNREACHABLE', ...where(text, `${host}/x:1`) }]);
    expect(readFileSync(join(ws, 'stages.lock'), 'utf8')).toBe('version: 1\nimages: {}\n');
  });
  it('a registry that answers something unusable: REGISTRY_ERROR (a server error; a digest that does not match the manifest)', async () => {
    // Not a registry: a server that fails, and one whose Docker-Content-Digest lies about the content.
    const odd = createServer((req, res) => {
      if (req.url?.includes('/broken/'))
        res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"UNKNOWN","message":"boom"}]}');
      else if (req.method === 'HEAD') res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }).end();
      else
        res
          .writeHead(200, {
            'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
            'Docker-Content-Digest': `sha256:${'0'.repeat(64)}`,
          })
          .end('{"schemaVersion":2}');
    });
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', () => r()));
    const host = `127.0.0.1:${(odd.address() as { port: number }).port}`;
    const text = `version: 1\nservices:\n  a:\n    path: a\n    stages:\n      one: { from: "${host}/broken/x:1" }\n      two: { from: "${host}/liar/x:1" }\n`;
    const ws = workspace(text);
    const failed = await run(ws, {}, 'lock');
    odd.close();
    expect(failed.status).toBe(1);
    expect(found(failed.stderr)).toEqual([
      { code: 'REGISTRY_ERROR', ...where(text, `${host}/broken/x:1`) },
      { code: 'REGISTRY_ERROR', ...where(text, `${host}/liar/x:1`) },
    ]);
    expect(existsSync(join(ws, 'stages.lock'))).toBe(false);
  });
  it('HTTP_PROXY: requests are tunnelled through the proxy, except to NO_PROXY hosts', async () => {
    // A CONNECT proxy, as corporate proxies are: it records each tunnel and relays the bytes.
    const seen: string[] = [];
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket: Socket, head: Buffer) => {
      seen.push(`CONNECT ${req.url}`);
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    const text = `version: 1\nservices:\n  a:\n    path: a\n    stages:\n      one: { from: "${registry.host}/team/base:1" }\n`;
    const proxied = await run(workspace(text), { HTTP_PROXY: proxyUrl }, 'lock', '--timeout', '10');
    expect(proxied.status, proxied.stderr).toBe(0);
    expect(seen).toEqual([`CONNECT ${registry.host}`]);
    seen.length = 0;
    const direct = await run(workspace(text), { HTTP_PROXY: proxyUrl, NO_PROXY: 'localhost,127.0.0.1' }, 'lock', '--timeout', '10');
    proxy.closeAllConnections();
    proxy.close();
    expect(direct.status, direct.stderr).toBe(0);
    expect(seen).toEqual([]);
  });
});

function authWorkspace(registry: Registry): { ws: string; text: string } {
  const text = `version: 1\nservices:\n  app:\n    path: app\n    stages:\n      runtime:\n        from: ${registry.host}/team/app:1.0\n`;
  return { ws: workspace(text), text };
}

/** Without credentials, and with a wrong password for `user`: REGISTRY_AUTH at the image, no stages.lock. */
async function refusedWithout(registry: Registry, user: string): Promise<void> {
  const { ws, text } = authWorkspace(registry);
  const position = where(text, `${registry.host}/team/app:1.0`);
  const anonymous = await run(ws, {}, 'lock');
  expect(anonymous.status).toBe(1);
  expect(found(anonymous.stderr)).toEqual([{ code: 'REGISTRY_AUTH', ...position }]);
  const wrong = await run(ws, { STAGEC_REGISTRY_AUTH: JSON.stringify({ [registry.host]: { username: user, password: 'wrong' } }) }, 'lock');
  expect(wrong.status).toBe(1);
  expect(found(wrong.stderr)).toEqual([{ code: 'REGISTRY_AUTH', ...position }]);
  expect(existsSync(join(ws, 'stages.lock'))).toBe(false);
}

suite('stagec lock with basic auth (htpasswd, bcrypt)', () => {
  let registry: Registry;
  let digest: string;
  beforeAll(async () => {
    registry = await startRegistry({ basic: { alice: 's3cret:with:colons' } });
    digest = await pushImage(registry, 'team/app', '1.0');
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('no credentials, or wrong ones: REGISTRY_AUTH at the image, nothing written', () => refusedWithout(registry, 'alice'));

  it("credentials from Docker's config.json (DOCKER_CONFIG), or STAGEC_REGISTRY_AUTH", async () => {
    const { ws } = authWorkspace(registry);
    const config = join(ws, 'docker-config');
    mkdirSync(config);
    writeFileSync(
      join(config, 'config.json'),
      JSON.stringify({ auths: { [`http://${registry.host}`]: { auth: Buffer.from('alice:s3cret:with:colons').toString('base64') } } }),
    );
    const viaConfig = await run(ws, { DOCKER_CONFIG: config }, 'lock');
    expect(viaConfig.status, viaConfig.stderr).toBe(0);
    expect(readFileSync(join(ws, 'stages.lock'), 'utf8')).toContain(`digest: "${digest}"`);
    const viaEnv = await run(
      ws,
      { STAGEC_REGISTRY_AUTH: JSON.stringify({ [registry.host]: { username: 'alice', password: 's3cret:with:colons' } }) },
      'lock',
      '--check',
    );
    expect(viaEnv.status, viaEnv.stderr).toBe(0);
  });
});

suite('stagec lock with bearer tokens (a token server written here)', () => {
  let registry: Registry;
  let digest: string;
  beforeAll(async () => {
    registry = await startRegistry({ token: { users: { bob: 'hunter2' } } });
    digest = await pushImage(registry, 'team/app', '1.0');
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('no credentials, or wrong ones: REGISTRY_AUTH at the image, nothing written', () => refusedWithout(registry, 'bob'));

  it('with credentials: a pull-scoped token for the repository, and the digest', async () => {
    const { ws } = authWorkspace(registry);
    const before = registry.tokenRequests.length;
    const locked = await run(
      ws,
      { STAGEC_REGISTRY_AUTH: JSON.stringify({ [registry.host]: { auth: Buffer.from('bob:hunter2').toString('base64') } }) },
      'lock',
    );
    expect(locked.status, locked.stderr).toBe(0);
    expect(readFileSync(join(ws, 'stages.lock'), 'utf8')).toContain(`digest: "${digest}"`);
    expect(registry.tokenRequests.slice(before)).toEqual([
      { service: 'stagec-test-registry', scope: 'repository:team/app:pull', user: 'bob' },
    ]);
  });
});

describe("the repo's own stages.yaml", () => {
  it('has only references with variables: lock pins nothing and the committed Dockerfiles stay as they are', async () => {
    const ws = workspaceCopy();
    const locked = stagec(ws, 'lock');
    expect(locked.status, locked.stderr).toBe(0);
    expect(locked.stdout).toContain('${DEBIAN_IMAGE}');
    expect(readFileSync(join(ws, 'stages.lock'), 'utf8')).toMatch(/^version: 1\nimages: \{\}\n$/m);
    const checked = stagec(ws, 'compile', '--check');
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
  });
});

const engineUp = registryAvailable() && docker('info').status === 0;
(engineUp ? describe : describe.skip)('a pinned base image, built by a real engine', () => {
  let registry: Registry;
  const created: string[] = [];
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    for (const tag of created) docker('image', 'rm', '-f', tag);
    await registry?.stop();
  });

  /** Pushes an image to the test registry through the engine: `debian:bookworm-slim`, plus a marker file when `marker` is set. */
  function pushBase(ref: string, marker?: string): void {
    if (marker) {
      const ctx = mkdtempSync(join(tmpdir(), 'stagec-lock-base-'));
      writeFileSync(join(ctx, 'Dockerfile'), `FROM debian:bookworm-slim\nRUN echo ${marker} > /marker\n`);
      const built = docker('build', '--network=host', '-t', ref, ctx);
      expect(built.status, built.stderr).toBe(0);
      created.push(docker('image', 'inspect', '-f', '{{.Id}}', ref).stdout.trim()); // by id: a later push under the same tag leaves it untagged
    } else {
      expect(docker('tag', 'debian:bookworm-slim', ref).status).toBe(0);
    }
    created.push(ref);
    const pushed = docker('push', ref);
    expect(pushed.status, pushed.stderr).toBe(0);
  }

  it('BuildKit pulls the base by the locked digest: a re-pushed tag changes the build only after lock --update', async () => {
    const ref = `${registry.host}/lock-e2e/debian:bookworm-slim`;
    pushBase(ref, 'first');
    const yaml = `version: 1\nservices:\n  pinned:\n    path: pinned\n    image: lock-e2e/pinned\n    stages:\n      runtime:\n        from: ${ref}\n        steps: [{ run: cp /marker /built-from }]\n`;
    const ws = workspace(yaml);
    created.push('lock-e2e/pinned:latest');
    const marker = () => docker('run', '--rm', 'lock-e2e/pinned:latest', 'cat', '/built-from').stdout.trim();

    expect((await run(ws, {}, 'lock')).status).toBe(0);
    const first = await run(ws, {}, 'build', 'pinned', '--compile');
    expect(first.status, first.stderr.slice(-2000)).toBe(0);
    expect(readFileSync(join(ws, 'pinned/Dockerfile'), 'utf8')).toMatch(
      new RegExp(`FROM ${ref.replace(/[.]/g, '\\.')}@sha256:[a-f0-9]{64} AS runtime`),
    );
    expect(marker()).toBe('first');

    pushBase(ref, 'second'); // the tag moves
    const still = await run(ws, {}, 'build', 'pinned');
    expect(still.status, still.stderr.slice(-2000)).toBe(0);
    expect(marker()).toBe('first'); // pinned: the build did not follow the tag

    expect((await run(ws, {}, 'lock', '--check')).status).toBe(1);
    expect((await run(ws, {}, 'lock', '--update')).status).toBe(0);
    const moved = await run(ws, {}, 'build', 'pinned', '--compile');
    expect(moved.status, moved.stderr.slice(-2000)).toBe(0);
    expect(marker()).toBe('second');
  });
});
