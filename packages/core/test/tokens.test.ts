import { describe, expect, it } from 'vitest';
import { compile, renderMermaid, buildGraph, tokens } from '../src';

const refusals = (fn: (refuse: tokens.Refuse) => unknown): string[] => {
  const [refuse, found] = tokens.collect();
  fn(refuse);
  return found.map((r) => r.code);
};

const yaml = (stage: string, extra = ''): string =>
  `version: 1\n${extra}services:\n  api:\n    path: apps/api\n    stages:\n      runtime:\n        from: debian:bookworm-slim\n${stage}`;

describe('token classes', () => {
  it('image references: the reference grammar, variables standing in for any part', () => {
    for (const ok of ['node:20', 'ghcr.io/acme/api:1.2.3', 'localhost:5000/x@sha256:' + 'a'.repeat(64), 'node:${NODE_VERSION}-slim', '${BASE}', '$REG/app']) {
      expect(refusals((r) => tokens.imageReference(ok, r)), ok).toEqual([]);
    }
    for (const bad of ['node:20 AS x', 'Node', 'a"b', 'x\ny', '--platform=x', '']) expect(refusals((r) => tokens.imageReference(bad, r)), bad).not.toEqual([]);
    expect(refusals((r) => tokens.imageName('localhost:5000', r, 'registry'))).toEqual([]);
  });

  it('ports, users, signals', () => {
    for (const ok of ['80', '8000-8010', '53/udp', '${PORT}', '$P/tcp']) expect(refusals((r) => tokens.port(ok, r)), ok).toEqual([]);
    for (const bad of ['-1', '0', '99999999999', '70000', '10-5', '80/http', '80 81']) expect(refusals((r) => tokens.port(bad, r)), bad).toEqual(['INVALID_PORT']);
    for (const ok of ['node', '65532:65532', 'app:staff', '${UID}:${GID}']) expect(refusals((r) => tokens.user(ok, r)), ok).toEqual([]);
    for (const bad of ['app staff', 'a:b:c', '-x', 'root;id']) expect(refusals((r) => tokens.user(bad, r)), bad).toEqual(['INVALID_USER']);
    for (const ok of ['SIGTERM', 'quit', '9', 'SIGRTMIN+3', '$SIG']) expect(refusals((r) => tokens.signal(ok, r)), ok).toEqual([]);
    for (const bad of ['SIGFOO', '65', 'TERM KILL']) expect(refusals((r) => tokens.signal(bad, r)), bad).toEqual(['INVALID_SIGNAL']);
  });

  it('flags and mount options are one word', () => {
    expect(refusals((r) => tokens.flag('chown', 'a b', r))).toEqual(['INVALID_FLAG_VALUE']);
    expect(refusals((r) => tokens.mountOption('id', 'npm,target=/x', r))).toEqual(['INVALID_FLAG_VALUE']);
    expect(refusals((r) => tokens.mountOption('target', '/root/.npm', r))).toEqual([]);
  });

  it('shell lines: trailing backslash, heredoc markers, flags, comments, JSON', () => {
    expect(refusals((r) => tokens.shellLine('rm -rf x \\', r))).toEqual(['TRAILING_BACKSLASH']);
    expect(refusals((r) => tokens.shellLine('rm -rf x \\  ', r))).toEqual(['TRAILING_BACKSLASH']);
    expect(refusals((r) => tokens.shellLine('cat <<EOF', r, { heredocs: true }))).toEqual(['HEREDOC_IN_COMMAND']);
    expect(refusals((r) => tokens.shellLine('cat 2<<-"X"', r, { heredocs: true }))).toEqual(['HEREDOC_IN_COMMAND']);
    expect(refusals((r) => tokens.shellLine('echo $((1 << 2))', r, { heredocs: true }))).toEqual([]);
    expect(refusals((r) => tokens.shellLine('--network=host wget', r))).toEqual(['FLAG_LIKE_VALUE']);
    expect(refusals((r) => tokens.shellLine('# hi', r))).toEqual(['AMBIGUOUS_COMMAND']);
    expect(refusals((r) => tokens.shellLine('["node", "x"]', r))).toEqual(['AMBIGUOUS_COMMAND']);
    expect(refusals((r) => tokens.shellLine('[ -f x ] && y', r))).toEqual([]);
    expect(refusals((r) => tokens.shellLine('a\rb', r))).toEqual(['CONTROL_CHARACTER']);
  });

  it('a heredoc delimiter equals no body line after trimming whitespace and CR', () => {
    const [refuse, found] = tokens.collect();
    expect(tokens.heredoc('echo\n  EOF  \nEOF1\t', refuse).delimiter).toBe('EOF2');
    expect(found).toEqual([]);
    expect(refusals((r) => tokens.heredoc('a\nEOF\r\nb', r))).toEqual(['CONTROL_CHARACTER']);
  });

  it('comment text not from stages.yaml is escaped, never written raw', () => {
    expect(tokens.commentText('a\nRUN x\u2028.yaml')).toBe('a\\u000aRUN x\\u2028.yaml');
  });
});

