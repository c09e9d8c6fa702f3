import type { ResolvedService, SecretSource } from '../resolve';
import { stageClosure } from './closure';

export const ENGINES = ['docker', 'buildx', 'podman', 'buildah'] as const;
export type Engine = (typeof ENGINES)[number];

/** What one build asks of its engine, settings already merged with the command line's overrides. */
export interface BuildRequest {
  engine: Engine;
  service: ResolvedService;
  target: string;
  tags: string[];
  platforms: string[];
  push: boolean;
  cacheOnly: boolean;
  cacheFrom: string[];
  cacheTo: string[];
  secrets: SecretSource[];
  provenance?: boolean | 'min' | 'max';
  sbom?: boolean;
  buildArgs: Readonly<Record<string, string>>;
  network?: string;
  /** A stage of the build runs RUN --security=insecure: the entitlement must be granted per build. */
  insecure?: boolean;
  extraArgs: readonly string[];
  /** The service's Dockerfile-specific ignore file (a pruned context): podman and buildah are given it with --ignorefile. */
  ignoreFile?: string;
  /** buildx only: build one platform and push it by digest (a CI matrix job), writing its metadata here. */
  byDigest?: { metadataFile: string };
}

/** The engine's commands for one build: the build itself, then what ships it (push commands). */
export interface EngineCommands {
  argv: string[];
  then: string[][];
  errors: string[];
}

const HEAD: Record<Engine, string[]> = {
  docker: ['docker', 'build'],
  buildx: ['docker', 'buildx', 'build'],
  podman: ['podman', 'build'],
  buildah: ['buildah', 'bud'],
};

const STAGE_NAME = /\$\{\{\s*stage\.name\s*\}\}/g;
/** Cache specs with `${{ stage.name }}` set to the stage being built. */
export const stageCacheSpecs = (specs: readonly string[], stage: string): string[] => specs.map((s) => s.replace(STAGE_NAME, stage));

/** The key=value fields of a BuildKit cache spec (`type=registry,ref=x`); a bare reference is `type=registry,ref=<it>`. */
export function parseCacheSpec(spec: string): Record<string, string> {
  if (!spec.includes('=')) return { type: 'registry', ref: spec };
  const fields: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  fields.type ??= 'registry'; // buildx's default type
  return fields;
}

/** The secret ids the target's stages mount (RUN --mount=type=secret): only those get a --secret. */
export function mountedSecrets(service: ResolvedService, target: string): Set<string> {
  const stages = new Set(stageClosure(service, target));
  const ids = new Set<string>();
  for (const stage of service.stages) {
    if (!stages.has(stage.name)) continue;
    for (const { value: step } of stage.steps) if (step.kind === 'run') for (const m of step.mounts) if (m.type === 'secret') ids.add(m.id);
  }
  return ids;
}

export const secretFlag = (s: SecretSource): string => ('src' in s ? `id=${s.id},src=${s.src}` : `id=${s.id},env=${s.env}`);

/** buildx's --provenance / --sbom values and bake's `attest` entries. */
export function attestations(provenance: BuildRequest['provenance'], sbom: boolean | undefined): { provenance?: string; sbom?: string } {
  return {
    ...(provenance === undefined ? {} : { provenance: typeof provenance === 'string' ? `mode=${provenance}` : String(provenance) }),
    ...(sbom === undefined ? {} : { sbom: String(sbom) }),
  };
}

/**
 * Each engine's argv for one build (DESIGN 12). What an engine cannot do is an error that
 * says what to use, never a silently dropped setting.
 */
