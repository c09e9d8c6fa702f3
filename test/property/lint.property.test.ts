import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { compile, lintProject } from '@stagec/core';
import { params } from './generators';

// Open-ended inputs for the lint rules: images in every tag state (none, latest, version,
// digest, a variable with and without a default), RUN snippets each rule judges (and their
// fixed forms), secret-looking and plain names, ADD, shell-form CMD, users, policies.
const IMAGES = ['ubuntu', 'node:latest', 'node:22-slim', 'quay.io/x/y', 'alpine@sha256:' + 'a'.repeat(64), '${BASE}', '${NOPE}', 'scratch', 'ghcr.io/acme/base:1'];
const RUNS = [
  'apt-get update && apt-get install curl',
  'apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
  'apk add git',
  'apk add --no-cache git',
  'pip install -r requirements.txt',
  'python3 -m pip install --no-cache-dir x',
  'npm install',
  'npm ci',
  'cd /src && make',
  '(cd /src && make)',
  'curl -fsSL https://example.com | sh',
  'set -o pipefail && curl -fsSL https://example.com | sh',
  'sudo true',
  'echo "a | b; cd x"',
];
const KEYS = ['NPM_TOKEN', 'DB_PASSWORD', 'API_KEY', 'PUBLIC_KEY', 'MODE', 'PORT'];

const step = fc.oneof(
  fc.constantFrom(...RUNS).map((run) => ({ run })),
  fc.array(fc.constantFrom(...RUNS), { minLength: 1, maxLength: 3 }).map((run) => ({ run })),
  fc.record({ command: fc.constantFrom(...RUNS), cache: fc.constantFrom(['/var/lib/apt/lists'], ['/root/.cache/pip'], ['/var/cache/apk'], []) }).map((run) => ({ run })),
  fc.constantFrom('config.json', 'rootfs.tar.gz').map((src) => ({ add: { src, dest: '/opt/' } })),
  fc.constantFrom(...KEYS).map((k) => ({ env: { [k]: 'x' } })),
  fc.constantFrom('root', 'app', '0:0').map((user) => ({ user })),
  fc.constantFrom(...IMAGES.filter((i) => i !== 'scratch')).map((image) => ({ copy: { from: { image }, src: '/x', dest: '/x' } })),
);
const stage = fc.record(
  {
    extends: fc.constantFrom('tpl0', 'tpl1'),
    from: fc.constantFrom(...IMAGES),
    args: fc.dictionary(fc.constantFrom(...KEYS), fc.constant('v'), { maxKeys: 2 }),
    shell: fc.constantFrom(['/bin/bash', '-o', 'pipefail', '-c'], ['/bin/sh', '-c']),
    user: fc.constantFrom('app', 'root', '65532'),
    cmd: fc.oneof(fc.constant('node server.js'), fc.constant(['node', 'server.js'])),
    steps: fc.array(step, { maxLength: 4 }),
    lint: fc.constantFrom({ ignore: ['CD_IN_RUN'] }, { ignore: ['IMAGE_UNTAGGED', 'IMAGE_LATEST'] }),
  },
  { requiredKeys: ['from'] },
);
const config = fc.record({
  policy: fc.record(
    {
      allowedRegistries: fc.constantFrom(['docker.io/library'], ['ghcr.io/acme']),
      requireDigests: fc.boolean(),
      requireNonRootRuntime: fc.boolean(),
      nonRootImages: fc.constant(['node']),
      requiredLabels: fc.constant(['team']),
      forbidLatest: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
  args: fc.record({ BASE: fc.constantFrom('debian', 'debian:latest', 'debian:12'), NPM_TOKEN: fc.constant('') }, { requiredKeys: ['BASE'] }),
  stages: fc.record({ tpl0: stage, tpl1: stage }),
  services: fc.array(fc.record({ build: stage, runtime: stage }), { minLength: 1, maxLength: 3 }),
});

function nodeAt(doc: ReturnType<typeof parseDocument>, path: string): Node | undefined {
  let node: unknown = doc.contents;
  for (const segment of path.split('.')) {
    if (isMap(node)) node = node.get(segment, true);
    else if (isSeq(node) && /^\d+$/.test(segment)) node = node.get(Number(segment), true);
    else return undefined;
  }
  return node === undefined || node === null ? undefined : (node as Node);
}

describe('lint positions (property)', () => {
  it('every finding lies inside stages.yaml, inside the value its path names', () => {
    let linted = 0;
    const codes = new Set<string>();
    fc.assert(
      fc.property(config, (c) => {
        // Templates must not extend themselves or each other in a cycle: tpl1 may extend tpl0 only.
        delete (c.stages.tpl0 as { extends?: string }).extends;
        if (c.stages.tpl1.extends === 'tpl1') c.stages.tpl1.extends = 'tpl0';
        const services = Object.fromEntries(c.services.map((s, i) => [`svc${i}`, { path: `apps/svc${i}`, stages: s }]));
        const text = stringify({ version: 1, policy: c.policy, args: c.args, stages: c.stages, services });
        const result = compile(text);
        if (result.failed || !result.project || !result.config) return; // a generated config may be invalid: nothing to lint
        const findings = lintProject(result.project, result.config, result.source);
        linted++;
        findings.forEach((f) => codes.add(f.code));
        const lines = new LineCounter();
        const doc = parseDocument(text, { lineCounter: lines });
        const offset = (line: number, column: number) => lines.lineStarts[line - 1]! + column - 1;
        const lineCount = text.split('\n').length;
        for (const f of findings) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.endLine).toBeLessThanOrEqual(lineCount);
          const node = nodeAt(doc, f.path);
          expect(node, `${f.code} at ${f.path}`).toBeDefined();
          const [start, , end] = node!.range!;
          const keyed = f.code === 'SECRET_IN_ARG_OR_ENV' || f.code === 'POLICY_LABEL';
          if (!keyed) {
            // The underlined text is part of the value the path names (a command inside a RUN string).
            expect(offset(f.line, f.column)).toBeGreaterThanOrEqual(start);
            expect(offset(f.endLine, f.endColumn)).toBeLessThanOrEqual(end);
            if (isScalar(node)) expect(String(node.source ?? node.value).length).toBeGreaterThan(0);
          }
          expect(f.services.length).toBeGreaterThan(0);
          for (const s of f.services) expect(Object.keys(services)).toContain(s);
        }
      }),
      params(120),
    );
    // Not vacuous: most generated configs compile, and the findings cover most rules.
    expect(linted).toBeGreaterThan(60);
    expect(codes.size).toBeGreaterThanOrEqual(15);
  });
});
