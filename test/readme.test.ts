import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const fixture = (path: string) => readFileSync(join(root, 'test/fixtures/compile/readme', path), 'utf8').trimEnd();

// The README's worked example is a golden fixture: it cannot drift from what stagec emits.
describe('README', () => {
  it('shows the example stages.yaml verbatim', () => {
    expect(readme).toContain(`\`\`\`yaml\n${fixture('stages.yaml')}\n\`\`\``);
  });
  it('shows the Dockerfile stagec generates for it', () => {
    expect(readme).toContain(`\`\`\`dockerfile\n${fixture('expected/apps/api/Dockerfile')}\n\`\`\``);
  });
  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm ci && npx stagec compile');
    expect(readme).toContain('npm test');
  });
  it('has no unfilled sections', () => {
    expect(readme).not.toMatch(/_PENDING/);
  });
});
