import { posix } from 'node:path';

/** One service's share of an Nx project: its suffix ('' for the project's default image). */
export interface ProjectMember<S> {
  service: S;
  suffix: string;
}

export interface SharedProject<S> {
  root: string;
  /** Sorted by service name; the member with suffix '' (if any) first. */
  members: ProjectMember<S>[];
}

/** Thrown for two services that would get the same Nx target names. */
export class NamingError extends Error {}

const SUFFIX = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** `Dockerfile.debug` and `debug.Dockerfile` give `debug`; any other file name gives none. */
export function fileSuffix(dockerfile: string): string | undefined {
  const base = posix.basename(dockerfile);
  const m = /^dockerfile\.(.+)$/i.exec(base) ?? /^(.+)\.dockerfile$/i.exec(base);
  return m && SUFFIX.test(m[1]!) ? m[1]! : undefined;
}

/**
 * DESIGN 10, several services on one path: they share the Nx project at that path. The one
 * whose Dockerfile is `<path>/Dockerfile` keeps the plain names (image, image:<stage>,
 * dockerfile); each other one is suffixed after its file name (`Dockerfile.debug` ->
 * image-debug), else after its service name; where none has `<path>/Dockerfile`, all are
 * suffixed. A lone service keeps the plain names whatever its file is called. Services are
 * taken in name order, so names never depend on the order of stages.yaml; a collision
 * throws, naming both services.
 */
export function sharedProjects<S extends { name: string; path: string; dockerfile: string }>(
  services: readonly S[],
  at: (path: string) => string,
): SharedProject<S>[] {
  const byRoot = new Map<string, S[]>();
  for (const service of [...services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const root = at(service.path);
    byRoot.set(root, [...(byRoot.get(root) ?? []), service]);
  }
  return [...byRoot.entries()].map(([root, group]) => {
    if (group.length === 1) return { root, members: [{ service: group[0]!, suffix: '' }] };
    const members = group.map((service) => {
      const isDefault = at(service.dockerfile) === posix.join(root, 'Dockerfile');
      return { service, suffix: isDefault ? '' : (fileSuffix(service.dockerfile) ?? service.name) };
    });
    const owners = new Map<string, string>();
    for (const { service, suffix } of members) {
      const owner = owners.get(suffix);
      if (owner !== undefined) {
        const what = suffix === '' ? 'the plain image targets' : `the targets image-${suffix}`;
        throw new NamingError(`services "${owner}" and "${service.name}" on path ${root} would both get ${what}: give one of them a dockerfile with another name (Dockerfile.<suffix> or <suffix>.Dockerfile)`);
      }
      owners.set(suffix, service.name);
    }
    return { root, members: [...members].sort((a, b) => (a.suffix === '' ? -1 : b.suffix === '' ? 1 : 0)) };
  });
}

/** `image` -> `image-debug` for a suffixed member; '' keeps the name. */
export const suffixed = (name: string, suffix: string): string => (suffix ? `${name}-${suffix}` : name);
