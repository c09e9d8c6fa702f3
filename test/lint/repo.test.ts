import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintText } from '../helpers/lint';

const root = join(__dirname, '..', '..');
const config = readFileSync(join(root, 'stages.yaml'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe("the repository's own stages.yaml", () => {
  it('lints clean, every rule and its policy included', () => {
    expect(lintText(config)).toEqual([]);
  });

  it('has the policy the README shows', () => {
    const shown = /```yaml\n(policy:\n[\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Standards')))?.[1];
    expect(shown).toBeDefined();
    expect(config).toContain(shown!);
  });

  it('would fail the policy with a root runtime (the check is live)', () => {
    const findings = lintText(config.replace('user: "65534:65534"', 'user: root'));
    expect(findings.map((f) => f.code)).toContain('POLICY_ROOT_RUNTIME');
    expect(findings.find((f) => f.code === 'POLICY_ROOT_RUNTIME')!.services).toEqual(['api', 'hello-go', 'node-base', 'web', 'worker']);
  });
});
