import type { Diagnostic, RelatedLocation } from '../diagnostics';
import type { SourceIndex } from '../load';
import type { ResolvedProject, ResolvedService, StageRef, Step, Traced } from '../resolve';
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
  const missing = new Map<string, ImageUse[]>();
  // Precise positions cost a walk of the YAML per use: only for the rare run with missing entries.
  // Commonly every image is in the lock: one look-up per reference then settles it, without collecting.
  if (!allLocked(project, lock, options.services) && collectImages(project).lockable.some(lacks)) {
    for (const use of collectImages(project, source).lockable.filter(lacks))
      missing.set(use.reference, [...(missing.get(use.reference) ?? []), use]);
  }
  const diagnostics = [...missing].map(([reference, uses]) => lockMissing(reference, uses, source, lockFile, options.required ?? false));
  const pin = (ref: StageRef): StageRef => {
    if (ref.kind !== 'image') return ref;
    const entry = Object.hasOwn(lock.images, ref.image) ? lock.images[ref.image] : undefined;
    return entry ? { kind: 'image', image: `${ref.image}@${entry.digest}` } : ref;
  };
  return { project: { ...project, services: project.services.map((s) => pinService(s, pin)) }, diagnostics };
}

/**
 * True when every image the (selected) services name is in the lock: nothing can be missing.
 * Looks where collectImages looks (FROM, COPY --from, bind mounts): keep the two in step.
 */
function allLocked(project: ResolvedProject, lock: Lock, services: ReadonlySet<string> | undefined): boolean {
  const locked = (ref: StageRef | undefined): boolean =>
    ref?.kind !== 'image' || ref.image === 'scratch' || Object.hasOwn(lock.images, ref.image);
  for (const service of project.services) {
    if (services && !services.has(service.name)) continue;
    for (const stage of service.stages) {
      if (!locked(stage.base.value)) return false;
      for (const { value: step } of stage.steps) {
        if (step.kind === 'copy' && !locked(step.from)) return false;
        if (step.kind === 'run' && step.mounts.some((m) => m.type === 'bind' && !locked(m.from))) return false;
      }
    }
  }
  return true;
}

/** Copy on change: a stage or step that names no locked image is the resolved one, shared (results are never mutated). */
function pinService(service: ResolvedService, pin: (ref: StageRef) => StageRef): ResolvedService {
  let changed = false;
  const stages = service.stages.map((stage) => {
    const base = pin(stage.base.value);
    let stepsChanged = false;
    const steps = stage.steps.map((step): Traced<Step> => {
      const value = pinStep(step.value, pin);
      if (value === step.value) return step;
      stepsChanged = true;
      return { ...step, value };
    });
    if (base === stage.base.value && !stepsChanged) return stage;
    changed = true;
    return {
      ...stage,
      base: base === stage.base.value ? stage.base : { ...stage.base, value: base },
      steps: stepsChanged ? steps : stage.steps,
    };
  });
  return changed ? { ...service, stages } : service;
}

function pinStep(step: Step, pin: (ref: StageRef) => StageRef): Step {
  if (step.kind === 'copy' && step.from) {
    const from = pin(step.from);
    return from === step.from ? step : { ...step, from };
  }
  if (step.kind === 'run' && step.mounts.some((m) => m.type === 'bind' && m.from)) {
    let changed = false;
    const mounts = step.mounts.map((m) => {
      if (m.type !== 'bind' || !m.from) return m;
      const from = pin(m.from);
      if (from === m.from) return m;
      changed = true;
      return { ...m, from };
    });
    return changed ? { ...step, mounts } : step;
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
