import { bodyOf, type Doc, type ExtractOptions, type Placed, type ServiceInput } from './model';
import { editedIds, withIds } from './edit';
import { planPipelines } from './pipelines';
import { mode } from './share';
import { planTemplates } from './templates';

export type { ExtractOptions, ServiceInput } from './model';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every string in `value` with the service's path and name as expressions (whole words only). */
function generalize(value: unknown, service: ServiceInput): unknown {
  const path = service.path !== '.' && service.path !== service.name && service.path.length >= 3 ? new RegExp(`(?<![\\w.-])${escapeRegExp(service.path)}(?![\\w])`, 'g') : undefined;
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


/** Global ARGs: one top-level entry at the most frequent value; a service with another value overrides it. */
function globalArgs(services: readonly ServiceInput[]): { top: Doc; perService: Map<ServiceInput, Doc> } {
  const values = new Map<string, (string | null)[]>();
  for (const s of services) for (const [k, v] of s.imported.globalArgs) values.set(k, [...(values.get(k) ?? []), v]);
  const top: Doc = {};
  for (const [k, vs] of values) top[k] = mode(vs).value;
  const perService = new Map<ServiceInput, Doc>();
  for (const s of services) {
    const own: Doc = {};
    const text = JSON.stringify(s.imported.stages.map((st) => st.body));
    // A global ARG is emitted only where a FROM or stage uses it (DESIGN 10), or where the service
    // names it: one the file declares without using is named, so it stays.
    const unused = (k: string): boolean => !new RegExp(`\\$\\{?${k}\\b|"${k}":`).test(text);
    for (const [k, v] of s.imported.globalArgs) if (v !== null && (v !== top[k] || unused(k))) own[k] = v;
    if (Object.keys(own).length > 0) perService.set(s, own);
  }
  return { top, perService };
}

/** Licence blocks differ in their years only: those count as the same header. */
export const sameHeader = (a: string, b: string): boolean => a.replace(/\d+/g, '0') === b.replace(/\d+/g, '0');

/**
 * The header: the leading comment block that the files having one share (a licence, an owner),
 * years aside; taken at its most common wording. A file without a leading comment gains it,
 * which changes no instruction. Where most files have another block, there is none.
 */
function sharedHeader(services: readonly ServiceInput[]): string | undefined {
  const blocks = services.map((s) => s.imported.leading.join('\n')).filter((l) => l !== '');
  if (blocks.length < 2) return undefined;
  const common = mode(blocks.map((b) => b.replace(/\d+/g, '0')));
  if (common.count < 2 || common.count < blocks.length) return undefined;
  return mode(blocks).value;
}

/** DESIGN 11: the imported files as one stages.yaml that shares what they have in common. Pure. */
export function extract(services: readonly ServiceInput[], options: ExtractOptions): Doc {
  const doc: Doc = { version: 1 };
  const header = options.alone ? undefined : sharedHeader(services);
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
    const leading = s.imported.leading.join('\n');
    if (leading && !(header && sameHeader(leading, header))) entry.description = leading;
    entry.path = s.path;
    const expected = defaults.dockerfile ? named(s) : s.path === '.' ? 'Dockerfile' : `${s.path}/Dockerfile`;
    if (s.file !== expected) entry.dockerfile = s.file;
    if (s.imported.syntax && s.imported.syntax !== commonSyntax) entry.syntax = s.imported.syntax;
    const own = args.perService.get(s);
    if (own) entry.args = own;
    const inPipeline = plan.services.get(s);
    if (inPipeline) {
      entry.pipeline = inPipeline.pipeline;
      if (inPipeline.target) entry.target = inPipeline.target;
      if (inPipeline.vars) entry.vars = inPipeline.vars;
      if (Object.keys(inPipeline.stages).length > 0) entry.stages = inPipeline.stages;
    } else {
      entry.stages = Object.fromEntries(placed.get(s)!.map((p) => [p.stage.name, extended.get(p) ?? bodyOf(p.stage)]));
    }
    out[s.name] = entry;
  }
  doc.services = out;
  // The steps that edits name carry their ids in the pipeline or template they come from.
  const edited = editedIds(out);
  if (edited.size > 0) {
    const bases = [...Object.values((doc.stages as Doc | undefined) ?? {}), ...Object.values((doc.pipelines as Doc | undefined) ?? {}).flatMap((p) => Object.values((p as Doc).stages as Doc))] as Doc[];
    for (const base of bases) if (Array.isArray(base.steps)) base.steps = withIds(base.steps as Doc[], edited);
  }
  return doc;
}

