import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../src/registry/challenge';
import { credentialsFor, registryKey } from '../src/registry/credentials';
import { RegistryClient } from '../src/registry/client';
import { bypassesProxy } from '../src/registry/proxy';
import { selectUpdates } from '../src/commands/lock-select';
import { stagec, workspace } from './harness';

// Offline parts of `stagec lock`; the registry itself is exercised in test/e2e/lock.test.ts.

const PINNED = `version: 1
services:
  api:
    path: apps/api
    stages:
      runtime:
        from: debian:bookworm-slim
`;
const LOCK = `version: 1
images:
  "debian:bookworm-slim":
    name: "docker.io/library/debian:bookworm-slim"
    digest: "sha256:${'a'.repeat(64)}"
`;

describe('WWW-Authenticate challenges', () => {
  it('reads Bearer parameters, quoted commas and escapes, several challenges', () => {
    expect(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/debian:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/debian:pull,push' } },
    ]);
    expect(parseChallenges('Basic realm="a \\"b\\"", Bearer realm=https://x/t, service=s')).toEqual([
      { scheme: 'basic', params: { realm: 'a "b"' } },
      { scheme: 'bearer', params: { realm: 'https://x/t', service: 's' } },
    ]);
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('credentials', () => {
  it('match registries however config.json spells them; Docker Hub has several names', () => {
    expect(registryKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(registryKey('registry-1.docker.io')).toBe('docker.io');
    expect(registryKey('http://127.0.0.1:5000/v2/')).toBe('127.0.0.1:5000');
  });
  it('STAGEC_REGISTRY_AUTH first, then config.json auths (auth, or username and password)', () => {
    const dir = workspace({ 'docker/config.json': JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw:x').toString('base64') }, 'ghcr.io': { username: 'u', password: 'p' } } }) });
    const env = { DOCKER_CONFIG: join(dir, 'docker') };
    expect(credentialsFor('docker.io', env)).toMatchObject({ username: 'hub', password: 'pw:x' });
    expect(credentialsFor('ghcr.io', env)).toMatchObject({ username: 'u', password: 'p' });
    expect(credentialsFor('quay.io', env)).toBeUndefined();
    expect(credentialsFor('ghcr.io', { ...env, STAGEC_REGISTRY_AUTH: JSON.stringify({ 'ghcr.io': { username: 'ci', password: 'token' } }) })).toMatchObject({ username: 'ci', from: 'STAGEC_REGISTRY_AUTH' });
    expect(() => credentialsFor('ghcr.io', { STAGEC_REGISTRY_AUTH: 'user:pw' })).toThrow(/not JSON/);
  });
  it('a credential helper (credHelpers), as docker login with Docker Desktop or ECR sets up', () => {
    const dir = workspace({ 'docker/config.json': JSON.stringify({ credHelpers: { 'example.io': 'stagectest' } }) });
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'docker-credential-stagectest'), '#!/bin/sh\nread server\nprintf \'{"ServerURL":"%s","Username":"helper","Secret":"from-helper"}\' "$server"\n', { mode: 0o755 });
    expect(credentialsFor('example.io', { DOCKER_CONFIG: join(dir, 'docker'), PATH: `${bin}:${process.env.PATH}` })).toMatchObject({ username: 'helper', password: 'from-helper' });
  });
});

describe('registry endpoints', () => {
  const client = new RegistryClient({ env: { STAGEC_INSECURE_REGISTRIES: 'registry.lan:5000' }, timeoutMs: 1000 });
  it.each([
    ['docker.io', 'https://registry-1.docker.io'],
    ['ghcr.io', 'https://ghcr.io'],
    ['localhost:5000', 'http://localhost:5000'],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['registry.lan:5000', 'http://registry.lan:5000'],
    ['localhost.example.com', 'https://localhost.example.com'],
  ])('%s -> %s', (domain, url) => expect(client.endpoint(domain)).toBe(url));
});

describe('lock --update <image>', () => {
  const refs = ['debian:bookworm-slim', 'debian:trixie', 'ghcr.io/acme/base:1'];
  it('matches as written, by normalised name, or every tag of a repository', () => {
    expect([...selectUpdates(['debian:bookworm-slim'], refs)]).toEqual(['debian:bookworm-slim']);
    expect([...selectUpdates(['docker.io/library/debian:trixie'], refs)]).toEqual(['debian:trixie']);
    expect([...selectUpdates(['debian'], refs)]).toEqual(['debian:bookworm-slim', 'debian:trixie']);
  });
  it('a name that matches nothing is a usage error (exit 2)', async () => {
    const dir = workspace({ 'stages.yaml': PINNED, 'stages.lock': LOCK });
    expect((await stagec(dir, 'lock', '--update', 'debain')).code).toBe(2);
    expect((await stagec(dir, 'lock', '--check', '--update')).code).toBe(2);
    process.env.STAGEC_REGISTRY_AUTH = 'alice:secret';
    try {
      const bad = await stagec(dir, 'lock');
      expect(bad.code).toBe(2);
      expect(bad.stderr).not.toContain('alice:secret');
    } finally {
      delete process.env.STAGEC_REGISTRY_AUTH;
    }
  });
});

describe('compile with a stages.lock', () => {
  it('emits the pinned reference; without an entry, a warning and the reference as written', async () => {
    const dir = workspace({ 'stages.yaml': PINNED, 'stages.lock': LOCK });
    expect((await stagec(dir, 'compile')).code).toBe(0);
    expect(readFileSync(join(dir, 'apps/api/Dockerfile'), 'utf8')).toContain(`FROM debian:bookworm-slim@sha256:${'a'.repeat(64)} AS runtime`);
    writeFileSync(join(dir, 'stages.lock'), 'version: 1\nimages: {}\n');
    const warned = await stagec(dir, 'compile');
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/^stages.yaml:7:15 warning LOCK_MISSING/m);
    expect(readFileSync(join(dir, 'apps/api/Dockerfile'), 'utf8')).toContain('FROM debian:bookworm-slim AS runtime');
    const checked = await stagec(dir, 'compile', '--check');
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/^stages.yaml:7:15 error LOCK_MISSING/m);
  });
  it('a malformed stages.lock stops every command that compiles, at its position, before anything is written', async () => {
    const dir = workspace({ 'stages.yaml': PINNED, 'stages.lock': LOCK.replace(/sha256:a+/, 'sha256:nope') });
    for (const command of [['compile'], ['print', 'api'], ['lock']]) {
      const ran = await stagec(dir, ...command);
      expect(ran.code).toBe(1);
      expect(ran.stderr).toMatch(/^stages.lock:5:13 error LOCK_INVALID/m);
    }
    expect(existsSync(join(dir, 'apps/api/Dockerfile'))).toBe(false);
  });
  it('without a stages.lock nothing is pinned and nothing is required', async () => {
    const dir = workspace({ 'stages.yaml': PINNED, 'apps/api/.keep': '' }); // the service folder exists: no MISSING_FOLDER
    expect((await stagec(dir, 'compile', '--check')).code).toBe(1); // missing Dockerfile, not a lock
    expect((await stagec(dir, 'compile')).stderr).toBe('');
  });
});

describe('stagec lock with nothing to resolve', () => {
  it('writes an empty lock when every image has variables, and lists them', async () => {
    const dir = workspace({ 'stages.yaml': 'version: 1\nargs: { B: "debian:12" }\nservices:\n  a:\n    path: a\n    stages: { s: { from: "${B}" } }\n' });
    const ran = await stagec(dir, 'lock');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('${B}');
    expect(readFileSync(join(dir, 'stages.lock'), 'utf8')).toMatch(/\nversion: 1\nimages: \{\}\n$/);
    expect((await stagec(dir, 'lock', '--check')).code).toBe(0);
  });
  it('lock --check without a stages.lock fails when there are images to lock', async () => {
    const dir = workspace({ 'stages.yaml': PINNED });
    const ran = await stagec(dir, 'lock', '--check');
    expect(ran.code).toBe(1);
    expect(ran.stderr).not.toMatch(/resolving/);
    expect(existsSync(join(dir, 'stages.lock'))).toBe(false);
  });
});

describe('validate and lock --update with a broken stages.lock', () => {
  it('validate reports LOCK_INVALID in stages.lock and LOCK_MISSING in stages.yaml', async () => {
    const dir = workspace({ 'stages.yaml': PINNED, 'stages.lock': 'version: 1\nimages: {}\n', 'apps/api/.keep': '' });
    const missing = await stagec(dir, 'validate', '--json');
    expect(missing.code).toBe(0);
    expect(JSON.parse(missing.stdout).diagnostics.map((d: { code: string; file: string; line: number }) => [d.code, d.file, d.line])).toEqual([['LOCK_MISSING', 'stages.yaml', 7]]);
    writeFileSync(join(dir, 'stages.lock'), '<<<<<<< HEAD\n');
    const broken = await stagec(dir, 'validate');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^stages.lock:1:1 error /m);
  });
  it('lock --update rewrites a lock that no longer parses; plain lock refuses to guess', async () => {
    const dir = workspace({ 'stages.yaml': 'version: 1\nservices:\n  a:\n    path: a\n    stages: { s: { from: "${B}" } }\n', 'stages.lock': 'version: 3\n' });
    expect((await stagec(dir, 'lock')).code).toBe(1);
    expect((await stagec(dir, 'lock', '--check')).code).toBe(1);
    expect((await stagec(dir, 'lock', '--update')).code).toBe(0);
    expect(readFileSync(join(dir, 'stages.lock'), 'utf8')).toMatch(/\nversion: 1\nimages: \{\}\n$/);
  });
});

describe('stagec lock cannot write', () => {
  it('a folder where stages.lock goes: WRITE_FAILED, exit 1, no stack trace', async () => {
    const dir = workspace({ 'stages.yaml': 'version: 1\nservices:\n  a:\n    path: a\n    stages: { s: { from: "${B}" } }\n' });
    mkdirSync(join(dir, 'stages.lock'));
    const ran = await stagec(dir, 'lock');
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/FILE_UNREADABLE|WRITE_FAILED/);
    expect(ran.stderr).not.toMatch(/internal error/);
  });
});

