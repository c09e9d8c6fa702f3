import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ServiceSummary } from './summary';
import type { NormalizedOptions } from './options';
import { sharedProjects, suffixed } from './naming';

/** The slice of Nx's project configuration this plugin fills in (structurally Nx's own types). */
export interface TargetConfiguration {
  command?: string;
  executor?: string;
  options?: { env: Record<string, string> };
  cache: boolean;
  inputs: string[];
  outputs?: string[];
  dependsOn?: (string | { projects?: string[]; target: string; params?: 'forward' | 'ignore' })[];
  metadata: { description: string; technologies: string[]; help: { command: string; example: Record<string, unknown> } };
}

export interface ProjectConfiguration {
  root: string;
  name: string;
  projectType: 'application';
  tags: string[];
  implicitDependencies: string[];
  targets: Record<string, TargetConfiguration>;
  metadata: { description?: string; technologies: string[]; targetGroups: Record<string, string[]> };
}

const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The env var carrying a target's fingerprint: Nx hashes target options, so it is part of the cache key. */
export const FINGERPRINT = 'STAGEC_FINGERPRINT';

/** Workspace-relative form of a path in stages.yaml (those are relative to the folder holding it). */
export const workspacePath = (config: string, path: string): string => posix.normalize(posix.join(posix.dirname(config), path));

const filesOf = (folder: string): string => (folder === '.' ? '{workspaceRoot}/**/*' : `{workspaceRoot}/${folder}/**/*`);

/**
 * Nx targets for every service, on the project at the service's path (DESIGN §3). `names`
 * maps service names to project names (a package.json there may name the project).
 *
 * Cache keys: no target reads stages.yaml. The dockerfile target's options carry the sha256 of
 * the Dockerfile it writes, each image:<stage> target's the hash of that Dockerfile and of the
 * fingerprints of the other services' stages it builds on (transitively). Nx hashes a
 * project's whole configuration into each of its tasks, so an edit of stages.yaml invalidates
 * the targets of the projects whose Dockerfile, or whose upstream services' Dockerfiles, it
 * changes; nothing is run to compute a hash (a runtime input would start a process per task).
 */
