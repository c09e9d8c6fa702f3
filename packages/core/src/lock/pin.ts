import type { Diagnostic, RelatedLocation } from '../diagnostics';
import type { SourceIndex } from '../load';
import type { Mount, ResolvedProject, ResolvedService, ResolvedStage, StageRef, Step, Traced } from '../resolve';
import { collectImages } from './collect';
import type { ImageUse, Lock } from './model';

export interface PinOptions {
  /** How diagnostics name the lock file. */
  lockFile?: string;
  /** `compile --check`: a missing entry is an error; otherwise a warning and the reference stays unpinned. */
  required?: boolean;
  /** Only these services' images need entries (compile --service). */
  services?: ReadonlySet<string>;
}

export interface Pinned {
  project: ResolvedProject;
  diagnostics: Diagnostic[];
}

/**
 * Offline pinning: each lockable reference becomes `<reference as written>@<digest>` from the
 * lock. Returns a new project; the resolved one is left as it was.
 */
export function pinImages(project: ResolvedProject, lock: Lock, source: SourceIndex, options: PinOptions = {}): Pinned {
  const lockFile = options.lockFile ?? 'stages.lock';
  const lacks = (use: ImageUse): boolean =>
    !Object.hasOwn(lock.images, use.reference) && (!options.services || options.services.has(use.service));
  // One pinned reference per image of the run, shared by every place that names it (results are
  // never mutated); null for an image the lock lacks.
  const pinnedRefs = new Map<string, StageRef | null>();
  // Whether the stage being pinned names an image the lock lacks (scratch is no image).
  let lacking = false;
  const pin = (ref: StageRef | undefined): StageRef | undefined => {
    if (ref?.kind !== 'image') return ref;
    let pinned = pinnedRefs.get(ref.image);
    if (pinned === undefined) {
      const entry = Object.hasOwn(lock.images, ref.image) ? lock.images[ref.image] : undefined;
      pinned = entry ? { kind: 'image', image: `${ref.image}@${entry.digest}` } : null;
      pinnedRefs.set(ref.image, pinned);
    }
    if (pinned === null && ref.image !== 'scratch') lacking = true;
    return pinned ?? ref;
  };
  // A stage shared by services (resolve shares a pipeline's stage among those that keep it) is
  // pinned once, and its pinned copy is shared in turn, so the emitter still sees one stage.
  const stages = new Map<ResolvedStage, { pinned: ResolvedStage; lacking: boolean }>();
  const pinShared = (stage: ResolvedStage): { pinned: ResolvedStage; lacking: boolean } => {
    let done = stages.get(stage);
    if (done === undefined) {
      lacking = false;
      const pinned = pinStage(stage, pin); // sets `lacking`
      done = { pinned, lacking };
      stages.set(stage, done);
    }
    return done;
  };
  // What collectImages would find missing: an image of a selected service that the lock lacks.
  let unlocked = false;
  const services: ResolvedService[] = [];
  for (const service of project.services) {
    const selected = !options.services || options.services.has(service.name);
    let pinnedStages: ResolvedStage[] | undefined;
    for (let i = 0; i < service.stages.length; i++) {
      const stage = service.stages[i]!;
      const done = pinShared(stage);
      if (done.lacking && selected) unlocked = true;
      if (done.pinned !== stage) (pinnedStages ??= service.stages.slice(0, i)).push(done.pinned);
      else pinnedStages?.push(stage);
    }
    services.push(pinnedStages ? { ...service, stages: pinnedStages } : service);
  }
  const missing = new Map<string, ImageUse[]>();
  // Precise positions cost a walk of the YAML per use: only for the rare run with missing entries.
  // Commonly every image is in the lock, which pinning has seen, without collecting.
  if (unlocked && collectImages(project).lockable.some(lacks)) {
    for (const use of collectImages(project, source).lockable.filter(lacks))
      missing.set(use.reference, [...(missing.get(use.reference) ?? []), use]);
  }
  const diagnostics = [...missing].map(([reference, uses]) => lockMissing(reference, uses, source, lockFile, options.required ?? false));
  return { project: { ...project, services }, diagnostics };
}

type Pin = (ref: StageRef | undefined) => StageRef | undefined;

/**
 * Copy on change: a stage or step that names no locked image is the resolved one, shared
 * (results are never mutated); steps are copied only from the first change on. Looks where
 * collectImages looks (FROM, COPY --from, bind mounts): keep the two in step.
 */
function pinStage(stage: ResolvedStage, pin: Pin): ResolvedStage {
  const base = pin(stage.base.value)!;
  let steps: Traced<Step>[] | undefined;
  for (let j = 0; j < stage.steps.length; j++) {
    const step = stage.steps[j]!;
    const value = pinStep(step.value, pin);
    if (value !== step.value) (steps ??= stage.steps.slice(0, j)).push({ ...step, value });
    else steps?.push(step);
  }
  if (base === stage.base.value && steps === undefined) return stage;
  return { ...stage, base: base === stage.base.value ? stage.base : { ...stage.base, value: base }, steps: steps ?? stage.steps };
}

function pinStep(step: Step, pin: Pin): Step {
  if (step.kind === 'copy' && step.from) {
    const from = pin(step.from)!;
    return from === step.from ? step : { ...step, from };
  }
  if (step.kind === 'run' && step.mounts.length > 0) {
    let mounts: Mount[] | undefined;
    for (let i = 0; i < step.mounts.length; i++) {
      const m = step.mounts[i]!;
      let next: Mount = m;
      if (m.type === 'bind' && m.from) {
        const from = pin(m.from)!;
        if (from !== m.from) next = { ...m, from };
      }
      if (next !== m) (mounts ??= step.mounts.slice(0, i)).push(next);
      else mounts?.push(m);
    }
    return mounts ? { ...step, mounts } : step;
  }
  return step;
}

/** One diagnostic per reference, at its first place in stages.yaml; the others as related locations. */
function lockMissing(reference: string, uses: ImageUse[], source: SourceIndex, lockFile: string, required: boolean): Diagnostic {
  const places = uniquePlaces(uses, source);
  const [first, ...others] = places;
  const related: RelatedLocation[] = others.map((p) => ({ file: source.file, ...p, message: `"${reference}" is also used here` }));
  return {
    code: 'LOCK_MISSING',
    severity: required ? 'error' : 'warning',
    message: `image "${reference}" has no entry in ${lockFile}${required ? '' : ', so it is not pinned'}`,
    file: source.file,
    ...first!,
    hint: 'run `stagec lock` to resolve it',
    ...(related.length > 0 ? { related } : {}),
  };
}

export function uniquePlaces(uses: readonly ImageUse[], source: SourceIndex): ReturnType<SourceIndex['position']>[] {
  const byKey = new Map<string, ReturnType<SourceIndex['position']>>();
  for (const use of uses) {
    const p = source.position(use.path);
    byKey.set(`${p.line}:${p.column}`, p);
  }
  return [...byKey.values()].sort((a, b) => a.line - b.line || a.column - b.column);
}
