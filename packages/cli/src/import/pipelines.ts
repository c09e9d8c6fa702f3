import { stagesSchema } from '@stagec/core';
import { bodyOf, type Doc, type Placed, type ServiceInput } from './model';
import { consensus, override, size } from './share';
import { extractVars } from './vars';

/** vars arrive with language 1.1 (#13); until the schema has them, literals stay literal. */
const VARS_SUPPORTED = Boolean((stagesSchema as { $defs?: { service?: { properties?: Record<string, unknown> } } }).$defs?.service?.properties?.vars);

const TOOLCHAINS: [RegExp, string][] = [
  [/\bgolang\b|\bgo (build|mod|test)\b/, 'go'],
  [/\bnodejs\b|\bnpm\b|\byarn\b|\bpnpm\b/, 'node'],
  [/\bpython3?\b|\bpip3?\b/, 'python'],
  [/\bmvn\b|\bgradle\b|\bjava\b/, 'java'],
  [/\bdotnet\b/, 'dotnet'],
  [/\bcargo\b|\brustc\b/, 'rust'],
];
const OPERATING_SYSTEMS = new Set(['debian', 'ubuntu', 'alpine', 'busybox', 'fedora', 'centos', 'rockylinux', 'almalinux', 'amazonlinux', 'ubi', 'ubi-minimal', 'scratch']);

/**
 * A name for what a pipeline builds: `golang:1.23` gives `go`, `mcr.microsoft.com/dotnet/sdk:8.0`
 * gives `dotnet`; on a plain OS image (or one behind a variable) the toolchain its steps install.
 */
function family(from: unknown, stages: Doc, args: Doc, fallback: string): string {
  const image = typeof from === 'string' ? from.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, name: string) => (typeof args[name] === 'string' ? (args[name] as string) : m)) : '';
  const own = imageFamily(image);
  if (own && !OPERATING_SYSTEMS.has(own)) return own;
  const text = JSON.stringify(stages);
  return TOOLCHAINS.find(([pattern]) => pattern.test(text))?.[1] ?? own ?? fallback;
}

function imageFamily(from: string): string | undefined {
  const repository = from.split('@')[0]!.replace(/:[^/]*$/, '');
  if (!repository || repository.includes('$')) return undefined;
  const parts = repository.split('/');
  let name = parts.at(-1)!;
  if (['sdk', 'runtime', 'aspnet', 'base', 'static', 'cc'].includes(name) && parts.length > 1) name = parts.at(-2)!;
  // Named for the language, as a platform team names its pipelines.
  const languages: Record<string, string> = { golang: 'go', maven: 'java', gradle: 'java', 'eclipse-temurin': 'java', openjdk: 'java', amazoncorretto: 'java', rust: 'rust', python: 'python', node: 'node' };
  name = languages[name] ?? name;
  return name.replace(/[^a-z0-9-]/g, '-') || undefined;
}

