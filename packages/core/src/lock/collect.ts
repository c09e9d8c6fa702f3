import type { SourceIndex, YamlPath } from '../load';
import type { ResolvedProject, StageRef, Step } from '../resolve';
import { hasVariables, parseImageName } from './reference';
import type { ImageUse, ImageUseKind } from './model';

export interface ImageUses {
  /** External references stagec lock resolves and compile pins. */
  lockable: ImageUse[];
  /** References with `$` variables: never pinned, since a build-arg could change them (lint's requireDigests reports these). */
  variable: ImageUse[];
  /** References that already carry a digest (`node:20@sha256:...`): pinned by the author. */
  pinned: ImageUse[];
}

/**
 * Every external image the resolved project names: FROM, COPY --from and bind mounts from an
 * image. A cross-service `{service, stage}` reference is built here, so it is never external;
 * `scratch` is no image at all.
 */
export function collectImages(project: ResolvedProject, source?: SourceIndex): ImageUses {
  const uses: ImageUses = { lockable: [], variable: [], pinned: [] };
  const seen = new Set<string>();
  const add = (ref: StageRef | undefined, kind: ImageUseKind, service: string, stage: string, path: YamlPath): void => {
    if (ref?.kind !== 'image' || ref.image === 'scratch') return;
    const key = `${service}\0${stage}\0${ref.image}\0${path.join('\0')}`;
    if (seen.has(key)) return;
    seen.add(key);
    const use: ImageUse = { reference: ref.image, service, stage, kind, path };
    if (hasVariables(ref.image)) uses.variable.push(use);
    else {
      const parsed = parseImageName(ref.image);
      if (!(parsed instanceof Error) && parsed.digest) uses.pinned.push(use);
      else uses.lockable.push(use);
    }
  };
  for (const service of project.services) {
    for (const stage of service.stages) {
      add(stage.base.value, 'from', service.name, stage.name, scalarPath(source, stage.base.origin.path, stage.base.value));
      for (const step of stage.steps) {
        for (const [kind, ref, path] of stepImages(step.value, step.origin.path, source)) add(ref, kind, service.name, stage.name, path);
      }
    }
  }
  return uses;
}

/** `from: x` or `from: {image: x}`: the scalar that holds the reference, for a precise caret. */
function scalarPath(source: SourceIndex | undefined, path: YamlPath, ref: StageRef): YamlPath {
  if (!source || ref.kind !== 'image' || source.scalarText(path) !== undefined) return path;
  return source.scalarText([...path, 'image']) !== undefined ? [...path, 'image'] : path;
}

function stepImages(step: Step, at: YamlPath, source: SourceIndex | undefined): [ImageUseKind, StageRef | undefined, YamlPath][] {
  if (step.kind === 'copy') return step.from ? [['copy', step.from, scalarPath(source, [...at, 'copy', 'from'], step.from)]] : [];
  if (step.kind !== 'run') return [];
  const found: [ImageUseKind, StageRef | undefined, YamlPath][] = [];
  for (const mount of step.mounts) {
    if (mount.type !== 'bind' || mount.from?.kind !== 'image') continue;
    found.push(['mount', mount.from, mountPath(source, at, mount.from.image)]);
  }
  return found;
}

/**
 * The resolved mounts put cache and secret shorthands first, so a bind mount's index in the
 * written `mounts` list is not its index here: find the entry that names this image.
 */
function mountPath(source: SourceIndex | undefined, at: YamlPath, image: string): YamlPath {
  const mounts: YamlPath = [...at, 'run', 'mounts'];
  if (!source) return mounts;
  for (let i = 0; i < 256; i++) {
    for (const path of [[...mounts, i, 'from'], [...mounts, i, 'from', 'image']]) {
      const text = source.scalarText(path);
      if (text !== undefined && text.includes(image)) return path;
    }
    if (source.scalarText([...mounts, i, 'type']) === undefined && source.scalarText([...mounts, i, 'target']) === undefined) break;
  }
  return mounts;
}
