import { posix } from 'node:path';
import { imageTag, type ResolvedProject, type ResolvedService } from '../resolve';
import { didYouMean } from '../util/suggest';
import { buildOrder, crossServiceNeeds, needsInsecure, type BuildRef } from './closure';
import { engineCommands, mountedSecrets, stageCacheSpecs, type BuildRequest, type Engine } from './engines';
import { splitByPlatform } from './split';

export { shellQuote } from './quote';

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
  /**
   * Per service, its Dockerfile-specific ignore file (a pruned context, DESIGN 15). BuildKit finds
   * it next to the Dockerfile by itself; podman and buildah read only the context's
   * .containerignore/.dockerignore, so they are given it with --ignorefile.
   */
  ignoreFiles?: Readonly<Record<string, string>>;
  /** Override build.push of every build (the images a pushed image builds on are pushed too). */
  push?: boolean;
  /** Override `platforms` of every build: an image built for several platforms needs its bases built for them too. */
  platforms?: readonly string[];
  /** Override build.cache.from / build.cache.to of the requested builds. */
  cacheFrom?: readonly string[];
  cacheTo?: readonly string[];
  /**
   * A CI matrix (plan --json): a multi-platform buildx build becomes a job per platform that
   * pushes by digest, writing its metadata under this folder, then a manifest-merge job.
   */
  splitPlatforms?: { metadataDir: string };
}

/** Where a merge job finds the digest a platform job pushed: `containerimage.digest` in its metadata file. */
export interface DigestSource {
  build: string;
  platform: string;
  metadataFile: string;
  /** The repository the digest was pushed to: the merge job names `<image>@<digest>`. */
  image: string;
}

export interface PlannedBuild {
  id: string;
  /** build: an engine build; merge: joins the per-platform digests of a split build into one tagged manifest list. */
  kind: 'build' | 'merge';
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
  /** The platforms this job builds (empty: the engine's default). */
  platforms: string[];
  /** Whether the job ships the image to its registry. */
  push: boolean;
  /** Commands run after a successful build, in order (e.g. `docker push <tag>` per tag). */
  then: string[][];
  /** merge jobs only. */
  sources?: DigestSource[];
  /** merge jobs only: the argv completed from the sources' metadata files, as one POSIX sh command line. */
  shell?: string;
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
  const askedFor = new Set(requested.map((r) => buildId(r.service, r.target)));
  const neededAsImage = new Set(ordered.flatMap((r) => crossServiceNeeds(byName.get(r.service)!, r.target).map((d) => buildId(d.service, d.stage))));
  const builds: PlannedBuild[] = [];
  for (const ref of ordered) {
    const service = byName.get(ref.service)!;
    const settings = service.build;
    const tags = tagsOf(service, ref.target, options);
    const platforms = [...(options.platforms ?? service.platforms)];
    // A cache-only stage that another build of this plan starts FROM must still become an image.
    const cacheOnly = settings.cacheOnly.includes(ref.target) && !neededAsImage.has(buildId(ref.service, ref.target));
    const mounted = mountedSecrets(service, ref.target);
    const id = buildId(ref.service, ref.target);
    // --cache-* name the caches of the builds asked for; the images they build on keep their own.
    // --push covers those too: a pushed image's FROM must be in the registry for anyone else to build it.
    const asked = askedFor.has(id);
    const depends = crossServiceNeeds(service, ref.target).map((d) => buildId(d.service, d.stage));
    const request: BuildRequest = {
      engine,
      service,
      target: ref.target,
      tags,
      platforms,
      push: (options.push ?? settings.push ?? false) && !cacheOnly,
      cacheOnly,
      cacheFrom: stageCacheSpecs((asked ? options.cacheFrom : undefined) ?? settings.cacheFrom, ref.target),
      cacheTo: stageCacheSpecs((asked ? options.cacheTo : undefined) ?? settings.cacheTo, ref.target),
      secrets: settings.secrets.filter((s) => mounted.has(s.id)),
      ...(settings.provenance !== undefined ? { provenance: settings.provenance } : {}),
      ...(settings.sbom !== undefined ? { sbom: settings.sbom } : {}),
      buildArgs: options.buildArgs ?? {},
      ...(options.network ? { network: options.network } : {}),
      insecure: needsInsecure(service, ref.target),
      extraArgs: options.extraArgs ?? [],
      ...(options.ignoreFiles?.[service.name] ? { ignoreFile: options.ignoreFiles[service.name] } : {}),
    };
    const env: Record<string, string> = engine === 'docker' ? { DOCKER_BUILDKIT: '1' } : {};
    const base = { service: ref.service, target: ref.target, engine, tags, dockerfile: service.dockerfile, context: service.context, depends_on: depends };
    if (options.splitPlatforms && engine === 'buildx' && platforms.length > 1 && request.push) {
      const split = splitByPlatform(request, id, base, options.splitPlatforms.metadataDir);
      builds.push(...split.jobs);
      errors.push(...split.errors);
      continue;
    }
    const cmd = engineCommands(request);
    errors.push(...cmd.errors);
    builds.push({ id, kind: 'build', ...base, argv: cmd.argv, env, platforms, push: request.push, then: cmd.then });
  }
  return { builds, errors };
}

export const dockerfileRelativeToContext = (service: ResolvedService): string => posix.relative(service.context, service.dockerfile);
