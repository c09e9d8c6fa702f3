import type { Diagnostic, Position } from '../diagnostics';
import type { SourceIndex, YamlPath } from '../load';
import type { StagecStagesYaml } from '../generated/types';

type Scoped = { lint?: { ignore?: string[] }; extends?: string | string[] } | null | undefined;

/** The codes `lint.ignore` silences for a service's stage: defaults, pipeline, service and stage lists (with their templates) add up. */
export function ignoredCodes(config: StagecStagesYaml, service: string, stage?: string): Set<string> {
  const out = new Set<string>();
  const add = (scope: Scoped): void => scope?.lint?.ignore?.forEach((c) => out.add(c));
  const raw = config.services?.[service];
  const pipeline = raw?.pipeline ? config.pipelines?.[raw.pipeline] : undefined;
  add(config.defaults);
  add(pipeline);
  add(raw);
  if (stage === undefined) return out;
  const seen = new Set<string>();
  const withTemplates = (scope: Scoped): void => {
    add(scope);
    const names = scope?.extends === undefined ? [] : Array.isArray(scope.extends) ? scope.extends : [scope.extends];
    for (const name of names) {
      if (seen.has(name)) continue; // a cycle is the resolver's error
      seen.add(name);
      withTemplates(config.stages?.[name] as Scoped);
    }
  };
  withTemplates(pipeline?.stages?.[stage] as Scoped);
  withTemplates(raw?.stages?.[stage] as Scoped);
  return out;
}

/** True when `p` starts inside the range `r` (1-based lines and columns, end exclusive). */
const inside = (p: Position, r: Position): boolean =>
  (p.line > r.line || (p.line === r.line && p.column >= r.column)) && (p.line < r.endLine || (p.line === r.endLine && p.column < r.endColumn));

/**
 * Compile warnings silenced by `lint.ignore`: by `defaults` anywhere, by a pipeline, service or
 * library stage (and their stages) at positions inside that mapping. Errors always stay.
 */
export function silenceWarnings(diagnostics: readonly Diagnostic[], config: StagecStagesYaml, source: SourceIndex): Diagnostic[] {
  const scopes: { range?: Position; codes: Set<string> }[] = [];
  const scope = (value: Scoped, path: YamlPath | undefined): void => {
    const codes = new Set(value?.lint?.ignore ?? []);
    if (codes.size > 0) scopes.push({ ...(path ? { range: source.position(path) } : {}), codes });
  };
  scope(config.defaults, undefined);
  for (const group of ['pipelines', 'services'] as const) {
    for (const [name, value] of Object.entries(config[group] ?? {})) {
      scope(value as Scoped, [group, name]);
      for (const [stage, raw] of Object.entries((value as { stages?: Record<string, unknown> } | null)?.stages ?? {})) scope(raw as Scoped, [group, name, 'stages', stage]);
    }
  }
  for (const [name, value] of Object.entries(config.stages ?? {})) scope(value as Scoped, ['stages', name]);
  if (scopes.length === 0) return [...diagnostics];
  return diagnostics.filter((d) => d.severity === 'error' || !scopes.some((s) => s.codes.has(d.code) && (!s.range || inside(d, s.range))));
}
