import type { Doc, ImportedFile, ImportedStage } from './model';
import { stagesSchema } from '@stagec/core';
import { consensus, mode, override, same, size } from './share';
import { extractVars } from './vars';

/** vars arrive with language 1.1 (#13); until the schema has them, literals stay literal. */
const VARS_SUPPORTED = Boolean((stagesSchema as { $defs?: { service?: { properties?: Record<string, unknown> } } }).$defs?.service?.properties?.vars);

export interface ServiceInput {
  name: string;
  /** The service's folder, workspace-relative. */
  path: string;
  /** The Dockerfile, workspace-relative. */
  file: string;
  imported: ImportedFile;
  /** Written out whole, sharing nothing (after its shared form did not compile back equal). */
  literal?: boolean;
}

export interface ExtractOptions {
  context: 'service' | 'root';
  /** Share nothing across files (no header, no default dockerfile): the last resort when a shared setting breaks them all. */
  alone?: boolean;
}

interface Placed {
  service: ServiceInput;
  stage: ImportedStage;
  /** The stage with the service's name and path written as `${{ service.* }}`, so equal stages of different services compare equal. */
  general: Doc;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every string in `value` with the service's path and name as expressions (whole words only). */
function generalize(value: unknown, service: ServiceInput): unknown {
  const path = service.path !== '.' && service.path.length >= 3 ? new RegExp(`(?<![\\w.-])${escapeRegExp(service.path)}(?![\\w])`, 'g') : undefined;
  const name = service.name.length >= 3 ? new RegExp(`(?<![\\w$])${escapeRegExp(service.name)}(?![\\w])`, 'g') : undefined;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let s = v;
      if (path) s = s.replace(path, '${{ service.path }}');
      if (name) s = s.split(/(\$\{\{[^}]*\}\})/).map((part, i) => (i % 2 ? part : part.replace(name, '${{ service.name }}'))).join('');
      return s;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

const bodyOf = (stage: ImportedStage): Doc => ({ ...(stage.description ? { description: stage.description } : {}), ...stage.body });

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
  if (name === 'golang') name = 'go';
  return name.replace(/[^a-z0-9-]/g, '-') || undefined;
}

