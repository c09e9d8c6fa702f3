import { imageTag, type ResolvedProject, type ResolvedService } from '../resolve';
import { crossServiceNeeds } from './closure';
import { dockerfileRelativeToContext } from './commands';
import { attestations, mountedSecrets, secretFlag, stageCacheSpecs } from './engines';

export interface BakeTarget {
  context: string;
  dockerfile: string;
  target: string;
  tags?: string[];
  args?: Record<string, string>;
  platforms?: string[];
  contexts?: Record<string, string>;
  'cache-from'?: string[];
  'cache-to'?: string[];
  secret?: string[];
  attest?: string[];
  output?: string[];
}

export interface BakeFile {
  variable: Record<string, { default: string }>;
  group: Record<string, { targets: string[] }>;
  target: Record<string, BakeTarget>;
}

export const bakeTargetName = (service: string, stage: string): string => `${service}-${stage}`;

/** Bake reads JSON strings as HCL templates: `${` and `%{` in our values are escaped, so they arrive as written. */
const literal = (value: string): string => value.replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`);

/** The registry a service inherits from defaults (its image is <registry>/<name>), if it does not set its own. */
function inheritedRegistry(service: ResolvedService, defaults: ResolvedProject['defaults']): string | undefined {
  if (service.own.image || defaults.registry === undefined || !service.image.endsWith(`/${service.name}`)) return undefined;
  return service.image.slice(0, -(service.name.length + 1));
}

/**
 * The REGISTRY and TAG variables: their defaults are the values the services inherit from
 * `defaults` (after vars; the first service's where vars make them differ), and a service uses
 * the variable where it inherits exactly that value, so the default bake file builds what
 * stagec build does, and `TAG=sha-1 docker buildx bake` retags.
 */
function bakeVariables(project: ResolvedProject): { registry?: string; tag: string } {
  const registry = project.services.map((s) => inheritedRegistry(s, project.defaults)).find((r) => r !== undefined);
  const tag = project.services.find((s) => !s.own.tag)?.tag ?? 'latest';
  return { ...(registry !== undefined ? { registry } : {}), tag };
}

/** A stage's tag as bake writes it: ${REGISTRY} and ${TAG} where the service inherits their defaults. */
function bakeTag(service: ResolvedService, stage: string, project: ResolvedProject, variables: { registry?: string; tag: string }): string {
  const registry = inheritedRegistry(service, project.defaults);
  const image = registry !== undefined && registry === variables.registry ? `\${REGISTRY}/${service.name}` : literal(service.image);
  const tag = !service.own.tag && service.tag === variables.tag ? '${TAG}' : literal(service.tag);
  return imageTag({ image, tag, target: service.target }, stage);
}

function attestEntries(service: ResolvedService): string[] {
  const a = attestations(service.build.provenance, service.build.sbom);
  const out: string[] = [];
  if (a.provenance) out.push(a.provenance === 'false' ? 'type=provenance,disabled=true' : a.provenance === 'true' ? 'type=provenance' : `type=provenance,${a.provenance}`);
  if (a.sbom) out.push(a.sbom === 'false' ? 'type=sbom,disabled=true' : 'type=sbom');
  return out;
}

/**
 * docker-bake.json: a target per service stage, a group per stage name, `default` = every
 * service's default target. A cross-service FROM is a named context `target:` so one
 * `docker buildx bake` builds the base first, locally or on a remote BuildKit. Build settings
 * (DESIGN 12) become cache-from/cache-to, secret, attest and output; cache-only stages are
 * built for their cache only (output type=cacheonly), never tagged.
 */
export function emitBake(project: ResolvedProject): BakeFile {
  const variables = bakeVariables(project);
  const target: Record<string, BakeTarget> = {};
  const groups = new Map<string, string[]>();
  const defaultTargets: string[] = [];
  for (const service of project.services) {
    const build = service.build;
    const attest = attestEntries(service);
    for (const stage of service.stages) {
      const name = bakeTargetName(service.name, stage.name);
      const needs = crossServiceNeeds(service, stage.name);
      // The Dockerfile declares these defaults itself. One that refers to another ARG is left to
      // it: passed as a build arg, its value would arrive unexpanded (build args are literal).
      const args = Object.fromEntries(service.globalArgs.filter((a) => a.value !== null && !a.value.includes('$')).map((a) => [a.key, literal(a.value as string)]));
      const cacheOnly = build.cacheOnly.includes(stage.name);
      const mounted = mountedSecrets(service, stage.name);
      const secret = build.secrets.filter((s) => mounted.has(s.id)).map((s) => literal(secretFlag(s)));
      const cacheFrom = stageCacheSpecs(build.cacheFrom, stage.name).map(literal);
      const cacheTo = stageCacheSpecs(build.cacheTo, stage.name).map(literal);
      target[name] = {
        // Paths too: a folder may be named `a${b}` or `p%{x}`.
        context: literal(service.context),
        dockerfile: literal(dockerfileRelativeToContext(service)),
        target: stage.name,
        ...(cacheOnly ? {} : { tags: [bakeTag(service, stage.name, project, variables)] }),
        ...(Object.keys(args).length ? { args } : {}),
        ...(service.platforms.length ? { platforms: [...service.platforms] } : {}),
        ...(needs.length ? { contexts: Object.fromEntries(needs.map((n) => [n.image, `target:${bakeTargetName(n.service, n.stage)}`])) } : {}),
        ...(cacheFrom.length ? { 'cache-from': cacheFrom } : {}),
        ...(cacheTo.length ? { 'cache-to': cacheTo } : {}),
        ...(secret.length ? { secret } : {}),
        ...(attest.length && !cacheOnly ? { attest } : {}),
        ...(cacheOnly ? { output: ['type=cacheonly'] } : build.push ? { output: ['type=registry'] } : {}),
      };
      groups.set(stage.name, [...(groups.get(stage.name) ?? []), name]);
    }
    defaultTargets.push(bakeTargetName(service.name, service.target));
  }
  const group: BakeFile['group'] = { default: { targets: defaultTargets } };
  for (const [stage, targets] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (stage !== 'default') group[stage] = { targets };
  }
  const variable: BakeFile['variable'] = {
    ...(variables.registry !== undefined ? { REGISTRY: { default: literal(variables.registry) } } : {}),
    TAG: { default: literal(variables.tag) },
  };
  return { variable, group, target };
}
