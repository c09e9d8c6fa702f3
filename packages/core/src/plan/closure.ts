import type { ResolvedProject, ResolvedService, ServiceDependency } from '../resolve';
import { stageDependencies } from '../resolve/order';

/** The stages BuildKit builds for `target`: the target and everything it needs within its Dockerfile. */
export function stageClosure(service: ResolvedService, target: string): string[] {
  const byName = new Map(service.stages.map((s) => [s.name, s]));
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const stage = byName.get(name);
    if (!stage || seen.has(name)) return;
    seen.add(name);
    for (const edge of stageDependencies(stage)) visit(edge.stage);
  };
  visit(target);
  return service.stages.map((s) => s.name).filter((n) => seen.has(n));
}

/** Images of other services that building `target` needs first (FROM / COPY --from {service, stage}). */
export function crossServiceNeeds(service: ResolvedService, target: string): ServiceDependency[] {
  const stages = new Set(stageClosure(service, target));
  const needs = new Map<string, ServiceDependency>();
  for (const stage of service.stages) {
    if (!stages.has(stage.name)) continue;
    const refs = [stage.base.value];
    for (const { value: step } of stage.steps) {
      if (step.kind === 'copy' && step.from) refs.push(step.from);
      if (step.kind === 'run') for (const m of step.mounts) if ((m.type === 'bind' || m.type === 'cache') && m.from) refs.push(m.from);
    }
    for (const ref of refs) if (ref.kind === 'service') needs.set(`${ref.service}:${ref.stage}`, { service: ref.service, stage: ref.stage, image: ref.image });
  }
  return [...needs.values()];
}

/** True when a stage BuildKit builds for `target` runs `RUN --security=insecure`: the build needs that entitlement. */
export function needsInsecure(service: ResolvedService, target: string): boolean {
  const stages = new Set(stageClosure(service, target));
  return service.stages.some((stage) => stages.has(stage.name) && stage.steps.some(({ value: s }) => s.kind === 'run' && s.security === 'insecure'));
}

export interface BuildRef {
  service: string;
  target: string;
}

/** Every build needed for the requested ones, dependencies first (a DAG: service cycles are rejected earlier). */
export function buildOrder(project: ResolvedProject, requested: readonly BuildRef[]): BuildRef[] {
  const services = new Map(project.services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const out: BuildRef[] = [];
  const visit = (ref: BuildRef): void => {
    const key = `${ref.service}:${ref.target}`;
    const service = services.get(ref.service);
    if (done.has(key) || !service) return;
    done.add(key);
    for (const need of crossServiceNeeds(service, ref.target)) visit({ service: need.service, target: need.stage });
    out.push(ref);
  };
  requested.forEach(visit);
  return out;
}
