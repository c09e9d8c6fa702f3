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

interface Use {
  name: string;
  origin: Origin;
  /** false for RUN: the shell expands it, and shell variables are the shell's business. */
  expandedByDocker: boolean;
}

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
export function withRedeclaredArgs(stages: readonly ResolvedStage[], globalArgs: readonly Entry[]): ResolvedStage[] {
  const globals = [...new Set(globalArgs.map((a) => a.key))];
  return stages.map((stage) => {
    const own = declared(stage);
    const used = uses(stage);
    const redeclared = globals.filter((g) => !own.has(g) && used.some((u) => u.name === g));
    // Nothing to re-declare: the same (possibly shared) stage object, not a copy per service.
    return redeclared.length === 0 && stage.redeclared.length === 0 ? stage : { ...stage, redeclared };
  });
}

/**
 * A variable that nothing in the stage chain defines is a warning: the base image may define it,
 * but usually it is a typo. Reads the stages (with their re-declared ARGs), changes nothing.
 */
export function checkVariables(ctx: ResolveContext, service: string, stages: readonly ResolvedStage[], globalArgs: readonly Entry[]): void {
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
  for (const stage of stages) {
    // Most stages expand no variable themselves: then nothing needs the names they define.
    const used = uses(stage).filter((u) => u.expandedByDocker && !ALWAYS_DEFINED.has(u.name));
    const defined = used.length > 0 ? new Set([...declared(stage), ...stage.redeclared, ...envOfChain(stage)]) : undefined;
    for (const use of used) {
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
  }
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
  const used = new Set<string>([
    ...Object.keys(head.raw.args ?? {}),
    ...Object.keys(
      ((head.pipeline ? ctx.config.pipelines?.[head.pipeline] : undefined) as { args?: object | null } | undefined)?.args ?? {},
    ),
  ]);
  for (const stage of stages) {
    if (stage.base.value.kind === 'image') variablesIn(stage.base.value.image).forEach((n) => used.add(n));
    if (stage.platform) variablesIn(stage.platform.value).forEach((n) => used.add(n));
    stage.redeclared.forEach((n) => used.add(n));
    const bare = (list: Entry[]): void => list.forEach((e) => e.value === null && used.add(e.key));
    bare(stage.args);
    for (const { value: s } of stage.steps) {
      if (s.kind === 'arg') bare(s.entries);
      // COPY --from and mount sources that are images expand global ARGs, as FROM does.
      const refs = s.kind === 'copy' ? [s.from] : s.kind === 'run' ? s.mounts.map((m) => ('from' in m ? m.from : undefined)) : [];
      for (const ref of refs) if (ref?.kind === 'image') variablesIn(ref.image).forEach((n) => used.add(n));
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
