import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { params } from '../../../test/property/generators';
import { collectImages, compile, formatLock, parseImageName, parseLock, type Lock } from '../src';

describe('image references, normalised as Docker does', () => {
  it.each([
    ['debian', 'docker.io/library/debian:latest'],
    ['debian:bookworm-slim', 'docker.io/library/debian:bookworm-slim'],
    ['index.docker.io/acme/app:1', 'docker.io/acme/app:1'],
    ['acme/app', 'docker.io/acme/app:latest'],
    ['ghcr.io/acme/app:1.2', 'ghcr.io/acme/app:1.2'],
    ['localhost:5000/app:dev', 'localhost:5000/app:dev'],
    ['localhost/app', 'localhost/app:latest'],
    ['127.0.0.1:5000/team/app:3', '127.0.0.1:5000/team/app:3'],
  ])('%s -> %s', (reference, canonical) => {
    const parsed = parseImageName(reference);
    expect(parsed).not.toBeInstanceOf(Error);
    expect((parsed as { canonical: string }).canonical).toBe(canonical);
  });
  it.each(['Debian:12', 'a::b', '', 'x:y:z'])('refuses %j', (reference) => {
    expect(parseImageName(reference)).toBeInstanceOf(Error);
  });
});

describe('collectImages', () => {
  const text = `version: 1
args: { BASE: "debian:12" }
services:
  lib:
    path: lib
    stages: { runtime: { from: scratch } }
  app:
    path: app
    stages:
      build:
        from: golang:1.23
        steps:
          - run: { command: make, cache: [/c], mounts: [{ type: tmpfs, target: /d }, { type: bind, from: "tools:1", target: /t }] }
      deps: { from: "\${BASE}" }
      pinned: { from: "alpine@sha256:${'0'.repeat(64)}" }
      runtime:
        from: { service: lib, stage: runtime }
        steps: [{ copy: { from: { image: busybox:1 }, src: /bin/sh, dest: /bin/sh } }, { copy: { from: build, src: /a, dest: /a } }]
`;
  const result = compile(text);
  const uses = collectImages(result.project!, result.source);
  const pos = (path: readonly (string | number)[]) => result.source.position(path);

  it('finds FROM, bind mounts and COPY --from images, with the scalar each is written in', () => {
    expect(uses.lockable.map((u) => [u.reference, u.kind, pos(u.path).line, pos(u.path).column])).toEqual([
      ['golang:1.23', 'from', 11, 15],
      ['tools:1', 'mount', 13, 106],
      ['busybox:1', 'copy', 18, 42],
    ]);
  });
  it('sets apart references with variables and digests; never scratch, stages or services', () => {
    expect(uses.variable.map((u) => u.reference)).toEqual(['${BASE}']);
    expect(uses.pinned.map((u) => u.kind)).toEqual(['from']);
  });
});

describe('stages.lock', () => {
  const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);
  const lock: fc.Arbitrary<Lock> = fc
    .dictionary(fc.string({ minLength: 1 }), fc.record({ name: fc.string({ minLength: 1 }), digest, mediaType: fc.option(fc.string(), { nil: undefined }) }, { requiredKeys: ['name', 'digest'] }))
    .map((images) => ({ version: 1, images: Object.fromEntries(Object.entries(images).map(([k, v]) => [k, v.mediaType === undefined ? { name: v.name, digest: v.digest } : v])) }));

  it('reads back what it writes, for any reference text (quotes, colons, #, newlines, unicode)', () => {
    fc.assert(
      fc.property(lock, (l) => {
        const parsed = parseLock(formatLock(l));
        expect(parsed.diagnostics).toEqual([]);
        expect(parsed.lock).toEqual(l);
      }),
      params(300),
    );
  });

  it('keeps images named like Object.prototype members (__proto__, constructor) as plain entries', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    const l: Lock = { version: 1, images: JSON.parse(`{"__proto__": {"name": "x", "digest": "${d}"}, "constructor": {"name": "y", "digest": "${d}"}}`) as Lock['images'] };
    const parsed = parseLock(formatLock(l));
    expect(Object.keys(parsed.lock!.images).sort()).toEqual(['__proto__', 'constructor']);
    expect(parseLock(formatLock({ version: 1, images: {} })).lock!.images.constructor).toBeUndefined();
  });

  it('is byte-stable whatever the order of the entries', () => {
    fc.assert(
      fc.property(lock, (l) => {
        const reversed: Lock = { version: 1, images: Object.fromEntries(Object.entries(l.images).reverse()) };
        expect(formatLock(reversed)).toBe(formatLock(l));
      }),
      params(300),
    );
  });

  it('refuses a digest that is not sha256:<64 hex> at its position', () => {
    const parsed = parseLock('version: 1\nimages:\n  "a:1":\n    name: docker.io/library/a:1\n    digest: "sha256:abc\\nRUN evil"\n');
    expect(parsed.lock).toBeUndefined();
    expect(parsed.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['LOCK_INVALID', 5, 13]]);
  });
});

describe('LOCK_MISSING', () => {
  it('one diagnostic per reference, at its first place, the other places related; an error only when required', async () => {
    const { readFileSync } = await import('node:fs');
    const dir = `${__dirname}/../../../test/fixtures/errors/LOCK_MISSING`;
    const lock = parseLock(readFileSync(`${dir}/stages.lock`, 'utf8')).lock!;
    const text = readFileSync(`${dir}/stages.yaml`, 'utf8');
    const strict = compile(text, { lock, lockRequired: true });
    expect(strict.failed).toBe(true);
    expect(strict.dockerfiles).toEqual([]);
    expect(strict.diagnostics.map((d) => [d.code, d.severity, d.line, d.column, d.related?.map((r) => [r.line, r.column])])).toEqual([['LOCK_MISSING', 'error', 11, 15, [[18, 24]]]]);
    const lenient = compile(text, { lock });
    expect(lenient.failed).toBe(false);
    expect(lenient.dockerfiles.find((d) => d.service === 'api')!.text).toContain('FROM golang:1.23-bookworm@sha256:');
    expect(lenient.dockerfiles.find((d) => d.service === 'api')!.text).toContain('FROM debian:bookworm-slim AS runtime');
  });
  it('compile --service: only the selected services need entries', () => {
    const text = 'version: 1\nservices:\n  a:\n    path: a\n    stages: { s: { from: "x:1" } }\n  b:\n    path: b\n    stages: { s: { from: "y:1" } }\n';
    const lock: Lock = { version: 1, images: { 'x:1': { name: 'docker.io/library/x:1', digest: `sha256:${'1'.repeat(64)}` } } };
    expect(compile(text, { lock, lockRequired: true, services: ['a'] }).failed).toBe(false);
    expect(compile(text, { lock, lockRequired: true, services: ['b'] }).failed).toBe(true);
  });
});
