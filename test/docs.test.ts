import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '@stagec/core';
import { codeFixtures } from './helpers/code-registry';

const root = join(__dirname, '..');

// The registry (docs/diagnostics.md, "Where each code is produced") names one fixture per code;
// the suites that run those fixtures assert the code and its position. Here: the registry and the
// closed set agree, and each row leads to a fixture of that code.
describe('every diagnostic code is documented and has a fixture', () => {
  const docs = readFileSync(join(root, 'docs/diagnostics.md'), 'utf8');
  const registry = codeFixtures();

  it('the registry lists exactly the closed set of codes', () => {
    expect([...registry.keys()].sort()).toEqual(Object.keys(DIAGNOSTIC_CODES).sort());
  });

  it.each(Object.keys(DIAGNOSTIC_CODES))('%s', (code) => {
    expect(docs).toContain(`| \`${code}\` |`);
    const where = registry.get(code);
    expect(where, `no row for ${code} under "Where each code is produced"`).toBeDefined();
    expect(existsSync(join(root, where!)), `${where} does not exist`).toBe(true);
    if (where!.startsWith('test/fixtures/')) {
      // A fixture folder is named after the code it produces; its suite asserts that it does.
      expect(where).toMatch(new RegExp(`^test/fixtures/(errors|cli-errors|lint)/${code}/$`));
      expect(existsSync(join(root, where!, 'expected.json')), `${where}expected.json is missing`).toBe(true);
    } else {
      expect(where).toBe('test/e2e/lock.test.ts');
    }
  });
});
