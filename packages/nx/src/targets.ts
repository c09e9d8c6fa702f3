import { posix } from 'node:path';
import type { ServiceSummary } from './summary';
import type { NormalizedOptions } from './options';

/** The slice of Nx's project configuration this plugin fills in (structurally Nx's own types). */
export interface TargetConfiguration {
  command?: string;
  executor?: string;
  options?: { cwd?: string };
  cache: boolean;
  inputs: (string | { runtime: string })[];
  outputs?: string[];
  dependsOn?: (string | { projects: string[]; target: string })[];
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

/**
 * Nx targets for every service, on the project at the service's path (DESIGN §3). `names`
 * maps service names to project names (a package.json there may name the project).
 */
export function projectsFor(services: readonly ServiceSummary[], options: NormalizedOptions, names: ReadonlyMap<string, string>): Record<string, ProjectConfiguration> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const projectName = (service: string): string => names.get(service) ?? service;
  const stageTarget = (stage: string): string => `${options.targetName}${options.separator}${stage}`;
  const config = options.config === 'stages.yaml' ? '' : ` -c ${quote(options.config)}`;
  const engine = options.engine ? ` --engine ${quote(options.engine)}` : '';
  const projects: Record<string, ProjectConfiguration> = {};

  for (const service of services) {
    const root = service.path;
    const deps = [...new Set(service.stages.flatMap((st) => st.needs.map((n) => n.service)))].sort().map((s) => byName.get(s)!);
    const dockerfileTarget: TargetConfiguration = {
      command: `${options.stagecCommand} compile --service ${quote(service.name)}${config}`,
      cache: true,
      // What `stagec print` prints is exactly this service's Dockerfile: the cache key changes
      // when this service's output does, not on every edit of stages.yaml.
      inputs: [{ runtime: `${options.stagecCommand} print ${quote(service.name)}${config}` }],
      outputs: [`{workspaceRoot}/${service.dockerfile}`],
      metadata: metadata(`Compile ${service.dockerfile} from ${options.config}`, `${options.stagecCommand} compile --help`),
    };
    const targets: Record<string, TargetConfiguration> = { [options.dockerfileTargetName]: dockerfileTarget };
    for (const stage of service.stages) {
      const needs = stage.needs;
      const imageTag = stage.name === service.target ? `${service.image}:${service.tag}` : `${service.image}:${service.tag}-${stage.name}`;
      targets[stageTarget(stage.name)] = {
        command: `${options.stagecCommand} build ${quote(service.name)} --target ${quote(stage.name)} --no-deps${engine}${config}`,
        cache: options.cacheableStages.includes(stage.name),
        inputs: [
          '{projectRoot}/**/*',
          `{workspaceRoot}/${service.dockerfile}`,
          ...(posix.normalize(service.context) !== posix.normalize(root) ? [`{workspaceRoot}/${service.context === '.' ? '' : `${service.context}/`}**/*`] : []),
          ...deps.map((d) => `{workspaceRoot}/${d.path}/**/*`),
        ],
        dependsOn: [
          options.dockerfileTargetName,
          ...needs.map((n) => ({ projects: [projectName(n.service)], target: stageTarget(n.stage) })),
        ],
        metadata: metadata(
          stage.name === service.target
            ? `Build the ${service.name} image (${stage.name}, the default target) as ${imageTag}`
            : `Build stage ${stage.name} of ${service.name} as ${imageTag}`,
          `${options.stagecCommand} build --help`,
        ),
      };
    }
    // `image` is the default target by another name: nx run api:image builds image:<target>.
    targets[options.targetName] = {
      executor: 'nx:noop',
      cache: false,
      inputs: [],
      dependsOn: [stageTarget(service.target)],
      metadata: metadata(`Build the ${service.name} image: its default target, ${service.target}`, `${options.stagecCommand} build --help`),
    };
    projects[root] = {
      root,
      name: projectName(service.name),
      projectType: 'application',
      tags: ['stagec'],
      implicitDependencies: deps.map((d) => projectName(d.name)),
      targets,
      metadata: {
        ...(service.description ? { description: service.description } : {}),
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