const unique = (wanted: string, taken: Set<string>): string => {
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}-${n}`;
  taken.add(name);
  return name;
};

/** Services whose stage graphs have one shape: the same stage names, each built from the same one. */
function shapeOf(service: ServiceInput): string {
  return JSON.stringify(service.imported.stages.map((s) => [s.name, typeof s.body.from === 'string' && service.imported.stages.some((o) => o.name === s.body.from) ? s.body.from : '*']));
}

interface Plan {
  pipelines: Doc;
  /** Per service: its pipeline name, vars and stage overrides. */
  services: Map<ServiceInput, { pipeline: string; vars?: Doc; stages: Doc }>;
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
function planPipelines(services: readonly ServiceInput[], placed: Map<ServiceInput, Placed[]>, taken: Set<string>, args: Doc): Plan {
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
  for (const group of groups.values()) {
    let rest = group;
    // First the largest set that differs only in words, through vars, where that is cheaper.
    const bySkeleton = new Map<string, ServiceInput[]>();
    for (const m of group) bySkeleton.set(skeleton(stagesOf(placed, m)), [...(bySkeleton.get(skeleton(stagesOf(placed, m))) ?? []), m]);
    const largest = [...bySkeleton.values()].sort((a, b) => b.length - a.length)[0]!;
    const withVars = varsPipeline(largest, placed);
    const withOverrides = overridePipeline(largest, placed);
    if (withVars && withVars.cost < Math.min(withOverrides?.cost ?? Infinity, inlineCost(largest))) {
      adopt(withVars);
      rest = group.filter((m) => !largest.includes(m));
    }
    const candidate = rest.length >= 2 ? overridePipeline(rest, placed) : undefined;
    if (candidate && candidate.cost < inlineCost(candidate.members)) adopt(candidate);
  }
  return plan;
}

/** Stages left inline that build from the same base share a template where that is smaller. */
function planTemplates(inline: Placed[], templates: Doc, taken: Set<string>): Map<Placed, Doc> {
  const out = new Map<Placed, Doc>();
  const tryGroup = (all: Placed[]): boolean => {
    // A stage extends a template only where the template says most of it.
    let group = all;
    for (let round = 0; round < 3 && group.length >= 2; round++) {
      const base = consensus(group.map((p) => p.general));
      const fit = group.filter((p) => size(override(p.general, base) ?? p.general) * 2 < size(p.general));
      if (fit.length === group.length) break;
      group = fit;
    }
    if (group.length < 2 || new Set(group.map((p) => p.service)).size < 2) return false;
    const bodies = group.map((p) => p.general);
    const base = consensus(bodies);
    const children = group.map((p, i) => {
      const general = override(bodies[i]!, base);
      const own = override(bodyOf(p.stage), base);
      return own && (!general || size(own) <= size(general)) ? own : general;
    });
    if (children.some((c) => c === undefined) || Object.keys(base).length < 2) return false;
    const shared = size(base) + children.reduce((n, c) => n + size(c) + 12, 0);
    if (shared >= bodies.reduce((n, b) => n + size(b), 0)) return false;
    const name = unique(mode(group.map((p) => p.stage.name)).value, taken);
    templates[name] = base;
    group.forEach((p, i) => out.set(p, { extends: name, ...children[i]! }));
    return true;
  };
  const byKey = (key: (p: Placed) => unknown, list: Placed[]): Placed[][] => {
    const groups = new Map<string, Placed[]>();
    for (const p of list) groups.set(JSON.stringify(key(p)), [...(groups.get(JSON.stringify(key(p))) ?? []), p]);
    return [...groups.values()];
  };
  for (const group of byKey((p) => p.general.from, inline)) {
    if (tryGroup(group)) continue;
    for (const sub of byKey((p) => [p.general.workdir, (p.general.steps as unknown[] | undefined)?.[0]], group)) tryGroup(sub);
  }
  return out;
}

/** Global ARGs: one top-level entry at the most frequent value; a service with another value overrides it. */
function globalArgs(services: readonly ServiceInput[]): { top: Doc; perService: Map<ServiceInput, Doc> } {
  const values = new Map<string, (string | null)[]>();
  for (const s of services) for (const [k, v] of s.imported.globalArgs) values.set(k, [...(values.get(k) ?? []), v]);
  const top: Doc = {};
  for (const [k, vs] of values) top[k] = mode(vs).value;
  const perService = new Map<ServiceInput, Doc>();
  for (const s of services) {
    const own: Doc = {};
    for (const [k, v] of s.imported.globalArgs) if (v !== null && v !== top[k]) own[k] = v;
    if (Object.keys(own).length > 0) perService.set(s, own);
  }
  return { top, perService };
}

/** DESIGN 11: the imported files as one stages.yaml that shares what they have in common. Pure. */
export function extract(services: readonly ServiceInput[], options: ExtractOptions): Doc {
  const doc: Doc = { version: 1 };
  // The block every file that has one starts with (a licence, an owner) is the header; a file
  // without a leading comment gains it, which changes no instruction.
  const leadings = services.map((s) => s.imported.leading.join('\n')).filter((l) => l !== '');
  const header = !options.alone && leadings.length > 1 && leadings.every((l) => l === leadings[0]) ? leadings[0] : undefined;
  if (header) doc.header = header;
  const syntaxes = services.map((s) => s.imported.syntax);
  const commonSyntax = syntaxes[0] && syntaxes.every((s) => s === syntaxes[0]) ? syntaxes[0] : undefined;
  const defaults: Doc = {};
  if (options.context === 'root') defaults.context = '.';
  if (commonSyntax) defaults.syntax = commonSyntax;
  // Most files named `<path>/<service>.Dockerfile`: say it once.
  const named = (s: ServiceInput): string => `${s.path === '.' ? '' : `${s.path}/`}${s.name}.Dockerfile`;
  const byName = services.filter((s) => s.path !== '.' && s.file === named(s)).length;
  if (!options.alone && byName * 2 > services.length && byName > 1) defaults.dockerfile = '${{ service.path }}/${{ service.name }}.Dockerfile';
  if (Object.keys(defaults).length > 0) doc.defaults = defaults;
  const args = globalArgs(services);
  if (Object.keys(args.top).length > 0) doc.args = args.top;

  const placed = new Map<ServiceInput, Placed[]>(services.map((s) => [s, s.imported.stages.map((stage) => ({ service: s, stage, general: generalize(bodyOf(stage), s) as Doc }))]));
  const taken = new Set<string>();
  const plan = planPipelines(services, placed, taken, args.top);
  const templates: Doc = {};
  const inline = services.filter((s) => !s.literal && !plan.services.has(s)).flatMap((s) => placed.get(s)!);
  const extended = planTemplates(inline, templates, new Set());
  if (Object.keys(templates).length > 0) doc.stages = templates;
  if (Object.keys(plan.pipelines).length > 0) doc.pipelines = plan.pipelines;

  const out: Doc = {};
  for (const s of services) {
    const entry: Doc = {};
    if (!header && s.imported.leading.length > 0) entry.description = s.imported.leading.join('\n');
    entry.path = s.path;
    const expected = defaults.dockerfile ? named(s) : s.path === '.' ? 'Dockerfile' : `${s.path}/Dockerfile`;
    if (s.file !== expected) entry.dockerfile = s.file;
    if (s.imported.syntax && s.imported.syntax !== commonSyntax) entry.syntax = s.imported.syntax;
    const own = args.perService.get(s);
    if (own) entry.args = own;
    const inPipeline = plan.services.get(s);
    if (inPipeline) {
      entry.pipeline = inPipeline.pipeline;
      if (inPipeline.vars) entry.vars = inPipeline.vars;
      if (Object.keys(inPipeline.stages).length > 0) entry.stages = inPipeline.stages;
    } else {
      entry.stages = Object.fromEntries(placed.get(s)!.map((p) => [p.stage.name, extended.get(p) ?? bodyOf(p.stage)]));
    }
    out[s.name] = entry;
  }
  doc.services = out;
  return doc;
}

export { same };
