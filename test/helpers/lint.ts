import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, lintProject, type LintFinding } from '@stagec/core';

/** Compiles a stages.yaml text and lints it; throws when it does not compile (a lint fixture must). */
export function lintText(text: string, services?: string[]): LintFinding[] {
  const result = compile(text, { file: 'stages.yaml' });
  if (result.failed || !result.project || !result.config) {
    throw new Error(`does not compile:\n${result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n')}`);
  }
  return lintProject(result.project, result.config, result.source, services ? { services } : {});
}

export const lintFixture = (dir: string): LintFinding[] => lintText(readFileSync(join(dir, 'stages.yaml'), 'utf8'));
