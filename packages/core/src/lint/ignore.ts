import { hasPosition, type Diagnostic, type Position } from '../diagnostics';
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
  (p.line > r.line || (p.line === r.line && p.column >= r.column)) &&
  (p.line < r.endLine || (p.line === r.endLine && p.column < r.endColumn));

/**
 * Compile warnings silenced by `lint.ignore`: by `defaults` anywhere, by a pipeline, service or
 * library stage (and their stages) at positions inside that mapping. Errors always stay.
 */
export function silenceWarnings(diagnostics: readonly Diagnostic[], config: StagecStagesYaml, source: SourceIndex): Diagnostic[] {
  const scopes: { range?: Position; codes: Set<string> }[] = [];
  // Few mappings have a lint.ignore: nothing is allocated for the others (the walk visits every
  // pipeline, service and stage of the file).
  const scope = (value: Scoped, path: () => YamlPath | undefined): void => {
    const ignore = value?.lint?.ignore;
    if (!ignore || ignore.length === 0) return;
    const at = path();
    scopes.push({ ...(at ? { range: source.position(at) } : {}), codes: new Set(ignore) });
  };
  scope(config.defaults, () => undefined);
  for (const group of ['pipelines', 'services'] as const) {
    const entries = (config[group] ?? {}) as Record<string, unknown>;
    for (const name in entries) {
      if (!Object.hasOwn(entries, name)) continue;
      const value = entries[name];
      scope(value as Scoped, () => [group, name]);
      const stages = (value as { stages?: Record<string, unknown> } | null)?.stages;
      if (!stages) continue;
      for (const stage in stages) if (Object.hasOwn(stages, stage)) scope(stages[stage] as Scoped, () => [group, name, 'stages', stage]);
    }
  }
  const library = config.stages ?? {};
  for (const name in library) if (Object.hasOwn(library, name)) scope(library[name] as Scoped, () => ['stages', name]);
  if (scopes.length === 0) return [...diagnostics];
  return diagnostics.filter(
    (d) => d.severity === 'error' || !scopes.some((s) => s.codes.has(d.code) && (!s.range || (hasPosition(d) && inside(d, s.range)))),
  );
}