export function engineCommands(r: BuildRequest): EngineCommands {
  const errors: string[] = [];
  const who = `${r.service.name}:${r.target}`;
  const fail = (message: string): void => void errors.push(`${who}: ${message}`);
  const argv = [...HEAD[r.engine], '-f', r.service.dockerfile, '--target', r.target];
  const then: string[][] = [];
  const image = r.tags[0]!;
  const several = r.platforms.length > 1;
  const buildx = r.engine === 'buildx';
  const oci = r.engine === 'podman' || r.engine === 'buildah';
  const manifest = oci && several;

  // Tags: a cache-only stage through buildx is never an image; a multi-platform podman/buildah build is a manifest list.
  if (!(buildx && r.cacheOnly) && !manifest && !r.byDigest) for (const tag of r.tags) argv.push('-t', tag);
  for (const [k, v] of Object.entries(r.buildArgs)) argv.push('--build-arg', `${k}=${v}`);
  if (r.network) argv.push(`--network=${r.network}`);
  // BuildKit finds <dockerfile>.dockerignore by itself; podman and buildah read only the context's own ignore file.
  if (r.ignoreFile && oci) argv.push('--ignorefile', r.ignoreFile);
  // RUN --security=insecure needs the entitlement granted per build (and allowed by the daemon or builder: docs/language.md).
  if (r.insecure) {
    if (r.engine === 'docker' || buildx) argv.push('--allow', 'security.insecure');
    else errors.push(`${who} runs RUN --security=insecure, which ${r.engine} cannot be granted (it takes no --allow security.insecure): use --engine buildx or docker`);
  }

  if (r.platforms.length) {
    if (r.engine === 'docker' && several) {
      fail(`${r.platforms.length} platforms (${r.platforms.join(', ')}): the docker engine builds one; use --engine buildx with --push, --engine podman or buildah (a manifest list), or choose one with --platform`);
    } else argv.push('--platform', r.platforms.join(','));
  }
  if (manifest) argv.push('--manifest', image);

  for (const spec of r.cacheFrom) {
    const c = parseCacheSpec(spec);
    if (buildx) argv.push('--cache-from', spec);
    else if (c.type === 'registry' && c.ref) argv.push('--cache-from', c.ref);
    else fail(`cache-from "${spec}": ${r.engine} imports caches from a registry only (type=registry,ref=<image>); use --engine buildx for type=${c.type}`);
  }
  for (const spec of r.cacheTo) {
    const c = parseCacheSpec(spec);
    if (buildx) argv.push('--cache-to', spec);
    else if (r.engine === 'docker' && c.type === 'inline') argv.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
    else if (r.engine === 'docker') fail(`cache-to "${spec}": docker build exports only the inline cache (type=inline, pushed inside the image); a ${c.type} cache export needs --engine buildx with a docker-container builder`);
    else if (c.type === 'registry' && c.ref) argv.push('--cache-to', c.ref);
    else fail(`cache-to "${spec}": ${r.engine} exports layers to a registry repository only (type=registry,ref=<repository>); type=${c.type} needs --engine buildx`);
  }
  for (const s of r.secrets) argv.push('--secret', secretFlag(s));

  const attest = attestations(r.provenance, r.sbom);
  if (buildx) {
    if (attest.provenance) argv.push(`--provenance=${attest.provenance}`);
    if (attest.sbom) argv.push(`--sbom=${attest.sbom}`);
  } else {
    // false is what these engines do anyway; anything else would be lost.
    if (r.provenance !== undefined && r.provenance !== false) fail(`provenance attestations need --engine buildx (${r.engine} cannot attach them)`);
    if (r.sbom) fail(`SBOM attestations need --engine buildx (${r.engine} cannot attach them)`);
  }

  if (buildx) {
    if (r.cacheOnly) argv.push('--output=type=cacheonly');
    else if (r.byDigest) {
      argv.push('--output', `type=image,name=${repository(image)},push-by-digest=true,name-canonical=true,push=true`, '--metadata-file', r.byDigest.metadataFile);
    } else if (r.push) argv.push('--push');
    // buildx leaves a single-platform image in its cache unless told to load it.
    else if (!several) argv.push('--load');
    else fail(`${r.platforms.length} platforms cannot be loaded into the local image store: push them (--push or build.push: true), or build one with --platform`);
  } else if (r.push && !r.cacheOnly) {
    const tool = r.engine === 'docker' ? 'docker' : r.engine;
    if (manifest) for (const tag of r.tags) then.push([tool, 'manifest', 'push', '--all', image, `docker://${tag}`]);
    else for (const tag of r.tags) then.push([tool, 'push', tag]);
  }
  argv.push(...r.extraArgs, r.service.context);
  return { argv, then, errors };
}

/** An image reference without its tag (and digest): what push-by-digest names. */
export function repository(ref: string): string {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}
