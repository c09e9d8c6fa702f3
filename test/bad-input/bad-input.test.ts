import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '@stagec/core';
import { stagec, workspace } from '../../packages/cli/test/harness';

/** Every file under root with its content: the workspace must be exactly as it was after bad input. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true }).map(String).sort()) {
    const path = join(root, entry);
    out[entry] = statSync(path).isDirectory() ? '<dir>' : readFileSync(path, 'latin1');
  }
  return out;
}

const SERVICE = (path: string, extra = '') =>
  `version: 1\nservices:\n  api:\n    path: ${path}\n${extra}    stages:\n      build: { from: node:20 }\n`;

/** Runs `stagec compile` on bad input: a clear error naming the file and a position, exit 1, nothing touched. */
async function rejects(files: Record<string, string | Buffer>, code: string, withPosition = true) {
  const root = workspace({});
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const before = snapshot(root);
  const result = await stagec(root, 'compile');
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(code);
  if (withPosition) expect(result.stderr).toMatch(new RegExp(`stages\\.yaml:\\d+:\\d+ error ${code}`));
  expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
  expect(snapshot(root)).toEqual(before);
  return result;
}

describe('bad input: a clear error, exit 1, the workspace exactly as it was', () => {
  it('malformed YAML', () => rejects({ 'stages.yaml': 'version: 1\nservices: [\n' }, 'YAML_SYNTAX'));
  it('duplicate keys', () => rejects({ 'stages.yaml': 'version: 1\nversion: 1\n' }, 'DUPLICATE_KEY'));
  it('an empty file', () => rejects({ 'stages.yaml': '' }, 'MISSING_KEY'));
  it('a missing file', () => rejects({ 'README.md': 'x' }, 'FILE_NOT_FOUND', false));
  it('non-UTF-8 bytes, pointing at the first bad byte', async () => {
    const result = await rejects({ 'stages.yaml': Buffer.from('version: 1\nx: "ab\xc3("\n', 'latin1') }, 'FILE_UNREADABLE');
    expect(result.stderr).toContain('stages.yaml:2:7 error FILE_UNREADABLE');
    expect(result.stderr).toContain('byte 0xC3 at offset 17');
  });
  it('a path with ..', () => rejects({ 'stages.yaml': SERVICE('../outside') }, 'PATH_OUTSIDE_WORKSPACE'));
  it('an absolute path', () => rejects({ 'stages.yaml': SERVICE('/etc') }, 'PATH_OUTSIDE_WORKSPACE'));
  it('a dockerfile outside', () =>
    rejects({ 'stages.yaml': SERVICE('apps/api', '    dockerfile: apps/../../x/Dockerfile\n') }, 'PATH_OUTSIDE_WORKSPACE'));
  it('a context outside', () => rejects({ 'stages.yaml': SERVICE('apps/api', '    context: /\n') }, 'PATH_OUTSIDE_WORKSPACE'));
  it('a service path that is a file, pointing at the path', async () => {
    const result = await rejects({ 'stages.yaml': SERVICE('apps/api'), 'apps/api': 'a file' }, 'WRITE_FAILED');
    expect(result.stderr).toContain('stages.yaml:4:11 error WRITE_FAILED');
  });
  it('a folder where the Dockerfile goes', () =>
    rejects({ 'stages.yaml': SERVICE('apps/api'), 'apps/api/Dockerfile/keep': 'x' }, 'WRITE_FAILED'));
  it('one unwritable service among many: nothing is written for the others either', async () => {
    const two = `${SERVICE('apps/api')}  web:\n    path: apps/web\n    stages:\n      build: { from: node:20 }\n`;
    await rejects({ 'stages.yaml': two.replace('path: apps/api', 'path: apps/z'), 'apps/z': 'a file' }, 'WRITE_FAILED');
  });

  it('a symlink that leads outside the workspace', async () => {
    const outside = workspace({ 'keep.txt': 'x' });
    const root = workspace({ 'stages.yaml': SERVICE('apps/api') });
    mkdirSync(join(root, 'apps'));
    symlinkSync(outside, join(root, 'apps/api'));
    const result = await stagec(root, 'compile');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PATH_OUTSIDE_WORKSPACE');
    expect(readdirSync(outside)).toEqual(['keep.txt']);
  });

  it('an alias bomb is refused quickly and in bounded memory', async () => {
    const lines = ['version: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const started = performance.now();
    await rejects({ 'stages.yaml': `${lines.join('\n')}\n` }, 'YAML_TOO_COMPLEX');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['flow', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['block', `${'- '.repeat(50_000)}x`],
    ['indentation', `a:\n${' '.repeat(1000)}b: 1\n`],
  ])('deeply nested documents (%s) are refused in bounded time, never a crash', (_kind, text) => {
    const started = performance.now();
    const result = compile(text);
    expect(result.diagnostics.map((d) => d.code)).toContain('YAML_TOO_COMPLEX');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a 10 MB stages.yaml is handled in bounded time', () => {
    const services: string[] = [];
    for (let i = 0, length = 0; length < 10_000_000; i++) {
      length +=
        services[
          services.push(
            `  s${i}:\n    path: apps/s${i}\n    description: "${'x'.repeat(300)}"\n    stages:\n      build: { from: "node:20", env: { A: "${'y'.repeat(100)}" } }\n`,
          ) - 1
        ]!.length;
    }
    const text = `version: 1\nservices:\n${services.join('')}`;
    expect(text.length).toBeGreaterThan(10_000_000);
    const started = performance.now();
    const result = compile(text);
    expect(result.failed).toBe(false);
    expect(result.dockerfiles.length).toBe(services.length);
    expect(performance.now() - started).toBeLessThan(45_000);
  }, 60_000);
});
