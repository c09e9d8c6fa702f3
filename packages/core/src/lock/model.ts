import type { YamlPath } from '../load';

/** One entry of stages.lock: what a reference, as written in stages.yaml, resolved to. */
export interface LockEntry {
  /** The normalised name that was resolved (`docker.io/library/debian:bookworm-slim`). */
  name: string;
  /** The manifest (or, for a multi-platform image, the index) digest. */
  digest: string;
  /** The manifest's media type, so a reviewer sees whether it is an index or one platform. */
  mediaType?: string;
}

export interface Lock {
  version: 1;
  /** Keyed by the reference exactly as stages.yaml writes it. */
  images: Record<string, LockEntry>;
}

export type ImageUseKind = 'from' | 'copy' | 'mount';

/** A place where stages.yaml names an external image. */
export interface ImageUse {
  reference: string;
  service: string;
  stage: string;
  kind: ImageUseKind;
  /** Where the reference is written in stages.yaml (the scalar itself where it can). */
  path: YamlPath;
}

/** stages.lock sits beside its config: `stages.yaml` -> `stages.lock`, `ci/prod.yml` -> `ci/prod.lock`. */
export const lockPathFor = (configPath: string): string => (/\.ya?ml$/i.test(configPath) ? configPath.replace(/\.ya?ml$/i, '.lock') : `${configPath}.lock`);
