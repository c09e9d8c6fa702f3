import { hasVariables as lockHasVariables, parseImageName } from '../lock';
import type { Entry, Origin, ResolvedService, StageRef } from '../resolve';

/** An external image reference as Docker reads it: `node:20` is docker.io/library/node, tag 20. */
export interface ImageName {
  domain: string;
  /** The repository path without the domain: `library/node`, `acme/api`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** A reference found in a service: where it was written, and what Docker would pull with the default build-args. */
export interface ImageUse {
  /** As written, after `${{ }}` expressions. */
  written: string;
  origin: Origin;
  /** With global ARG defaults substituted; undefined when a variable has no default. */
  expanded?: string;
  /** The global ARGs the reference reads (their values are often what a finding is about). */
  args: Entry[];
  /** What kind of instruction: FROM, COPY --from or a bind mount's from. */
  via: 'FROM' | 'COPY --from' | 'RUN --mount from';
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** What `stagec lock` treats as unpinnable: any variable, since a build-arg could change the image. */
export const hasVariables = lockHasVariables;

/**
 * Substitutes global ARG defaults as Docker does in FROM, through defaults that read other ARGs
 * (`NODE_IMAGE: node:${NODE_VERSION}`, as Docker expands an ARG's default when it is declared);
 * undefined when a variable has no default.
 */
export function expandArgs(text: string, args: readonly Entry[]): { expanded?: string; used: Entry[] } {
  const used: Entry[] = [];
  let missing = false;
  let current = text;
  // Bounded: a default that reads itself (A: ${A}) must not loop.
  for (let round = 0; round < 8 && hasVariables(current) && !missing; round++) {
    current = current.replace(VARIABLE, (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare!;
      const entry = [...args].reverse().find((a) => a.key === name);
      if (entry && entry.value !== null) {
        used.push(entry);
        return entry.value;
      }
      if (fallback !== undefined && whole.includes(':-')) return fallback;
      missing = true;
      return whole;
    });
  }
  return missing || hasVariables(current) ? { used } : { expanded: current, used };
}

/**
 * Docker's reference normalization, through the parser `stagec lock` uses (a port of
 * distribution/reference): `node:20` is docker.io/library/node. `tag` is only what was written:
 * an untagged reference has none here (Docker would pull `latest`).
 */
export function parseImage(reference: string): ImageName | undefined {
  const parsed = parseImageName(reference);
  if (parsed instanceof Error) return undefined;
  const name = reference.split('@')[0]!;
  const written = /:[^/]*$/.test(name.slice(name.lastIndexOf('/') + 1));
  return { domain: parsed.domain, repository: parsed.repository, ...(written ? { tag: parsed.tag } : {}), ...(parsed.digest ? { digest: parsed.digest } : {}) };
}

/** `scratch` is no image: nothing is pulled, so no tag, registry or digest applies. */
export const isScratch = (reference: string): boolean => reference === 'scratch';

/**
 * Whether a reference is pinned to a digest: written with `@sha256:`, or pinned by compile from
 * stages.lock (lint compiles with the lock, so a locked reference arrives as `ref@sha256:...`).
 */
export const isPinned = (reference: string): boolean => /@sha256:[0-9a-f]{64}$/.test(reference);

/** Every external image a service pulls: FROM images, COPY --from images, bind mounts from images. */
export function imageUses(service: ResolvedService): ImageUse[] {
  const out: ImageUse[] = [];
  const add = (ref: StageRef | undefined, origin: Origin, via: ImageUse['via']): void => {
    if (ref?.kind !== 'image' || isScratch(ref.image)) return;
    const { expanded, used } = expandArgs(ref.image, service.globalArgs);
    out.push({ written: ref.image, origin, args: used, via, ...(expanded !== undefined ? { expanded } : {}) });
  };
  for (const stage of service.stages) {
    add(stage.base.value, stage.base.origin, 'FROM');
    for (const { value: step, origin } of stage.steps) {
      if (step.kind === 'copy') add(step.from, { ...origin, path: [...origin.path, 'copy', 'from'] }, 'COPY --from');
      if (step.kind === 'run') {
        step.mounts.forEach((m, i) => {
          if (m.type === 'bind') add(m.from, { ...origin, path: [...origin.path, 'run', 'mounts', i, 'from'] }, 'RUN --mount from');
        });
      }
    }
  }
  return out;
}

/** `docker.io/library/node` matches `docker.io`, `docker.io/library` and `docker.io/library/node`, never `docker.io/lib`. */
export function registryAllows(image: ImageName, allowed: string): boolean {
  const full = `${image.domain}/${image.repository}`;
  const prefix = allowed.replace(/\/+$/, '');
  const normalized = prefix === 'index.docker.io' || prefix.startsWith('index.docker.io/') ? prefix.replace(/^index\./, '') : prefix;
  return full === normalized || full.startsWith(`${normalized}/`);
}
