import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitBake, emitIgnoreFile } from '@stagec/core';
import { lint } from './helpers/dockerfile';
import { compileFixture, fixtureDirs, FIXTURES, golden } from './helpers/fixtures';

// Golden fixtures for the language: each case's Dockerfiles are compared byte for byte with
// test/fixtures/compile/<case>/expected/<path>, and must lint clean with dockerfile-utils.
describe.each(fixtureDirs('compile'))('compile fixture %s', (name) => {
  const dir = join(FIXTURES, 'compile', name);
  const result = compileFixture(dir);

  it('has no errors', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each(result.dockerfiles.map((d) => [d.path, d.text]))('matches golden %s', (path, text) => {
    expect(text).toBe(golden(join(dir, 'expected', path), text));
  });

  it.each(result.dockerfiles.map((d) => [d.path, d.text]))('lints clean: %s', (_path, text) => {
    expect(lint(text)).toEqual([]);
  });

  // Pruned contexts (a workspace.json fixture): each ignore file, built on the fixture's dockerignore.txt.
  const base = (() => {
    try {
      return readFileSync(join(dir, 'dockerignore.txt'), 'utf8');
    } catch {
      return undefined;
    }
  })();
  it.each(result.contexts.map((c) => [c.ignoreFile, emitIgnoreFile(c, base)]))('matches golden %s', (path, text) => {
    expect(text).toBe(golden(join(dir, 'expected', path), text));
  });

  it('matches the golden bake file', () => {
    const bake = `${JSON.stringify(emitBake(result.project!), null, 2)}\n`;
    expect(bake).toBe(golden(join(dir, 'expected', 'docker-bake.json'), bake));
  });

  it('compiles byte-identically twice', () => {
    const again = compileFixture(dir);
    expect(again.dockerfiles.map((d) => d.text)).toEqual(result.dockerfiles.map((d) => d.text));
  });
});

describe('warnings in golden fixtures', () => {
  it('ordering: no warnings', () => {
    expect(compileFixture(join(FIXTURES, 'compile', 'ordering')).diagnostics).toEqual([]);
  });
  it('expressions: the base image may define $HOME, so no warning', () => {
    expect(compileFixture(join(FIXTURES, 'compile', 'expressions')).diagnostics).toEqual([]);
  });
  it('the stages.yaml of each case exists', () => {
    expect(readFileSync(join(FIXTURES, 'compile', 'ordering', 'stages.yaml'), 'utf8')).toContain('version: 1');
  });
});
