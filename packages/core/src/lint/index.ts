export { lintProject, type LintOptions } from './lint';
export { LINT_RULES } from './registry';
export { ignoredCodes, silenceWarnings } from './ignore';
export type { LintFinding, LintRule, PolicyKey } from './types';
