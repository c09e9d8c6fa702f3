import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { LINT_RULES } from '@stagec/core';
import { lintText } from '../helpers/lint';

const TOP_LEVEL = new Set(['stages', 'policy', 'services', 'defaults', 'args']);
const RUNTIME = { from: 'alpine:3.20', user: 'app', labels: { team: 'x' } };

/**
 * Turns a docs example into a whole stages.yaml: top-level keys stay where they are, with a
 * service per library stage (and one plain service when none is given); stage fields become
 * a stage of service `api` (from debian unless the example says).
 */
function wholeDocument(example: string): string {
  const fragment = parse(example) as Record<string, unknown>;
  if (!Object.keys(fragment).some((k) => TOP_LEVEL.has(k)) || (Object.keys(fragment).length === 1 && 'args' in fragment)) {
    return stringify({ version: 1, services: { api: { path: 'apps/api', stages: { main: { from: 'debian:bookworm-slim', ...fragment } } } } });
  }
  const templates = Object.keys((fragment.stages as Record<string, unknown>) ?? {});
  const services =
    (fragment.services as Record<string, unknown>) ??
    (templates.length > 0
      ? Object.fromEntries(templates.map((t) => [t, { path: `apps/${t}`, stages: { [t]: { extends: t } } }]))
      : { api: { path: 'apps/api', stages: { runtime: RUNTIME } } });
  return stringify({ version: 1, ...fragment, services });
}

// docs/lint.md shows each rule's `bad` and `good` examples: they must say what the rule does.
describe.each(LINT_RULES.map((r) => [r.code, r] as const))('docs example of %s', (code, rule) => {
  it('the "reported" example is reported', () => {
    expect(lintText(wholeDocument(rule.bad)).map((f) => f.code)).toContain(code);
  });
  it('the "not reported" example is not', () => {
    expect(lintText(wholeDocument(rule.good)).map((f) => f.code)).not.toContain(code);
  });
});
