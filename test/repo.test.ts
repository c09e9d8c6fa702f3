import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '@stagec/core';
import { lint } from './helpers/dockerfile';

const root = join(__dirname, '..');

// The repo builds its own examples: its stages.yaml must compile clean, and the committed
// Dockerfiles must be exactly what it compiles to (what `stagec compile --check` enforces).
describe("the repo's own stages.yaml", () => {
  const result = compile(readFileSync(join(root, 'stages.yaml'), 'utf8'));

  it('compiles without any diagnostic', () => {
    expect(result.diagnostics).toEqual([]);
  });

  it('covers a Node API, a Go service, a Python worker and a static site, plus a cross-service base', () => {
    expect(result.project!.services.map((s) => s.name)).toEqual(['api', 'hello-go', 'node-base', 'web', 'worker']);
    expect(result.project!.services.find((s) => s.name === 'api')!.dependsOn.map((d) => d.service)).toEqual(['node-base']);
  });

  it.each(result.dockerfiles.map((d) => [d.path, d.text]))('%s is committed fresh and lints clean', (path, text) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(text);
    expect(lint(text)).toEqual([]);
  });
});

// DESIGN.md is the product spec, kept outside the repo: a pointer to it leads a reader nowhere.
// Comments and docs point at docs/ or README sections instead.
describe('pointers inside the repo', () => {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(root, f)) && !/\.(png|ico|lock)$|package-lock\.json$/.test(f));

  it('no file points at DESIGN sections', () => {
    const pointing = tracked.filter((f) => /\bDESIGN(\.md)? ?(§|\d|part)/.test(readFileSync(join(root, f), 'utf8')));
    expect(pointing).toEqual([]);
  });
});
