import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, LINT_RULES } from '@stagec/core';
import { fixtureDirs, FIXTURES, golden } from '../helpers/fixtures';
import { lintFixture } from '../helpers/lint';

// test/fixtures/lint/<CODE>[-variant]/stages.yaml must report CODE; <CODE>-ok[-variant] must not.
// expected.json holds every finding of the fixture: code, severity, position and services.
const dirs = fixtureDirs('lint');

describe.each(dirs)('lint fixture %s', (name) => {
  const code = name.split('-')[0]!;
  const mustNot = /-ok(-|$)/.test(name);
  const findings = lintFixture(join(FIXTURES, 'lint', name));
  const found = findings.map(({ code, severity, kind, line, column, endLine, endColumn, path, services }) => ({ code, severity, kind, line, column, endLine, endColumn, path, services }));

  it('is named after a rule', () => {
    expect(LINT_RULES.map((r) => r.code)).toContain(code);
  });

  it(mustNot ? `does not report ${code}` : `reports ${code}`, () => {
    expect(found.some((f) => f.code === code)).toBe(!mustNot);
  });

  it('reports exactly the expected findings (codes, positions, services)', () => {
    expect(found).toEqual(JSON.parse(golden(join(FIXTURES, 'lint', name, 'expected.json'), `${JSON.stringify(found, null, 2)}\n`)));
  });
});

describe('the rule table', () => {
  it.each(LINT_RULES.map((r) => r.code))('%s has a fixture that triggers it and one that must not', (code) => {
    expect(dirs.some((d) => d.split('-')[0] === code && !/-ok(-|$)/.test(d))).toBe(true);
    expect(dirs.some((d) => d.split('-')[0] === code && /-ok(-|$)/.test(d))).toBe(true);
  });

  it('has unique codes, each in the closed set of diagnostic codes', () => {
    const codes = LINT_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(Object.keys(DIAGNOSTIC_CODES)).toContain(c);
  });

  it('gives policy rules a policy key and error severity, lint rules warning', () => {
    for (const r of LINT_RULES) {
      if (r.kind === 'policy') expect([r.policy, r.severity]).toEqual([expect.any(String), 'error']);
      else expect([r.policy, r.severity]).toEqual([undefined, 'warning']);
    }
  });
});
