import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../src/lint-format';
import { stagec, workspace } from './harness';

const CONFIG = `version: 1
policy:
  requireNonRootRuntime: true
  severity: { requireNonRootRuntime: warning }
stages:
  fetch:
    from: debian:bookworm-slim
    steps:
      - run: "cd /tmp && echo '100%, done: ok' | tee /log"
services:
  api:
    path: apps/api
    stages:
      build: { extends: fetch }
      runtime: { from: "alpine:3.20", user: app }
  web:
    path: apps/web
    stages:
      runtime: { from: "alpine:3.20" }
`;

/**
 * GitHub's runner reads `::command key=value,key=value::message` (ActionCommand.TryParseV2):
 * the property list is trimmed, split on `,`, each pair on its first `=`, values unescaped
 * (%0D, %0A, %3A, %2C, then %25); the message unescapes %0D, %0A, %25; no raw CR or LF.
 */
function parseAnnotation(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::([a-z]+)( [^:]*)?::(.*)$/s.exec(line);
  if (!m || /[\r\n]/.test(line)) throw new Error(`not a workflow command: ${JSON.stringify(line)}`);
  const unData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const unProp = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const props: Record<string, string> = {};
  for (const pair of (m[2] ?? '').trim().split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    props[pair.slice(0, eq)] = unProp(pair.slice(eq + 1));
  }
  return { command: m[1]!, props, message: unData(m[3]!) };
}

