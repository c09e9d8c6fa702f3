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