export const unique = (wanted: string, taken: Set<string>): string => {
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}-${n}`;
  taken.add(name);
  return name;
};

/** Services whose stage graphs have one shape: the same stage names, each built from the same one. */
function shapeOf(service: ServiceInput): string {
  return JSON.stringify(service.imported.stages.map((s) => [s.name, typeof s.body.from === 'string' && service.imported.stages.some((o) => o.name === s.body.from) ? s.body.from : '*']));
}

export interface Plan {
  pipelines: Doc;
  /** Per service: its pipeline name, vars and stage overrides. */
  services: Map<ServiceInput, { pipeline: string; vars?: Doc; stages: Doc; target?: string }>;
}

interface Candidate {
  stages: Doc;
  members: ServiceInput[];
  overrides: Map<ServiceInput, Doc>;
  vars: Map<ServiceInput, Doc>;
  cost: number;
}

const stagesOf = (placed: Map<ServiceInput, Placed[]>, m: ServiceInput, literal = false): Doc =>
  Object.fromEntries(placed.get(m)!.map((p) => [p.stage.name, literal ? bodyOf(p.stage) : p.general]));

/** A pipeline from each field's most common value; members override what differs. */
function overridePipeline(group: ServiceInput[], placed: Map<ServiceInput, Placed[]>): Candidate | undefined {
  let members = group;
  // A service joins only where the pipeline says most of it: overrides under half its own size.
  for (let round = 0; round < 3 && members.length >= 2; round++) {
    const fit = members.filter((m) => {
      const own = stagesOf(placed, m);
      const o = m.imported.stages.map((st, k) => override(own[st.name] as Doc, consensus(members.map((x) => placed.get(x)![k]!.general))) ?? own[st.name]);
      return size(o) * 2 < size(own);
    });
    if (fit.length === members.length) break;
    members = fit;
  }
  if (members.length < 2) return undefined;
  const stages: Doc = {};
  const overrides = new Map<ServiceInput, Doc>(members.map((m) => [m, {}]));
  let ok = true;
  members[0]!.imported.stages.forEach((stage, k) => {
    const bodies = members.map((m) => placed.get(m)![k]!.general);
    const base = consensus(bodies);
    stages[stage.name] = base;
    members.forEach((m, i) => {
      const o = override(bodies[i]!, base);
      if (!o) ok = false;
      else if (Object.keys(o).length > 0) {
        // Where a field differs anyway, the service's own words read better than expressions.
        const own = override(bodyOf(placed.get(m)![k]!.stage), base);
        overrides.get(m)![stage.name] = own && size(own) <= size(o) ? own : o;
      }
    });
  });
  if (!ok) return undefined;
  const cost = size(stages) + [...overrides.values()].reduce((n, o) => n + size(o) + 20, 0);
  return { stages, members, overrides, vars: new Map(), cost };
}

/** Where the members differ only in words (a port, a file name), the pipeline reads them from `vars`. */
function varsPipeline(group: ServiceInput[], placed: Map<ServiceInput, Placed[]>): Candidate | undefined {
  if (!VARS_SUPPORTED || group.length < 2) return undefined;
  const varied = extractVars(group.map((m) => stagesOf(placed, m)));
  if (!varied) return undefined;
  const vars = new Map(group.map((m, i) => [m, varied.values[i]!]));
  const cost = size(varied.shared) + group.reduce((n, m) => n + size(vars.get(m)) + 20, 0);
  return { stages: varied.shared, members: group, overrides: new Map(group.map((m) => [m, {}])), vars, cost };
}

/** Members whose stages differ only in words: the same JSON once every word is blanked. */
const skeleton = (doc: Doc): string => JSON.stringify(doc, (_, v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).replace(/[A-Za-z0-9_]+/g, 'w') : v));

/** Same-shaped services share a pipeline where that is smaller than writing each out. */
export function planPipelines(services: readonly ServiceInput[], placed: Map<ServiceInput, Placed[]>, taken: Set<string>, args: Doc): Plan {
  const plan: Plan = { pipelines: {}, services: new Map() };
  const groups = new Map<string, ServiceInput[]>();
  for (const s of services) if (!s.literal) groups.set(shapeOf(s), [...(groups.get(shapeOf(s)) ?? []), s]);
  const inlineCost = (members: ServiceInput[]): number => members.reduce((n, m) => n + size(stagesOf(placed, m, true)), 0);
  const adopt = (c: Candidate): void => {
    const name = unique(family((Object.values(c.stages)[0] as Doc | undefined)?.from, c.stages, args, c.members[0]!.name), taken);
    plan.pipelines[name] = { stages: c.stages };
    for (const m of c.members) {
      const vars = c.vars.get(m);
      plan.services.set(m, { pipeline: name, ...(vars && Object.keys(vars).length ? { vars } : {}), stages: c.overrides.get(m)! });
    }
  };
  // What a set of members costs written as an override pipeline (where that is cheaper) plus the rest inline.
  const overrideCost = (members: ServiceInput[]): { cost: number; candidate?: Candidate } => {
    const candidate = members.length >= 2 ? overridePipeline(members, placed) : undefined;
    if (!candidate || candidate.cost >= inlineCost(candidate.members)) return { cost: inlineCost(members) };
    return { cost: candidate.cost + inlineCost(members.filter((m) => !candidate.members.includes(m))), candidate };
  };
  for (const group of groups.values()) {
    // The largest set that differs only in words may share a pipeline through vars; the others
    // then go their own way. Taken only where the whole group costs less that way.
    const bySkeleton = new Map<string, ServiceInput[]>();
    for (const m of group) bySkeleton.set(skeleton(stagesOf(placed, m)), [...(bySkeleton.get(skeleton(stagesOf(placed, m))) ?? []), m]);
    const largest = [...bySkeleton.values()].sort((a, b) => b.length - a.length)[0]!;
    const withVars = varsPipeline(largest, placed);
    const rest = group.filter((m) => !largest.includes(m));
    const whole = overrideCost(group);
    const split = withVars ? withVars.cost + overrideCost(rest).cost : Infinity;
    if (withVars && split < whole.cost) {
      adopt(withVars);
      const other = overrideCost(rest).candidate;
      if (other) adopt(other);
    } else if (whole.candidate) adopt(whole.candidate);
  }
  joinPipelines(plan, services, placed);
  return plan;
}

/**
 * A service whose stages are most of a pipeline's (one lacks the test stage, another adds a debug
 * stage) joins it: stages it lacks are `null`, stages it adds are written out, the rest override.
 * Only where that says most of it, like any member; pipelines that read vars are left alone.
 */
function joinPipelines(plan: Plan, services: readonly ServiceInput[], placed: Map<ServiceInput, Placed[]>): void {
  const withVars = new Set([...plan.services.values()].filter((e) => e.vars).map((e) => e.pipeline));
  for (const s of services) {
    if (s.literal || plan.services.has(s)) continue;
    const own = stagesOf(placed, s);
    const literal = stagesOf(placed, s, true);
    let best: { pipeline: string; stages: Doc; target?: string; cost: number } | undefined;
    for (const [name, pipeline] of Object.entries(plan.pipelines)) {
      if (withVars.has(name)) continue;
      const shared = (pipeline as Doc).stages as Doc;
      const names = Object.keys(shared);
      if (!Object.keys(own).some((n) => names.includes(n))) continue;
      const stages: Doc = {};
      let ok = true;
      for (const n of names) {
        if (!(n in own)) stages[n] = null;
        else {
          const general = override(own[n] as Doc, shared[n] as Doc);
          const words = override(literal[n] as Doc, shared[n] as Doc);
          const o = words && (!general || size(words) <= size(general)) ? words : general;
          if (!o) ok = false;
          else if (Object.keys(o).length > 0) stages[n] = o;
        }
      }
      for (const n of Object.keys(own)) if (!names.includes(n)) stages[n] = literal[n];
      const last = Object.keys(own).at(-1)!;
      const target = last !== names.at(-1) ? last : undefined;
      const cost = size(stages) + (target ? size(target) + 10 : 0) + 20;
      if (ok && cost * 2 < size(own) && (!best || cost < best.cost)) best = { pipeline: name, stages, ...(target ? { target } : {}), cost };
    }
    if (best) plan.services.set(s, { pipeline: best.pipeline, stages: best.stages, ...(best.target ? { target: best.target } : {}) });
  }
}