export function projectsFor(services: readonly ServiceSummary[], options: NormalizedOptions, names: ReadonlyMap<string, string>): Record<string, ProjectConfiguration> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const at = (path: string): string => workspacePath(options.config, path);
  // A pruned context sends its context set only (DESIGN 15): those files, the ignore files that
  // prune it, and nothing else of the root, are what a build reads.
  const contextInputs = (service: ServiceSummary): string[] =>
    service.contextSet
      ? [
          ...service.contextSet.flatMap((e) => [`{workspaceRoot}/${at(e)}`, `{workspaceRoot}/${at(e)}/**/*`]),
          `{workspaceRoot}/${at(posix.join(service.context, '.dockerignore'))}`,
          `{workspaceRoot}/${at(`${service.dockerfile}.dockerignore`)}`,
        ]
      : [filesOf(at(service.context))];
  const shared = sharedProjects(services, at);
  const suffixOf = new Map(shared.flatMap((p) => p.members.map((m) => [m.service.name, m.suffix] as const)));
  // Every service on a shared path belongs to one project, named after its first member (or package.json).
  const projectOf = new Map(shared.flatMap((p) => p.members.map((m) => [m.service.name, names.get(p.members[0]!.service.name) ?? p.members[0]!.service.name] as const)));
  const projectName = (service: string): string => projectOf.get(service) ?? names.get(service) ?? service;
  const imageTarget = (service: string): string => suffixed(options.targetName, suffixOf.get(service) ?? '');
  const stageTarget = (service: string, stage: string): string => `${imageTarget(service)}${options.separator}${stage}`;
  const config = options.config === 'stages.yaml' ? '' : ` -c ${quote(options.config)}`;
  const engine = options.engine ? ` --engine ${quote(options.engine)}` : '';
  const needsOf = (service: ServiceSummary, stage: string) => service.stages.find((s) => s.name === stage)?.needs ?? [];

  // Per service stage, computed once over the graph of the stages it builds on: its fingerprint
  // (its Dockerfile's hash and those of its upstream stages) and the upstream build contexts.
  const keys = new Map<string, { fingerprint: string; upstream: string[] }>();
  const keyOf = (service: ServiceSummary, stage: string): { fingerprint: string; upstream: string[] } => {
    const id = `${service.name}:${stage}`;
    let value = keys.get(id);
    if (value === undefined) {
      const hash = createHash('sha256').update(service.sha);
      const upstream = new Set<string>();
      for (const n of needsOf(service, stage)) {
        const dep = byName.get(n.service)!;
        const depKey = keyOf(dep, n.stage);
        hash.update(`\n${n.service}:${n.stage}=${depKey.fingerprint}`);
        for (const f of contextInputs(dep)) upstream.add(f);
        for (const f of depKey.upstream) upstream.add(f);
      }
      keys.set(id, (value = { fingerprint: hash.digest('hex').slice(0, 24), upstream: [...upstream] }));
    }
    return value;
  };

  const serviceTargets = (service: ServiceSummary): Record<string, TargetConfiguration> => {
    const dockerfileTarget = suffixed(options.dockerfileTargetName, suffixOf.get(service.name) ?? '');
    const dockerfile = at(service.dockerfile);
    const targets: Record<string, TargetConfiguration> = {
      [dockerfileTarget]: {
        command: `${options.stagecCommand} compile --service ${quote(service.name)}${config}`,
        options: { env: { [FINGERPRINT]: service.sha.slice(0, 24) } },
        cache: true,
        inputs: options.stagesYamlInput ? [`{workspaceRoot}/${options.config}`] : [],
        outputs: [`{workspaceRoot}/${dockerfile}`],
        metadata: metadata(`Compile ${dockerfile} from ${options.config}`, `${options.stagecCommand} compile --help`),
      },
    };
    for (const stage of service.stages) {
      const imageTag = stage.name === service.target ? `${service.image}:${service.tag}` : `${service.image}:${service.tag}-${stage.name}`;
      targets[stageTarget(service.name, stage.name)] = {
        command: `${options.stagecCommand} build ${quote(service.name)} --target ${quote(stage.name)} --no-deps${engine}${config}`,
        options: { env: { [FINGERPRINT]: keyOf(service, stage.name).fingerprint } },
        cache: (options.cacheableStages ?? service.cacheOnly).includes(stage.name),
        // The context's files by path, not only {projectRoot}: Nx leaves the files of nested
        // projects out of {projectRoot}/**/*, though they are in the build context.
        inputs: [...new Set(['{projectRoot}/**/*', ...contextInputs(service), ...keyOf(service, stage.name).upstream])],
        dependsOn: [
          dockerfileTarget,
          // A service sharing this project (Dockerfile.debug building on Dockerfile) is a target of the same project.
          ...stage.needs.map((n) =>
            projectName(n.service) === projectName(service.name) ? stageTarget(n.service, n.stage) : { projects: [projectName(n.service)], target: stageTarget(n.service, n.stage) },
          ),
        ],
        metadata: metadata(
          stage.name === service.target
            ? `Build the ${service.name} image (${stage.name}, the default target) as ${imageTag}`
            : `Build stage ${stage.name} of ${service.name} as ${imageTag}`,
          `${options.stagecCommand} build --help`,
        ),
      };
    }
    // `image` is the default target by another name: nx run api:image builds image:<target>, and
    // hands it the arguments after -- (`nx run api:image -- --push`), which Nx appends to its command.
    // It carries that target's inputs: Nx decides which tasks `nx affected -t image` runs from
    // the touched files of each task's inputs, so with none it would run nothing.
    targets[imageTarget(service.name)] = {
      executor: 'nx:noop',
      cache: false,
      inputs: [...targets[stageTarget(service.name, service.target)]!.inputs],
      dependsOn: [{ target: stageTarget(service.name, service.target), params: 'forward' }],
      metadata: metadata(`Build the ${service.name} image: its default target, ${service.target}`, `${options.stagecCommand} build --help`),
    };
    return targets;
  };

  const projects: Record<string, ProjectConfiguration> = {};
  for (const { root, members } of shared) {
    const name = projectName(members[0]!.service.name);
    const targets: Record<string, TargetConfiguration> = {};
    const deps = new Set<string>();
    for (const { service } of members) {
      Object.assign(targets, serviceTargets(service));
      for (const st of service.stages) for (const n of st.needs) if (projectName(n.service) !== name) deps.add(projectName(n.service));
    }
    const description = members.map((m) => m.service.description).find((d) => d !== undefined);
    projects[root] = {
      root,
      name,
      projectType: 'application',
      tags: ['stagec'],
      implicitDependencies: [...deps].sort(),
      targets,
      metadata: {
        ...(description ? { description } : {}),
        technologies: ['docker'],
        targetGroups: { stagec: Object.keys(targets) },
      },
    };
  }
  return projects;
}

function metadata(description: string, help: string): TargetConfiguration['metadata'] {
  return { description, technologies: ['docker'], help: { command: help, example: {} } };
}
