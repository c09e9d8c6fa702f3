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

/**
 * Each stage's variable uses, computed once per service for withRedeclaredArgs and checkVariables,
 * and once per run for a stage object that services share (`known`: uses depend on the stage alone).
 */
export function variableUses(stages: readonly ResolvedStage[], known?: Map<ResolvedStage, Use[]>): Use[][] {
  const out: Use[][] = [];
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i]!;
    let found = known?.get(stage);
    if (!found) {
      found = uses(stage);
      known?.set(stage, found);
    }
    out.push(found);
  }
  return out;
}

/** Most stages use no variable: they share this (never mutated) list. */
const NO_USES: Use[] = [];

// Plain loops and module-level helpers rather than closures and spreads: this runs on every
// stage of every service, mostly before it is optimized, where each closure and array is garbage.
function uses(stage: ResolvedStage): Use[] {
  const out: Use[] = [];
  entryUses(out, stage.args);
  entryUses(out, stage.env);
  if (stage.workdir) addUses(out, stage.workdir.value, stage.workdir.origin, true);
  for (let i = 0; i < stage.steps.length; i++) {
    const { value: s, origin } = stage.steps[i]!;
    if (s.kind === 'run') for (let j = 0; j < s.commands.length; j++) addUses(out, s.commands[j], origin, false);
    else if (s.kind === 'copy' || s.kind === 'add') {
      for (let j = 0; j < s.sources.length; j++) addUses(out, s.sources[j], origin, true);
      addUses(out, s.dest, origin, true);
      addUses(out, s.chown, origin, true);
      addUses(out, s.chmod, origin, true);
    } else if (s.kind === 'env' || s.kind === 'arg') entryUses(out, s.entries);
    else if (s.kind === 'workdir') addUses(out, s.path, origin, true);
    else if (s.kind === 'user') addUses(out, s.user, origin, true);
    else if (s.kind === 'volume') for (let j = 0; j < s.paths.length; j++) addUses(out, s.paths[j], origin, true);
  }
  if (stage.expose) for (let j = 0; j < stage.expose.value.length; j++) addUses(out, stage.expose.value[j], stage.expose.origin, true);
  if (stage.volumes) for (let j = 0; j < stage.volumes.value.length; j++) addUses(out, stage.volumes.value[j], stage.volumes.origin, true);
  entryUses(out, stage.labels);
  if (stage.user) addUses(out, stage.user.value, stage.user.origin, true);
  if (stage.stopsignal) addUses(out, stage.stopsignal.value, stage.stopsignal.origin, true);
  return out.length === 0 ? NO_USES : out;
}

function addUses(out: Use[], text: string | null | undefined, origin: Origin, expandedByDocker: boolean): void {
  // Most strings hold no variable: no regex, no array.
  if (!text || !text.includes('$')) return;
  for (const name of variablesIn(text)) out.push({ name, origin, expandedByDocker });
}

function entryUses(out: Use[], list: readonly Entry[]): void {
  for (let i = 0; i < list.length; i++) addUses(out, list[i]!.value, list[i]!.origin, true);
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
  // No global ARG, or no stage using a variable: nothing to re-declare, the stages as they are.
  if (globalArgs.length === 0 && stages.every((s) => s.redeclared.length === 0)) return [...stages];
  let globals: string[] | undefined;
  return stages.map((stage, i) => {
    // A stage that uses no variable re-declares nothing: no lists to build for it.
    if (used[i]!.length === 0 && stage.redeclared.length === 0) return stage;
    globals ??= [...new Set(globalArgs.map((a) => a.key))];
    const usedGlobals = used[i]!.length === 0 ? [] : globals.filter((g) => used[i]!.some((u) => u.name === g));
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
  // Built on first need: most services expand no variable outside RUN and none in FROM.
  let globals: Set<string> | undefined;
  let byName: Map<string, ResolvedStage> | undefined;
  const envOfChain = (stage: ResolvedStage, seen = new Set<string>()): Set<string> => {
    byName ??= new Map(stages.map((s) => [s.name, s]));
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
    const expanded = used[i]!.length === 0 ? NO_USES : used[i]!.filter((u) => u.expandedByDocker && !ALWAYS_DEFINED.has(u.name));
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
    const platformText = stage.platform?.value ?? '';
    // Most FROM lines expand nothing: no pairs to build.
    if (!fromText.includes('$') && !platformText.includes('$')) return;
    globals ??= new Set(globalArgs.map((a) => a.key));
    for (const [text, origin] of [
      [fromText, stage.base.origin],
      [platformText, stage.platform?.origin],
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
  const used = new Set<string>();
  const pipeline = head.pipeline ? ctx.config.pipelines?.[head.pipeline] : undefined;
  for (const map of [head.raw.args, (pipeline as { args?: object | null } | undefined)?.args]) {
    if (map) for (const key in map) if (Object.hasOwn(map, key)) used.add(key);
  }
  // Loops over the stages' values without closures or per-step arrays: this runs for every service.
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i]!;
    if (stage.base.value.kind === 'image') expandsInto(used, stage.base.value.image);
    if (stage.platform) expandsInto(used, stage.platform.value);
    for (let j = 0; j < stage.redeclared.length; j++) used.add(stage.redeclared[j]!);
    bareInto(used, stage.args);
    for (let j = 0; j < stage.steps.length; j++) {
      const s = stage.steps[j]!.value;
      if (s.kind === 'arg') bareInto(used, s.entries);
      // COPY --from and mount sources that are images expand global ARGs, as FROM does.
      else if (s.kind === 'copy' && s.from?.kind === 'image') expandsInto(used, s.from.image);
      else if (s.kind === 'run') for (const m of s.mounts) if ('from' in m && m.from?.kind === 'image') expandsInto(used, m.from.image);
    }
  }
  // A used ARG whose default reads another global ARG (NODE_IMAGE: node:${NODE_VERSION}) needs
  // that one declared before it too, or the default expands to nothing; followed transitively.
  // Only a default holding a `$` can read another.
  if (globalArgs.some((a) => a.value?.includes('$'))) {
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
  }
  return globalArgs.filter((a) => used.has(a.key));
}

function expandsInto(used: Set<string>, text: string): void {
  if (text.includes('$')) for (const name of variablesIn(text)) used.add(name);
}

function bareInto(used: Set<string>, list: readonly Entry[]): void {
  for (let i = 0; i < list.length; i++) if (list[i]!.value === null) used.add(list[i]!.key);
}
