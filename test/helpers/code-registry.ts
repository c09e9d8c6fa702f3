import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DOC = join(ROOT, 'docs/diagnostics.md');

/**
 * The registry of where each diagnostic code is produced: the table under "## Where each code
 * is produced" in docs/diagnostics.md. The docs show it to readers; docs.test.ts checks it covers
 * the closed set, and the suites it names check that they produce their codes.
 */
export function codeFixtures(): Map<string, string> {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf('\n## Where each code is produced');
  if (start < 0) throw new Error('docs/diagnostics.md has no "## Where each code is produced" section');
  const rows = new Map<string, string>();
  for (const line of text.slice(start).split('\n').slice(2)) {
    if (line.startsWith('## ')) break;
    const m = /^\| `([A-Z_]+)` \| \[`([^`]+)`\]\(\.\.\/([^)]+)\) \|$/.exec(line);
    if (!m) continue;
    if (m[2] !== m[3]) throw new Error(`docs/diagnostics.md: the link for ${m[1]} shows ${m[2]} but leads to ${m[3]}`);
    if (rows.has(m[1]!)) throw new Error(`docs/diagnostics.md lists ${m[1]} twice`);
    rows.set(m[1]!, m[2]!);
  }
  return rows;
}

/** The codes the registry assigns to one test file (a path from the repo's root). */
export const codesProducedBy = (file: string): string[] => [...codeFixtures()].filter(([, where]) => where === file).map(([code]) => code);
