import type { Command, Healthcheck as SchemaHealthcheck } from '../generated/types';
import type { YamlPath } from '../load';

/** Where a resolved value was written: its path in stages.yaml and the template chain that brought it in. */
export interface Origin {
  path: YamlPath;
  /**
   * The template chain down to the place the value was written, e.g. [pipelines.node.stages.runtime,
   * stages.node-runtime]. A value from the service's pipeline does not store the service's own
   * hop (`services.api`): that stage is resolved once and shared by every service that adopts it
   * unchanged. `serviceChain` gives the chain from the service down, as explain and lint print it.
   */
  chain: readonly string[];
  /** A step an `edit` entry put there: what it did, and the inherited step it replaced or was placed next to. */
  edit?: { action: 'replace' | 'before' | 'after'; target: Origin };
}

/**
 * The chain from the service down: [services.api, pipelines.node.stages.runtime, stages.node-runtime].
 * A chain that starts at a stage of the service's pipeline gets the service's hop in front.
 */
export function serviceChain(service: { name: string; pipeline?: string }, chain: readonly string[]): readonly string[] {
  const first = chain[0];
  return service.pipeline !== undefined && first?.startsWith(`pipelines.${service.pipeline}.stages.`)
    ? [`services.${service.name}`, ...chain]
    : chain;
}

export interface Traced<T> {
  value: T;
  origin: Origin;
}

export interface Entry {
  key: string;
  /** null: an ARG declared without a default. */
  value: string | null;
  origin: Origin;
}

export type StageRef =
  { kind: 'stage'; stage: string } | { kind: 'image'; image: string } | { kind: 'service'; service: string; stage: string; image: string };

/** Owner and mode of what a mount creates: uid/gid integers, mode an octal string. */
export interface MountOwner {
  mode?: string;
  uid?: number;
  gid?: number;
}

export type Mount =
  | ({ type: 'cache'; target: string; id?: string; sharing?: string; from?: StageRef; source?: string; readonly?: boolean } & MountOwner)
  | ({ type: 'secret'; id: string; target?: string; env?: string; required?: boolean } & MountOwner)
  | { type: 'bind'; target?: string; source?: string; from?: StageRef; rw?: boolean }
  | { type: 'tmpfs'; target?: string; size?: number }
  | ({ type: 'ssh'; id?: string; target?: string; required?: boolean } & MountOwner);

export interface FileTransfer {
  sources: string[];
  dest: string;
  chown?: string;
  chmod?: string;
  link?: boolean;
}

/**
 * A RUN: shell form (`commands` joined with &&, or one multi-line command as a heredoc), a
 * heredoc script given to `interpreter`, or exec form (`exec`, a JSON array, no shell).
 */
export type RunStep = {
  kind: 'run';
  commands: string[];
  exec?: string[];
  interpreter?: string;
  mounts: Mount[];
  network?: string;
  security?: 'insecure' | 'sandbox';
};

export type Step =
  | RunStep
  | ({ kind: 'copy'; from?: StageRef; exclude: string[]; parents?: boolean; content?: string } & FileTransfer)
  | ({ kind: 'add'; checksum?: string; keepGitDir?: boolean } & FileTransfer)
  | { kind: 'volume'; paths: string[] }
  | { kind: 'env'; entries: Entry[] }
  | { kind: 'arg'; entries: Entry[] }
  | { kind: 'workdir'; path: string }
  | { kind: 'user'; user: string }
  | { kind: 'shell'; shell: string[] }
  /** `manifests:` (docs/contexts.md): replaced by COPY steps once the workspace is known (contexts/manifests.ts); never emitted as such. */
  | { kind: 'manifests'; lockfile: boolean };

/** HEALTHCHECK and CMD/ENTRYPOINT are what the schema defines (types generated from it). */
export type Healthcheck = Exclude<SchemaHealthcheck, 'none'>;
export type { Command };

export interface ResolvedStage {
  name: string;
  origin: Origin;
  description?: Traced<string>;
  base: Traced<StageRef>;
  platform?: Traced<string>;
  /** Global ARGs this stage uses, re-declared inside it as Docker's scoping requires. */
  redeclared: string[];
  args: Entry[];
  env: Entry[];
  workdir?: Traced<string>;
  shell?: Traced<string[]>;
  steps: Traced<Step>[];
  expose?: Traced<string[]>;
  volumes?: Traced<string[]>;
  labels: Entry[];
  user?: Traced<string>;
  healthcheck?: Traced<Healthcheck | 'none'>;
  stopsignal?: Traced<string>;
  entrypoint?: Traced<Command>;
  cmd?: Traced<Command>;
  /** ONBUILD triggers, emitted after CMD. */
  onbuild: Traced<Step>[];
}

export interface ServiceDependency {
  service: string;
  stage: string;
  image: string;
}

export interface ResolvedService {
  name: string;
  origin: Origin;
  description?: string;
  /** The top-level `header`: comment lines after the generated marker. */
  header?: string;
  /** Folder relative to the workspace root, posix, no trailing slash; "." for the root. */
  path: string;
  pipeline?: string;
  /** In emission order: dependencies first, the target last. */
  stages: ResolvedStage[];
  target: string;
  context: string;
  /** How `context` was given: pruning applies to a root context (docs/contexts.md). Absent: the default (the service's path). */
  contextOptions?: ContextOptions;
  dockerfile: string;
  image: string;
  tag: string;
  syntax?: string;
  platforms: string[];
  globalArgs: Entry[];
  /** Targets of other services this one builds on (FROM or COPY --from). */
  dependsOn: ServiceDependency[];
  build: BuildSettings;
  /** Whether the service set its own registry/image, or tag: bake's REGISTRY/TAG variables apply to the others. */
  own: { image: boolean; tag: boolean };
}

/** Where the secret a RUN step mounts comes from: a file (relative to the workspace root) or an environment variable. */
export type SecretSource = { id: string; origin: Origin } & ({ src: string } | { env: string });

/** The service's `build` settings after merging defaults, its pipeline and its own (docs/language.md, "Build settings"). */
export interface BuildSettings {
  push?: boolean;
  /** BuildKit cache specs; `${{ stage.name }}` is still in them (see stageCacheSpecs). */
  cacheFrom: string[];
  cacheTo: string[];
  secrets: SecretSource[];
  provenance?: boolean | 'min' | 'max';
  sbom?: boolean;
  /** Stages built only for their result (bake output type=cacheonly, never pushed). */
  cacheOnly: string[];
}

export interface ContextOptions {
  /** Workspace-relative, normalized; undefined: the default list. */
  include?: string[];
  prune: boolean;
  /** Where `context` is set in stages.yaml: diagnostics about the context set point here. */
  at: YamlPath;
  /** True for `{path, ...}`, false for a plain string. */
  explicit: boolean;
}

export interface ResolvedProject {
  /** Sorted by name: output never depends on the key order of `services`. */
  services: ResolvedService[];
  /** defaults.registry and defaults.tag: the bake file's REGISTRY and TAG variables. */
  defaults: { registry?: string; tag?: string };
}

/** The tag the image of a service's stage gets: <image>:<tag> for the default target, <image>:<tag>-<stage> otherwise. */
export function imageTag(service: { image: string; tag: string; target: string }, stage: string): string {
  return stage === service.target ? `${service.image}:${service.tag}` : `${service.image}:${service.tag}-${stage}`;
}
