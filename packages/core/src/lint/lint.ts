import type { Severity } from '../diagnostics';
import type { StagecStagesYaml } from '../generated/types';
import type { SourceIndex } from '../load';
import { serviceChain, type ResolvedProject } from '../resolve';
import { ignoredCodes } from './ignore';
import { LINT_RULES } from './registry';
import type { LintFinding, LintRule, Report } from './types';

export interface LintOptions {
  /** Only these services (the others' findings are not produced). Default: all. */
  services?: readonly string[];
  rules?: readonly LintRule[];
}

const severityOf = (rule: LintRule, config: StagecStagesYaml): Severity =>
  rule.kind === 'policy' && rule.policy ? (config.policy?.severity?.[rule.policy] ?? rule.severity) : rule.severity;

/**
 * Runs every rule over the resolved model of each service. A value shared by several services
 * (a template, a pipeline stage) is one finding naming them all. `lint.ignore` drops lint
 * findings for the services and stages whose scopes list the code; policy findings stay.
 */
export function lintProject(
  project: ResolvedProject,
  config: StagecStagesYaml,
  source: SourceIndex,
  options: LintOptions = {},
): LintFinding[] {
  const selected = options.services ? new Set(options.services) : undefined;
  const found = new Map<string, LintFinding>();
  // Services per finding as a set while collecting: a template shared by thousands of services stays linear.
  const reached = new Map<string, Set<string>>();
  for (const rule of options.rules ?? LINT_RULES) {
    const severity = severityOf(rule, config);
    for (const service of project.services) {
      if (selected && !selected.has(service.name)) continue;
      const report = (r: Report): void => {
        if (rule.kind === 'lint' && ignoredCodes(config, service.name, r.stage?.name).has(rule.code)) return;
        const position = source.position(r.path, { key: r.key ?? false, ...(r.within ? { within: r.within } : {}) });
        const id = `${rule.code}|${position.line}|${position.column}|${r.message}`;
        const seen = reached.get(id);
        if (seen) {
          seen.add(service.name);
          return;
        }
        reached.set(id, new Set([service.name]));
        found.set(id, {
          code: rule.code,
          severity,
          kind: rule.kind,
          message: r.message,
          file: source.file,
          ...position,
          hint: r.hint,
          path: r.path.join('.'),
          services: [],
          chain: serviceChain(service, r.chain ?? []),
        });
      };
      rule.check({ config, project, source, service, report });
    }
  }
  const findings = [...found.entries()].map(([id, f]) => ({ ...f, services: [...reached.get(id)!].sort() }));
  return findings.sort(
    (a, b) =>
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}
