import { imageTag, type ResolvedProject } from '../resolve';
import { crossServiceNeeds } from './closure';
import { dockerfileRelativeToContext } from './commands';

export interface BakeTarget {
  context: string;
  dockerfile: string;
  target: string;
  tags: string[];
  args?: Record<string, string>;
  platforms?: string[];
  contexts?: Record<string, string>;
}

export interface BakeFile {
  group: Record<string, { targets: string[] }>;
  target: Record<string, BakeTarget>;
}

const bakeTargetName = (service: string, stage: string): string => `${service}-${stage}`;

/**
 * docker-bake.json: a target per service stage, a group per stage name, `default` = every
 * service's default target. A cross-service FROM is a named context `target:` so one
 * `docker buildx bake` builds the base first, locally or on a remote BuildKit.
 */
export function emitBake(project: ResolvedProject): BakeFile {
  const target: Record<string, BakeTarget> = {};
  const groups = new Map<string, string[]>();
  const defaults: string[] = [];
  for (const service of project.services) {
    for (const stage of service.stages) {
      const name = bakeTargetName(service.name, stage.name);
      const needs = crossServiceNeeds(service, stage.name);
      const args = Object.fromEntries(service.globalArgs.filter((a) => a.value !== null).map((a) => [a.key, a.value as string]));
      target[name] = {
        context: service.context,
        dockerfile: dockerfileRelativeToContext(service),
        target: stage.name,
        tags: [imageTag(service, stage.name)],
        ...(Object.keys(args).length ? { args } : {}),
        ...(service.platforms.length ? { platforms: [...service.platforms] } : {}),
        ...(needs.length ? { contexts: Object.fromEntries(needs.map((n) => [n.image, `target:${bakeTargetName(n.service, n.stage)}`])) } : {}),
      };
      groups.set(stage.name, [...(groups.get(stage.name) ?? []), name]);
    }
    defaults.push(bakeTargetName(service.name, service.target));
  }
  const group: BakeFile['group'] = { default: { targets: defaults } };
  for (const [stage, targets] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (stage !== 'default') group[stage] = { targets };
  }
  return { group, target };
}
