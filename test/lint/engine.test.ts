import { describe, expect, it } from 'vitest';
import { compile } from '@stagec/core';
import { lintText } from '../helpers/lint';

const summary = (text: string, services?: string[]) => lintText(text, services).map((f) => `${f.code}@${f.line}:${f.column} ${f.severity} [${f.services.join(',')}]`);

const SHARED = `version: 1
policy:
  forbidLatest: true
stages:
  fetch:
    from: debian:bookworm-slim
    steps:
      - run: cd /tmp && curl -fsSL https://example.com/x.tgz | tar -xz
pipelines:
  p:
    stages:
      build: { extends: fetch }
      runtime: { from: "alpine:latest" }
services:
  api: { path: apps/api, pipeline: p }
  web: { path: apps/web, pipeline: p }
`;

describe('lint engine', () => {
  it('reports a shared template once, naming every service it reaches', () => {
    expect(summary(SHARED)).toEqual([
      'CD_IN_RUN@8:14 warning [api,web]',
      'PIPE_WITHOUT_PIPEFAIL@8:25 warning [api,web]',
      'POLICY_LATEST@13:24 error [api,web]',
      'IMAGE_LATEST@13:31 warning [api,web]',
    ]);
  });

  it('with services selected, reports only theirs and names only them', () => {
    expect(summary(SHARED, ['web']).every((s) => s.endsWith('[web]'))).toBe(true);
    const solo = SHARED.replace('  web: { path: apps/web, pipeline: p }', '  web: { path: apps/web, stages: { runtime: { from: "alpine:3.20" } } }').replace('runtime: { from: "alpine:latest" }', 'runtime: { from: "alpine:latest", cmd: run }');
    expect(summary(solo, ['web'])).toEqual([]);
    expect(summary(solo, ['api']).some((s) => s.startsWith('SHELL_FORM_CMD'))).toBe(true);
  });

  it('lint.ignore lists add up from defaults, pipeline, service, stage and template; never policy', () => {
    const at = (where: string) => summary(SHARED.replace(where, `${where}\n    lint: { ignore: [CD_IN_RUN, IMAGE_LATEST] }`)).map((s) => s.split('@')[0]);
    for (const scope of ['  fetch:', '  p:']) {
      // The template's list covers the build stage only; the pipeline's covers its runtime too.
      expect(at(scope)).toEqual(['PIPE_WITHOUT_PIPEFAIL', 'POLICY_LATEST', ...(scope === '  p:' ? [] : ['IMAGE_LATEST'])]);
    }
    const defaults = summary(SHARED.replace('version: 1', 'version: 1\ndefaults: { lint: { ignore: [PIPE_WITHOUT_PIPEFAIL] } }')).map((s) => s.split('@')[0]);
    expect(defaults).not.toContain('PIPE_WITHOUT_PIPEFAIL');
    expect(defaults).toContain('CD_IN_RUN');
  });

  it('a service that ignores a shared finding drops out of its services; the others still see it', () => {
    const text = SHARED.replace('  api: { path: apps/api, pipeline: p }', '  api: { path: apps/api, pipeline: p, lint: { ignore: [CD_IN_RUN] } }');
    expect(summary(text).find((s) => s.startsWith('CD_IN_RUN'))).toBe('CD_IN_RUN@8:14 warning [web]');
  });

  it('a service stage override can ignore what its pipeline stage brings', () => {
    const text = SHARED.replace('  api: { path: apps/api, pipeline: p }', '  api: { path: apps/api, pipeline: p, stages: { build: { lint: { ignore: [PIPE_WITHOUT_PIPEFAIL] } } } }');
    expect(summary(text).find((s) => s.startsWith('PIPE'))).toBe('PIPE_WITHOUT_PIPEFAIL@8:25 warning [web]');
  });

  it('policy.severity turns a policy into warnings', () => {
    const text = SHARED.replace('  forbidLatest: true', '  forbidLatest: true\n  severity: { forbidLatest: warning }');
    expect(summary(text).find((s) => s.startsWith('POLICY_LATEST'))).toBe('POLICY_LATEST@14:24 warning [api,web]');
  });

  it('lint.ignore silences compile warnings inside its scope only', () => {
    const text = `version: 1
stages:
  t:
    from: alpine:3.20
    env: { A: $UNDEFINED_ONE }
services:
  api:
    path: apps/api
    stages:
      runtime: { extends: t, labels: { b: $UNDEFINED_TWO } }
`;
    const codes = (t: string) => compile(t).diagnostics.map((d) => `${d.code}@${d.line}`);
    expect(codes(text)).toEqual(['UNDEFINED_VARIABLE@5', 'UNDEFINED_VARIABLE@10']);
    expect(codes(text.replace('  api:\n', '  api:\n    lint: { ignore: [UNDEFINED_VARIABLE] }\n'))).toEqual(['UNDEFINED_VARIABLE@5']);
    expect(codes(text.replace('  t:\n', '  t:\n    lint: { ignore: [UNDEFINED_VARIABLE] }\n'))).toEqual(['UNDEFINED_VARIABLE@11']);
    expect(codes(text.replace('version: 1', 'version: 1\ndefaults: { lint: { ignore: [UNDEFINED_VARIABLE] } }'))).toEqual([]);
  });
});

describe('lint.ignore in the schema', () => {
  it('accepts every lint rule code and compile warning, and no policy code', async () => {
    const { stagesSchema, LINT_RULES, DIAGNOSTIC_CODES } = await import('@stagec/core');
    const allowed = (stagesSchema as { $defs: { lintSettings: { properties: { ignore: { items: { enum: string[] } } } } } }).$defs.lintSettings.properties.ignore.items.enum;
    for (const rule of LINT_RULES) expect(allowed.includes(rule.code)).toBe(rule.kind === 'lint');
    for (const code of allowed) expect(Object.keys(DIAGNOSTIC_CODES)).toContain(code);
    expect(allowed).toEqual(expect.arrayContaining(['UNDEFINED_VARIABLE', 'TARGET_NOT_LAST']));
  });

  it('a misspelt or policy code in lint.ignore is INVALID_VALUE at that entry', () => {
    const result = compile(SHARED.replace('  api: { path: apps/api, pipeline: p }', '  api: { path: apps/api, pipeline: p, lint: { ignore: [CD_IN_RUNN, POLICY_LATEST] } }'));
    expect(result.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['INVALID_VALUE@15:56', 'INVALID_VALUE@15:68']);
  });
});
