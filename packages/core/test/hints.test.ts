import { describe, expect, it } from 'vitest';
import { compile } from '../src';

const pick = (text: string, code: string) => compile(text).diagnostics.filter((d) => d.code === code);

describe('hints a newcomer needs', () => {
  it('STAGE_CYCLE: from: fluentd in stage fluentd hints {image: fluentd}', () => {
    const [d] = pick('version: 1\nservices:\n  log:\n    path: log\n    stages:\n      fluentd: { from: fluentd }\n', 'STAGE_CYCLE');
    expect(d).toMatchObject({ line: 6, column: 24 });
    expect(d!.hint).toContain('{image: fluentd}');
  });

  it('STAGE_CYCLE between two stages gives no image hint', () => {
    const [d] = pick('version: 1\nservices:\n  a:\n    path: a\n    stages:\n      x: { from: y }\n      y: { from: x }\n', 'STAGE_CYCLE');
    expect(d).toBeDefined();
    expect(d!.hint ?? '').not.toContain('image');
  });

  it('RELATIVE_WORKDIR: after an absolute WORKDIR in the stage there is nothing to warn of; alone, the hint gives the absolute form', () => {
    // DESIGN 10: the /reactnativesrc/ + android/ case is the joined folder, as Docker reads it,
    // and no longer a warning at all.
    const yaml = 'version: 1\nservices:\n  app:\n    path: app\n    stages:\n      build:\n        from: node:20\n        workdir: /reactnativesrc/\n        steps:\n          - run: npm ci\n          - workdir: android/\n';
    expect(pick(yaml, 'RELATIVE_WORKDIR')).toEqual([]);
    const [alone] = pick(yaml.replace('        workdir: /reactnativesrc/\n', ''), 'RELATIVE_WORKDIR');
    expect(alone).toMatchObject({ line: 10, column: 22, severity: 'warning' });
    expect(alone!.hint).toContain('"/android/"');
  });

  it('UNKNOWN_KEY: no did-you-mean for a key another anyOf branch defines', () => {
    const yaml = 'version: 1\nservices:\n  base:\n    path: b\n    stages:\n      runtime: { from: debian }\n  api:\n    path: a\n    stages:\n      runtime: { from: { servce: base, stage: runtime } }\n';
    const unknown = pick(yaml, 'UNKNOWN_KEY');
    expect(unknown.map((d) => [d.line, d.column])).toEqual([[10, 26]]); // servce, not stage
    expect(unknown[0]!.hint).toContain('"service"');
  });

  it('UNDEFINED_VARIABLE names the services, once per template line, and hints the stage\'s args', () => {
    const yaml = `version: 1
stages:
  node: { from: node:20, steps: [{ copy: { src: $SRC, dest: . } }] }
services:
  api: { path: api, stages: { build: { extends: node } } }
  web: { path: web, stages: { build: { extends: node } } }
`;
    const found = pick(yaml, 'UNDEFINED_VARIABLE');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 3, services: ['api', 'web'] });
    expect(found[0]!.message).toContain('"api", "web"');
    expect(found[0]!.hint).toContain('args: { SRC: ... }');
  });

  it('YAML_SYNTAX: an unquoted ${{ }} in a flow mapping is one error saying to quote it', () => {
    const yaml = 'version: 1\nservices:\n  api:\n    path: api\n    stages:\n      build: { from: node, steps: [{ copy: { src: ., dest: ${{ service.path }} } }] }\n      test: { from: build, env: { A: ${{ service.name }} } }\n';
    const all = compile(yaml).diagnostics;
    expect(all.map((d) => [d.code, d.line, d.column, d.endColumn])).toEqual([['YAML_SYNTAX', 6, 60, 79]]);
    expect(all[0]!.hint).toContain("'${{ service.path }}'");
    // Braces in a block scalar before a real, unrelated syntax error do not make a false hint.
    const other = 'version: 1\nservices:\n  api:\n    path: api\n    stages:\n      build:\n        from: node\n        steps:\n          - run: |\n              f() { echo\n          - run: echo ${{ service.name }}\n      test: [unclosed\n';
    expect(compile(other).diagnostics.every((d) => !d.hint?.includes('quote it'))).toBe(true);
    // Quoted, it compiles.
    expect(compile(yaml.replace(/(\$\{\{[^}]*\}\})/g, "'$1'")).failed).toBe(false);
  });
});
