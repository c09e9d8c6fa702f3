import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '@stagec/core';
import { compileFixture, fixtureDirs, FIXTURES, golden } from './helpers/fixtures';

// One fixture per diagnostic code: test/fixtures/errors/<CODE>[-variant]/stages.yaml, with the
// diagnostics it must produce (codes and positions, never wording) in expected.json.
describe.each(fixtureDirs('errors'))('error fixture %s', (name) => {
  const code = name.split('-')[0]!;
  const result = compileFixture(join(FIXTURES, 'errors', name));
  const found = result.diagnostics.map(({ code, severity, line, column, endLine, endColumn }) => ({
    code,
    severity,
    line,
    column,
    endLine,
    endColumn,
  }));

  it('is named after a documented code', () => {
    expect(Object.keys(DIAGNOSTIC_CODES)).toContain(code);
  });

  it(`produces ${code} at the expected positions`, () => {
    expect(found.map((d) => d.code)).toContain(code);
    expect(found).toEqual(JSON.parse(golden(join(FIXTURES, 'errors', name, 'expected.json'), `${JSON.stringify(found, null, 2)}\n`)));
  });

  it('emits no Dockerfile when an error is reported', () => {
    if (result.failed) expect(result.dockerfiles).toEqual([]);
    else expect(found.every((d) => d.severity === 'warning')).toBe(true);
  });
});
