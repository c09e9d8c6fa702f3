import type { ResolveContext } from './context';
import type { Entry, Origin, ResolvedStage } from './model';

const VARIABLE = /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names Docker expands in a string; `\$` is a literal dollar, `${{ }}` is never Docker's. */
function variablesIn(text: string): string[] {
  const names: string[] = [];
  // Most strings hold no variable: skip the regex (this runs on every string of every stage).
  if (!text.includes('$')) return names;
  for (const m of text.matchAll(VARIABLE)) {
    const name = m[1] ?? m[2];
    if (name) names.push(name);
  }
  return names;
}

/** Set by Docker or every base image; warning about them would only be noise. */
const ALWAYS_DEFINED = new Set(['PATH', 'HOME', 'HOSTNAME']);
/** Docker's predefined platform ARGs, visible in FROM lines without a declaration. */
const PLATFORM_ARGS = [
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
];

export interface Use {
  name: string;
  origin: Origin;
  /** false for RUN: the shell expands it, and shell variables are the shell's business. */
  expandedByDocker: boolean;
}

/** Each stage's variable uses, computed once per service for withRedeclaredArgs and checkVariables. */
export const variableUses = (stages: readonly ResolvedStage[]): Use[][] => stages.map(uses);

function uses(stage: ResolvedStage): Use[] {
  const out: Use[] = [];
  const add = (text: string | undefined, origin: Origin, expandedByDocker = true): void => {
    if (text) for (const name of variablesIn(text)) out.push({ name, origin, expandedByDocker });
  };
  const entries = (list: Entry[]): void => list.forEach((e) => add(e.value ?? undefined, e.origin));
  entries(stage.args);
  entries(stage.env);
  if (stage.workdir) add(stage.workdir.value, stage.workdir.origin);
  for (const { value: s, origin } of stage.steps) {
    if (s.kind === 'run') s.commands.forEach((c) => add(c, origin, false));
    else if (s.kind === 'copy' || s.kind === 'add') [...s.sources, s.dest, s.chown, s.chmod].forEach((t) => add(t, origin));
    else if (s.kind === 'env' || s.kind === 'arg') entries(s.entries);
    else if (s.kind === 'workdir') add(s.path, origin);
    else if (s.kind === 'user') add(s.user, origin);
    else if (s.kind === 'volume') s.paths.forEach((p) => add(p, origin));
  }
  stage.expose?.value.forEach((p) => add(p, stage.expose!.origin));
  stage.volumes?.value.forEach((v) => add(v, stage.volumes!.origin));
  entries(stage.labels);
  if (stage.user) add(stage.user.value, stage.user.origin);
  if (stage.stopsignal) add(stage.stopsignal.value, stage.stopsignal.origin);
  return out;
}

function declared(stage: ResolvedStage): Set<string> {
  const names = new Set<string>([...stage.args.map((a) => a.key), ...stage.env.map((e) => e.key)]);
  for (const { value: s } of stage.steps) if (s.kind === 'env' || s.kind === 'arg') s.entries.forEach((e) => names.add(e.key));
  return names;
}

/**
 * Docker scoping: a global ARG is visible inside a stage only if re-declared there, so stagec
 * re-declares the ones a stage uses. Building, not checking: new stages, the inputs untouched.
 */
export function withRedeclaredArgs(
  stages: readonly ResolvedStage[],
  globalArgs: readonly Entry[],
  used: readonly Use[][],
): ResolvedStage[] {
  const globals = [...new Set(globalArgs.map((a) => a.key))];
  return stages.map((stage, i) => {
    const usedGlobals = globals.filter((g) => used[i]!.some((u) => u.name === g));
    const own = usedGlobals.length > 0 ? declared(stage) : undefined;
    const redeclared = usedGlobals.filter((g) => !own!.has(g));
    // Nothing to re-declare: the same (possibly shared) stage object, not a copy per service.
    return redeclared.length === 0 && stage.redeclared.length === 0 ? stage : { ...stage, redeclared };
  });
}

/**
 * A variable that nothing in the stage chain defines is a warning: the base image may define it,
 * but usually it is a typo. Reads the stages (with their re-declared ARGs), changes nothing.
 */
