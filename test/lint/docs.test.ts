import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINT_RULES, type LintRule } from '@stagec/core';
import { UPDATE } from '../helpers/fixtures';

const DOC = join(__dirname, '..', '..', 'docs', 'lint.md');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

const anchor = (code: string): string => code.toLowerCase();

function section(rule: LintRule): string {
  const kind = rule.kind === 'policy' ? `policy \`${rule.policy}\`` : 'lint';
  return [
    `### \`${rule.code}\``,
    '',
    `${rule.title[0]!.toUpperCase()}${rule.title.slice(1)}. Severity: ${rule.severity}${rule.kind === 'policy' ? ' (unless `policy.severity` says warning)' : ''}; ${kind}.`,
    '',
    rule.doc,
    '',
    'Reported:',
    '',
    '```yaml',
    rule.bad,
    '```',
    '',
    'Not reported:',
    '',
    '```yaml',
    rule.good,
    '```',
  ].join('\n');
}

/** The generated part of docs/lint.md: a table of every rule, then a section each. */
export function renderRules(): string {
  const table = ['| code | kind | severity | what |', '|---|---|---|---|', ...LINT_RULES.map((r) => `| [\`${r.code}\`](#${anchor(r.code)}) | ${r.kind === 'policy' ? `policy \`${r.policy}\`` : 'lint'} | ${r.severity} | ${r.title} |`)];
  return [table.join('\n'), ...LINT_RULES.map(section)].join('\n\n');
}

describe('docs/lint.md', () => {
  it('lists every rule as the rule table says (UPDATE_GOLDEN=1 regenerates it)', () => {
    const text = readFileSync(DOC, 'utf8');
    const start = text.indexOf(START) + START.length;
    const end = text.indexOf(END);
    expect(start).toBeGreaterThan(START.length - 1);
    const generated = `\n${renderRules()}\n`;
    if (UPDATE) writeFileSync(DOC, text.slice(0, start) + generated + text.slice(end));
    expect(readFileSync(DOC, 'utf8').slice(start, readFileSync(DOC, 'utf8').indexOf(END))).toBe(generated);
  });
});