describe('NO_PROXY', () => {
  it.each([
    ['http://127.0.0.1:5000/v2/', '127.0.0.1', true],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000', true],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:6000', false],
    ['https://ghcr.io/v2/', '.ghcr.io', true],
    ['https://eu.registry.example.com/v2/', 'example.com', true],
    ['https://example.com.evil.io/v2/', 'example.com', false],
    ['https://registry-1.docker.io/v2/', '*', true],
    ['https://registry-1.docker.io/v2/', '', false],
  ])('%s with NO_PROXY=%j: bypass %s', (url, noProxy, bypass) => {
    expect(bypassesProxy(new URL(url), noProxy)).toBe(bypass);
  });
});

describe('stages.lock through the read and write paths', () => {
  it('a symlinked stages.lock is neither read nor written through', async () => {
    const dir = workspace({ 'stages.yaml': 'version: 1\nservices:\n  a:\n    path: a\n    stages: { s: { from: "${B}" } }\n', 'elsewhere.lock': 'version: 1\nimages: {}\n' });
    symlinkSync(join(dir, 'elsewhere.lock'), join(dir, 'stages.lock'));
    for (const command of [['compile'], ['lock'], ['lock', '--update']]) {
      const ran = await stagec(dir, ...command);
      expect(ran.code).toBe(1);
      expect(ran.stderr).toMatch(/^stages.lock error FILE_UNREADABLE|error WRITE_FAILED/m);
    }
    expect(readFileSync(join(dir, 'elsewhere.lock'), 'utf8')).toBe('version: 1\nimages: {}\n');
  });
});