export function checkVariables(
  ctx: ResolveContext,
  service: string,
  stages: readonly ResolvedStage[],
  globalArgs: readonly Entry[],
  used: readonly Use[][],
): void {
  const globals = new Set(globalArgs.map((a) => a.key));
  const byName = new Map(stages.map((s) => [s.name, s]));
  const envOfChain = (stage: ResolvedStage, seen = new Set<string>()): Set<string> => {
    const names = new Set(stage.env.map((e) => e.key));
    for (const { value: s } of stage.steps) if (s.kind === 'env') s.entries.forEach((e) => names.add(e.key));
    const base = stage.base.value;
    const parent = base.kind === 'stage' ? byName.get(base.stage) : undefined;
    if (parent && !seen.has(parent.name)) {
      seen.add(stage.name);
      envOfChain(parent, seen).forEach((n) => names.add(n));
    }
    return names;
  };
  stages.forEach((stage, i) => {
    // Most stages expand no variable themselves: then nothing needs the names they define.
    const expanded = used[i]!.filter((u) => u.expandedByDocker && !ALWAYS_DEFINED.has(u.name));
    const defined = expanded.length > 0 ? new Set([...declared(stage), ...stage.redeclared, ...envOfChain(stage)]) : undefined;
    for (const use of expanded) {
      if (defined!.has(use.name)) continue;
      const text = `$${use.name} is not defined by any ARG or ENV of stage "${stage.name}"`;
      ctx.report('UNDEFINED_VARIABLE', text, use.origin.path, {
        severity: 'warning',
        service: { name: service, message: (services) => `${text} (${services})` },
        hint: `give stage "${stage.name}" args: { ${use.name}: ... } (or env), or ignore this if the base image defines it`,
      });
    }
    const fromText = stage.base.value.kind === 'image' ? stage.base.value.image : '';
    for (const [text, origin] of [
      [fromText, stage.base.origin],
      [stage.platform?.value ?? '', stage.platform?.origin],
    ] as const) {
      for (const name of variablesIn(text)) {
        if (globals.has(name) || PLATFORM_ARGS.includes(name) || !origin) continue;
        const text = `$${name} in FROM is not a global ARG (top-level args)`;
        ctx.report('UNDEFINED_VARIABLE', text, origin.path, {
          severity: 'warning',
          service: { name: service, message: (services) => `${text} (${services})` },
          hint: `add it to args: { ${name}: ... }`,
        });
      }
    }
  });
}

/**
 * docs/language.md, "Global ARGs only where used": a top-level ARG is emitted only where it is used: in a FROM line (image or
 * platform), by a stage (re-declared there, or declared there without a default, which takes
 * the global's), or named in the `args` of the service or of its pipeline.
 */
export function usedGlobalArgs(
  ctx: ResolveContext,
  head: { raw: { args?: object | null }; pipeline?: string },
  stages: readonly ResolvedStage[],
  globalArgs: readonly Entry[],
): Entry[] {
  // Nothing to declare: no need to find what the stages use.
  if (globalArgs.length === 0) return [];
  const used = new Set<string>(Object.keys(head.raw.args ?? {}));
  const pipeline = head.pipeline ? ctx.config.pipelines?.[head.pipeline] : undefined;
  for (const key of Object.keys((pipeline as { args?: object | null } | undefined)?.args ?? {})) used.add(key);
  const expands = (text: string): void => {
    for (const name of variablesIn(text)) used.add(name);
  };
  const bare = (list: readonly Entry[]): void => {
    for (const e of list) if (e.value === null) used.add(e.key);
  };
  for (const stage of stages) {
    if (stage.base.value.kind === 'image') expands(stage.base.value.image);
    if (stage.platform) expands(stage.platform.value);
    for (const name of stage.redeclared) used.add(name);
    bare(stage.args);
    for (const { value: s } of stage.steps) {
      if (s.kind === 'arg') bare(s.entries);
      // COPY --from and mount sources that are images expand global ARGs, as FROM does.
      else if (s.kind === 'copy' && s.from?.kind === 'image') expands(s.from.image);
      else if (s.kind === 'run') for (const m of s.mounts) if ('from' in m && m.from?.kind === 'image') expands(m.from.image);
    }
  }
  // A used ARG whose default reads another global ARG (NODE_IMAGE: node:${NODE_VERSION}) needs
  // that one declared before it too, or the default expands to nothing; followed transitively.
  const byKey = new Map(globalArgs.map((a) => [a.key, a]));
  const pending = [...used];
  while (pending.length > 0) {
    const value = byKey.get(pending.pop()!)?.value;
    if (typeof value !== 'string') continue;
    for (const name of variablesIn(value)) {
      if (!used.has(name)) {
        used.add(name);
        pending.push(name);
      }
    }
  }
  return globalArgs.filter((a) => used.has(a.key));
}