describe('stagec lint', () => {
  it('prints findings with code frames, services and chain; exits 1 on a warning by default', async () => {
    const ws = workspace({ 'stages.yaml': CONFIG });
    const r = await stagec(ws, 'lint');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stages.yaml:9:15 warning CD_IN_RUN');
    expect(r.stdout).toContain('   service: api\n');
    expect(r.stdout).toContain('via services.api.stages.build > stages.fetch');
    expect(r.stdout).toMatch(/3 warnings in 2 services\n$/);
  });

  it('--fail-on error passes warnings; a policy error fails it', async () => {
    const ws = workspace({ 'stages.yaml': CONFIG });
    expect((await stagec(ws, 'lint', '--fail-on', 'error')).code).toBe(0);
    const strict = workspace({ 'stages.yaml': CONFIG.replace('  severity: { requireNonRootRuntime: warning }\n', '') });
    const r = await stagec(strict, 'lint', '--fail-on', 'error');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error POLICY_ROOT_RUNTIME');
  });

  it('--service prints only the chosen services, and exits 0 when they are clean', async () => {
    const ws = workspace({ 'stages.yaml': CONFIG });
    const r = await stagec(ws, 'lint', '--service', 'api', '--format', 'json');
    const body = JSON.parse(r.stdout);
    expect(body.services).toEqual(['api']);
    expect(body.findings.every((f: { services: string[] }) => f.services.join() === 'api')).toBe(true);
    expect(body.findings.map((f: { code: string }) => f.code)).toEqual(['CD_IN_RUN', 'PIPE_WITHOUT_PIPEFAIL']);
    const clean = workspace({ 'stages.yaml': CONFIG.replace('cd /tmp && ', '').replace(' | tee /log', '') });
    const ok = await stagec(clean, 'lint', '-s', 'api');
    expect([ok.code, ok.stdout]).toEqual([0, 'stages.yaml: no findings (1 service)\n']);
  });

  it('--format json has the documented shape', async () => {
    const ws = workspace({ 'stages.yaml': CONFIG });
    const r = await stagec(ws, 'lint', '--format', 'json');
    const body = JSON.parse(r.stdout);
    expect(Object.keys(body)).toEqual(['ok', 'file', 'failOn', 'services', 'counts', 'findings']);
    expect(body).toMatchObject({ ok: false, file: 'stages.yaml', failOn: 'warning', services: ['api', 'web'], counts: { error: 0, warning: 3 } });
    expect(Object.keys(body.findings[0])).toEqual(['code', 'severity', 'kind', 'message', 'hint', 'file', 'line', 'column', 'endLine', 'endColumn', 'path', 'services', 'chain']);
    expect(body.findings[0]).toMatchObject({ code: 'CD_IN_RUN', kind: 'lint', line: 9, column: 15, path: 'stages.fetch.steps.0.run', services: ['api'], chain: ['services.api.stages.build', 'stages.fetch'] });
    expect(body.findings.find((f: { code: string }) => f.code === 'POLICY_ROOT_RUNTIME')).toMatchObject({ kind: 'policy', severity: 'warning', services: ['web'] });
  });

  it('--format github writes one valid workflow command per finding', async () => {
    const ws = workspace({ 'stages.yaml': CONFIG });
    const r = await stagec(ws, 'lint', '--format', 'github', '--service', 'api', '--service', 'web');
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    const first = parseAnnotation(lines[0]!);
    expect(first.command).toBe('warning');
    expect(first.props).toEqual({ file: 'stages.yaml', line: '9', endLine: '9', col: '15', endColumn: '22', title: 'CD_IN_RUN (api)' });
    expect(first.message.split('\n')[0]).toBe('cd /tmp changes folder for this RUN only');
    expect(first.message).toContain('\nhint: ');
  });

  it('github escaping round-trips any text through the runner\'s rules', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '%', '\r', '\n', ':', ',', '=', ' ', '2', '5', 'A', '0', 'D') });
    fc.assert(
      // The runner trims the property list, so a title may not start or end with whitespace (ours never do).
      fc.property(text.filter((t) => t.trim() === t), text, (title, message) => {
        const line = `::error file=stages.yaml,title=${escapeProperty(title)}::${escapeData(message)}`;
        const parsed = parseAnnotation(line);
        expect(parsed.props.title).toBe(title);
        expect(parsed.message).toBe(message);
        expect(escapeProperty(title)).not.toMatch(/[,:\r\n]/);
      }),
      { numRuns: 300, seed: 19 },
    );
  });

  it('a stages.yaml that does not compile is exit 1 with its errors; an unknown service is a usage error', async () => {
    const broken = workspace({ 'stages.yaml': CONFIG.replace('extends: fetch', 'extends: fetc') });
    const r = await stagec(broken, 'lint');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('UNKNOWN_TEMPLATE');
    const ws = workspace({ 'stages.yaml': CONFIG });
    const u = await stagec(ws, 'lint', '--service', 'nope');
    expect(u.code).toBe(2);
    expect((await stagec(ws, 'lint', '--format', 'xml')).code).toBe(2);
  });

  it('requireDigests counts images pinned by stages.lock; a reference with variables stays unpinnable', async () => {
    const config = `version: 1
policy: { requireDigests: true }
args: { NODE_VERSION: "22" }
services:
  api:
    path: apps/api
    stages:
      deps: { from: "node:\${NODE_VERSION}-slim" }
      runtime: { from: "debian:bookworm-slim", user: app }
`;
    const lock = `version: 1\nimages:\n  "debian:bookworm-slim":\n    name: "docker.io/library/debian:bookworm-slim"\n    digest: "sha256:${'a'.repeat(64)}"\n`;
    const codes = async (files: Record<string, string>) => JSON.parse((await stagec(workspace(files), 'lint', '--format', 'json')).stdout).findings.map((f: { code: string; line: number }) => `${f.code}@${f.line}`);
    expect(await codes({ 'stages.yaml': config })).toEqual(['POLICY_DIGEST@8', 'POLICY_DIGEST@9']);
    expect(await codes({ 'stages.yaml': config, 'stages.lock': lock })).toEqual(['POLICY_DIGEST@8']);
    const broken = await stagec(workspace({ 'stages.yaml': config, 'stages.lock': 'version: 1\nimages: 3\n' }), 'lint');
    expect([broken.code, broken.stderr.includes('LOCK_INVALID')]).toEqual([1, true]);
  });

  it('--help explains the options with examples', async () => {
    const r = await stagec(workspace({}), 'lint', '--help');
    expect(r.code).toBe(0);
    for (const s of ['--service', '--format', '--fail-on', 'Examples:', 'stagec lint --format github', 'docs/lint.md']) expect(r.stdout).toContain(s);
  });
});
