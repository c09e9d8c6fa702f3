import { posix } from 'node:path';
import { imageTag, type ResolvedProject, type ResolvedService } from '../resolve';
import { didYouMean } from '../util/suggest';
import { buildOrder, crossServiceNeeds, needsInsecure, type BuildRef } from './closure';

export const ENGINES = ['docker', 'buildx', 'podman', 'buildah'] as const;
export type Engine = (typeof ENGINES)[number];

export interface PlanOptions {
  /** Services to build; all when empty. */
  services?: readonly string[];
  /** Stage to build instead of each service's default target. */
  target?: string;
  engine?: Engine;
  /** Extra tag for every image (e.g. a commit SHA), next to the stages.yaml tag that cross-service FROM lines use. */
  tag?: string;
  /** Extra registry: every image is also tagged <registry>/<service>:<tag>. */
  registry?: string;
  buildArgs?: Readonly<Record<string, string>>;
  /** RUN network for every build (`host` where the default bridge is unavailable). */
  network?: string;
  /** false: only the requested builds, not the other services' images they build on (when an orchestrator like Nx builds those). */
  deps?: boolean;
  /** Appended to every engine command (`stagec build api -- --no-cache`). */
  extraArgs?: readonly string[];
}

export interface PlannedBuild {
  id: string;
  service: string;
  target: string;
  engine: Engine;
  /** Run from the workspace root. */
  argv: string[];
  env: Record<string, string>;
  tags: string[];
  dockerfile: string;
  context: string;
  depends_on: string[];
}

export type PlanResult = { builds: PlannedBuild[]; errors: string[] };

const buildId = (service: string, target: string): string => `${service}:${target}`;

function tagsOf(service: ResolvedService, target: string, options: PlanOptions): string[] {
  const canonical = imageTag(service, target);
  const tags = [canonical];
  if (options.tag || options.registry) {
    const image = options.registry ? `${options.registry.replace(/\/+$/, '')}/${service.name}` : service.image;
    const tag = options.tag ?? service.tag;
    const extra = target === service.target ? `${image}:${tag}` : `${image}:${tag}-${target}`;
    if (extra !== canonical) tags.push(extra);
  }
  return tags;
}

function argvOf(engine: Engine, service: ResolvedService, target: string, tags: string[], options: PlanOptions): string[] {
  const head: Record<Engine, string[]> = {
    docker: ['docker', 'build'],
    buildx: ['docker', 'buildx', 'build'],
    podman: ['podman', 'build'],
    buildah: ['buildah', 'bud'],
  };
  const argv = [...head[engine], '-f', service.dockerfile, '--target', target];
  for (const tag of tags) argv.push('-t', tag);
  for (const [k, v] of Object.entries(options.buildArgs ?? {})) argv.push('--build-arg', `${k}=${v}`);
  if (options.network) argv.push(`--network=${options.network}`);
  // RUN --security=insecure needs the entitlement granted per build (and allowed by the daemon or builder: docs/language.md).
  if (needsInsecure(service, target) && (engine === 'docker' || engine === 'buildx')) argv.push('--allow', 'security.insecure');
  const platforms = service.platforms;
  // The classic docker build takes one platform; the others take a list.
  if (platforms.length > 0 && (engine !== 'docker' || platforms.length === 1)) argv.push('--platform', platforms.join(','));
  // buildx leaves single-platform images in its cache unless told to load them; multi-platform cannot be loaded.
  if (engine === 'buildx' && platforms.length <= 1) argv.push('--load');
  argv.push(...(options.extraArgs ?? []), service.context);
  return argv;
}

const withHint = (message: string, hint: string | undefined): string => (hint ? `${message} (${hint})` : message);

/** Phase 4: the engine commands that build the requested targets, dependencies first. Pure. */
export function planBuilds(project: ResolvedProject, options: PlanOptions = {}): PlanResult {
  const engine = options.engine ?? 'docker';
  const errors: string[] = [];
  const byName = new Map(project.services.map((s) => [s.name, s]));
  const names = options.services?.length ? options.services : project.services.map((s) => s.name);
  const requested: BuildRef[] = [];
  for (const name of names) {
    const service = byName.get(name);
    if (!service) {
      errors.push(withHint(`service "${name}" is not defined`, didYouMean(name, byName.keys())));
      continue;
    }
    const target = options.target ?? service.target;
    if (service.stages.some((s) => s.name === target)) requested.push({ service: name, target });
    else if (options.services?.length) errors.push(withHint(`service "${name}" has no stage "${target}"`, didYouMean(target, service.stages.map((s) => s.name))));
  }
  if (requested.length === 0 && errors.length === 0) errors.push(`no service has a stage "${options.target}"`);
  const ordered = options.deps === false ? requested : buildOrder(project, requested);
  if (engine === 'podman' || engine === 'buildah') {
    for (const ref of ordered) {
      if (needsInsecure(byName.get(ref.service)!, ref.target)) {
        errors.push(`${ref.service}:${ref.target} runs RUN --security=insecure, which ${engine} cannot be granted (it takes no --allow security.insecure): use --engine buildx or docker`);
      }
    }
  }
  const builds = ordered.map((ref): PlannedBuild => {
    const service = byName.get(ref.service)!;
    const tags = tagsOf(service, ref.target, options);
    return {
      id: buildId(ref.service, ref.target),
      service: ref.service,
      target: ref.target,
      engine,
      argv: argvOf(engine, service, ref.target, tags, options),
      env: engine === 'docker' ? { DOCKER_BUILDKIT: '1' } : {},
      tags,
      dockerfile: service.dockerfile,
      context: service.context,
      depends_on: crossServiceNeeds(service, ref.target).map((d) => buildId(d.service, d.stage)),
    };
  });
  return { builds, errors };
}

/** A shell-ready rendering of argv (for plan's text output and --dry-run). */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export const dockerfileRelativeToContext = (service: ResolvedService): string => posix.relative(service.context, service.dockerfile);
