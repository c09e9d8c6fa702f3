import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, LINT_RULES } from '@stagec/core';

const root = join(__dirname, '..');
/** Codes about files rather than YAML are produced by CLI tests, not YAML fixtures. */
const CLI_CODES = ['FILE_NOT_FOUND', 'FILE_UNREADABLE', 'FILE_TOO_LARGE', 'HAND_WRITTEN_FILE', 'WRITE_FAILED', 'MISSING_FOLDER', 'ORPHANED_DOCKERFILE', 'IMPORT_UNSUPPORTED', 'IMPORT_NOT_EQUIVALENT', 'OUTPUT_EXISTS', 'WORKSPACE_INVALID'];
/** Codes about registries and lock drift need a real registry: produced by the registry e2e tests. */
const REGISTRY_CODES = ['LOCK_OUTDATED', 'REGISTRY_UNREACHABLE', 'REGISTRY_AUTH', 'IMAGE_NOT_FOUND', 'REGISTRY_ERROR'];

describe('every diagnostic code is documented and has a fixture', () => {
  const docs = readFileSync(join(root, 'docs/diagnostics.md'), 'utf8');
  const fixtures = new Set(readdirSync(join(root, 'test/fixtures/errors')).map((d) => d.split('-')[0]));
  // Lint and policy codes come from `stagec lint`: their fixtures are test/fixtures/lint/ (test/lint/rules.test.ts).
  const lintFixtures = new Set(readdirSync(join(root, 'test/fixtures/lint')).map((d) => d.split('-')[0]));
  const lintCodes = new Set<string>(LINT_RULES.map((r) => r.code));
  const cliTests = ['compile.test.ts', 'orphans.test.ts', 'import.test.ts', 'contexts.test.ts'].map((f) => readFileSync(join(root, 'packages/cli/test', f), 'utf8')).join('\n');
  const registryTests = readFileSync(join(root, 'test/e2e/lock.test.ts'), 'utf8');

  it.each(Object.keys(DIAGNOSTIC_CODES))('%s', (code) => {
    expect(docs).toContain(`| \`${code}\` |`);
    if (CLI_CODES.includes(code)) expect(cliTests).toContain(`'${code}'`);
    else if (REGISTRY_CODES.includes(code)) expect(registryTests).toContain(`'${code}'`);
    else if (lintCodes.has(code)) expect(lintFixtures.has(code)).toBe(true);
    else expect(fixtures.has(code)).toBe(true);
  });
});
