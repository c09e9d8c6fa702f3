import { describe, expect, it } from 'vitest';
import { stagec, workspace } from './harness';

// A step an `edit` entry placed is explained with the edit's line and the inherited step's.
const EDITED = `version: 1
stages:
  go-build:
    from: golang:1.23
    steps:
      - { id: download, run: go mod download }
      - { id: compile, run: go build ./... }
services:
  api:
    path: apps/api
    stages:
      build:
        extends: go-build
        edit:
          - { replace: compile, with: { run: go build -o /out/api ./cmd/api } }
          - { before: download, steps: [{ copy: vendor/ }] }
`;

describe('stagec explain with edits', () => {
  it('--json names the edit, its line, and the template step it replaced or sits next to', async () => {
    const result = await stagec(workspace({ 'stages.yaml': EDITED }), 'explain', 'api', '--json');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { text: string; line?: number; path?: string; edit?: { action: string; line: number; path: string } }[];
    const replaced = rows.find((r) => r.text === 'RUN go build -o /out/api ./cmd/api')!;
    expect(replaced).toMatchObject({ line: 15, path: 'services.api.stages.build.edit.0.with', edit: { action: 'replace', line: 7, path: 'stages.go-build.steps.1' } });
    const inserted = rows.find((r) => r.text === 'COPY vendor/ ./')!;
    expect(inserted).toMatchObject({ line: 16, path: 'services.api.stages.build.edit.1.steps.0', edit: { action: 'before', line: 6, path: 'stages.go-build.steps.0' } });
    const untouched = rows.find((r) => r.text === 'RUN go mod download')!;
    expect(untouched.edit).toBeUndefined();
  });

  it('the table prints both lines', async () => {
    const result = await stagec(workspace({ 'stages.yaml': EDITED }), 'explain', 'api', 'build');
    const line = result.stdout.split('\n').find((l) => l.startsWith('RUN go build -o /out/api'))!;
    expect(line).toContain('stages.yaml:15 services.api.stages.build.edit.0.with');
    expect(line).toContain('replaces stages.yaml:7 stages.go-build.steps.1');
  });
});
