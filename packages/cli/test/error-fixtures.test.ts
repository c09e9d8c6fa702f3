import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golden } from '../../../test/helpers/fixtures';
import { stagec } from './harness';

// Codes about files rather than YAML: each fixture runs the real CLI with its args.json in a
// copy of its workspace/ and must report its code where expected.json says (codes, positions
// and the exit code, never wording). docs/diagnostics.md lists these fixtures.
const FIXTURES = join(__dirname, '../../../test/fixtures/cli-errors');
const header = /^(?<file>\S+?)(?::(?<line>\d+):(?<column>\d+))? (?<severity>error|warning) (?<code>[A-Z_]+) /;

describe.each(readdirSync(FIXTURES).sort())('CLI error fixture %s', (code) => {
  it(`reports ${code} where expected.json says, with its exit code, and changes no file`, async () => {
    const dir = join(FIXTURES, code);
    const ws = mkdtempSync(join(tmpdir(), 'stagec-cli-fixture-'));
    cpSync(join(dir, 'workspace'), ws, { recursive: true });
    const before = snapshot(ws);
    const args = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as string[];
    const ran = await stagec(ws, ...args);
    const found = ran.stderr
      .split('\n')
      .map((l) => header.exec(l)?.groups)
      .filter((g) => g !== undefined)
      .map((g) => ({
        code: g.code,
        severity: g.severity,
        file: g.file,
        line: g.line ? Number(g.line) : null,
        column: g.column ? Number(g.column) : null,
      }));
    expect(found.map((d) => d.code)).toContain(code);
    const actual = { exit: ran.code, diagnostics: found };
    expect(actual).toEqual(JSON.parse(golden(join(dir, 'expected.json'), `${JSON.stringify(actual, null, 2)}\n`)));
    expect(snapshot(ws)).toEqual(before);
  });
});

/** Every file below a folder with its bytes: an error must leave the workspace as it was. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path.slice(root.length)] = readFileSync(path).toString('base64');
    }
  }
  return out;
}
