import { readFileSync } from 'node:fs';
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