describe('emitted forms', () => {
  const text = (stage: string): string => {
    const r = compile(yaml(stage));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return r.dockerfiles[0]!.text;
  };

  it('expose: [] and volumes: [] emit nothing; entrypoint: [] and cmd: [] stay as Docker resets', () => {
    const out = text('        expose: []\n        volumes: []\n        entrypoint: []\n        cmd: []\n');
    expect(out).not.toMatch(/^EXPOSE|^VOLUME/m);
    expect(out).toMatch(/^ENTRYPOINT \[\]$/m);
    expect(out).toMatch(/^CMD \[\]$/m);
  });

  it('an empty healthcheck test ([CMD]; the schema refuses []) is refused at the value', () => {
    const r = compile(yaml('        healthcheck: { test: [CMD] }\n'));
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['EMPTY_VALUE', 8]]);
    expect(r.dockerfiles).toEqual([]);
  });

  it('the -c file name reaches the header escaped', () => {
    const r = compile(yaml('        cmd: [x]\n'), { file: 'dir/evil\nRUN id.yaml' });
    expect(r.dockerfiles[0]!.text.split('\n').filter((l) => l.startsWith('RUN'))).toEqual([]);
  });

  it('WORKDIR is quoted only where Docker would change it', () => {
    expect(text('        workdir: /my app\n')).toMatch(/^WORKDIR \/my app$/m);
    expect(text('        workdir: /a"b\\c\n')).toMatch(/^WORKDIR "\/a\\"b\\\\c"$/m);
  });
});

describe('refusals point at the value', () => {
  it('a value in a shared template is reported once, at the template, however many services use it', () => {
    const text = [
      'version: 1',
      'stages:',
      '  base:',
      '    from: debian:bookworm-slim',
      '    steps:',
      '      - run: [apt-get update, "apt-get install -y curl \\\\"]',
      'services:',
      '  a: { path: a, stages: { app: { extends: base } } }',
      '  b: { path: b, stages: { app: { extends: base } } }',
      '',
    ].join('\n');
    const r = compile(text);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['TRAILING_BACKSLASH', 6, 31]]);
  });

  it('a value built by an expression points at the expression', () => {
    const text = 'version: 1\nservices:\n  api:\n    path: "apps/a\\rb"\n    stages:\n      app:\n        from: debian:bookworm-slim\n        steps:\n          - copy: { src: x, dest: "/srv/${{ service.path }}" }\n';
    const r = compile(text);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['CONTROL_CHARACTER', 9, 35]]);
  });

  it('a key refusal points at the key', () => {
    const r = compile(yaml('        labels:\n          ok: x\n          "a=b": y\n'));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.endColumn])).toEqual([['INVALID_KEY', 10, 11, 16]]);
  });

  it('refusals are reported together with resolve errors', () => {
    const r = compile(yaml('        user: app staff\n      other:\n        from: { stage: nope }\n'));
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['INVALID_USER', 'UNKNOWN_STAGE']);
  });
});

describe('graph labels', () => {
  it('a quote in an image name is an entity in mermaid, escaped in dot', () => {
    const graph = { nodes: [{ id: 's/a', service: 's', stage: 'a', target: true }], images: ['x"]; evil'], edges: [{ from: 'x"]; evil', to: 's/a', kind: 'from' as const }] };
    const out = renderMermaid(graph);
    expect(out).toContain('[("x#34;]; evil")]');
    expect(out.split('\n').every((l) => (l.match(/"/g) ?? []).length % 2 === 0)).toBe(true);
  });

  it('names that differ only in punctuation stay distinct mermaid nodes (found in QA)', () => {
    const yaml = `version: 1\nservices:\n  s-v:\n    path: a\n    stages:\n      m: { from: "a-b:1" }\n  s.v:\n    path: b\n    stages:\n      m: { from: "a.b:1" }\n`;
    const out = renderMermaid(buildGraph(compile(yaml).project!));
    const declared = [...out.matchAll(/^\s+(?:subgraph )?([A-Za-z0-9_]+)\[/gm)].map((m) => m[1]);
    expect(declared).toHaveLength(6); // two images, two services, two stages
    expect(new Set(declared).size).toBe(6);
    const edges = out.split('\n').filter((l) => l.includes('-->'));
    expect(new Set(edges).size).toBe(2);
  });
});

describe('registry, image and syntax written with ${{ }} (found in QA)', () => {
  const service = (field: string, value: string): string =>
    `version: 1\nvars:\n  v: "${value}"\nservices:\n  api:\n    path: apps/api\n    ${field}: "\${{ vars.v }}"\n    stages:\n      runtime:\n        from: debian:bookworm-slim\n`;

  it.each([
    ['registry', 'reg.io/a b'],
    ['image', 'reg.io/a b'],
    ['image', 'Reg.io/App'],
    ['syntax', 'docker/dockerfile:1 x'],
  ])('%s: %j is refused after substitution, at the field', (field, value) => {
    const result = compile(service(field, value));
    expect(result.failed).toBe(true);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['INVALID_IMAGE_REFERENCE', 7, field.length + 7]]);
  });

  it.each([
    ['registry', 'reg.io/team'],
    ['image', 'reg.io/team/api'],
    ['syntax', 'docker/dockerfile:1.7'],
  ])('%s: %j compiles', (field, value) => {
    expect(compile(service(field, value)).diagnostics).toEqual([]);
  });
});

describe('service platforms (found in QA)', () => {
  const service = (platforms: string): string =>
    `version: 1\nvars:\n  p: "linux/amd64 x"\nservices:\n  api:\n    path: apps/api\n    platforms: ${platforms}\n    stages:\n      runtime:\n        from: debian:bookworm-slim\n`;

  it('one os/arch[/variant] per item: a comma, a space (also through a var) or a flag is refused at the item', () => {
    const result = compile(service('["${{ vars.p }}", "linux/arm64,linux/s390x", "--push"]'));
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['INVALID_VALUE', 7, 17],
      ['INVALID_VALUE', 7, 34],
      ['INVALID_VALUE', 7, 61],
    ]);
  });

  it('real platforms compile', () => {
    expect(compile(service('[linux/amd64, linux/arm64/v8, linux/arm/v7, windows/amd64, Linux/AMD64, local]')).diagnostics).toEqual([]);
  });
});
