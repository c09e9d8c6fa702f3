import type { Step as RawStep } from '../generated/types';
import type { YamlPath } from '../load';
import type { ResolveContext } from './context';
import type { Entry, Mount, Origin, Step, StageRef } from './model';

/** Resolves a `from`-like reference written at `path` (FROM, COPY --from, a bind mount's from). */
export type RefResolver = (ref: unknown, path: YamlPath) => StageRef | undefined;

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function entries(ctx: ResolveContext, map: Record<string, unknown>, path: YamlPath, chain: readonly string[]): Entry[] {
  return Object.entries(map).map(([key, value]) => ({
    key,
    value: value === null ? null : ctx.text(value, [...path, key]),
    origin: { path: [...path, key], chain } satisfies Origin,
  }));
}

/** A step as written in stages.yaml to the instruction it stands for. */
export function normalizeStep(ctx: ResolveContext, raw: RawStep, path: YamlPath, chain: readonly string[], resolveRef: RefResolver): Step {
  if (raw.run !== undefined) {
    const run = raw.run;
    if (typeof run === 'string') return { kind: 'run', commands: [run], mounts: [] };
    if (Array.isArray(run)) return { kind: 'run', commands: [...run], mounts: [] };
    const at = [...path, 'run'];
    const mounts: Mount[] = [
      ...list(run.cache).map((c): Mount => (typeof c === 'string' ? { type: 'cache', target: c } : { type: 'cache', ...c })),
      ...list(run.secrets).map((s): Mount => (typeof s === 'string' ? { type: 'secret', id: s } : { type: 'secret', ...s })),
      ...list(run.mounts).map((m, i): Mount => {
        if (m.type !== 'bind') return { type: m.type, ...(m.target ? { target: m.target } : {}), ...(m.id ? { id: m.id } : {}) } as Mount;
        const from = m.from === undefined ? undefined : resolveRef(m.from, [...at, 'mounts', i, 'from']);
        return {
          type: 'bind',
          ...(m.target ? { target: m.target } : {}),
          ...(m.source ? { source: m.source } : {}),
          ...(from ? { from } : {}),
          ...(m.rw ? { rw: true } : {}),
        };
      }),
    ];
    const commands = run.commands ?? (run.command !== undefined ? [run.command] : []);
    if (commands.length === 0) ctx.report('MISSING_KEY', 'a run step needs "command" or "commands"', at);
    return { kind: 'run', commands, mounts, ...(run.network ? { network: run.network } : {}) };
  }
  if (raw.copy !== undefined) {
    const copy = raw.copy;
    if (typeof copy === 'string' || Array.isArray(copy)) return { kind: 'copy', sources: list(copy), dest: './', exclude: [] };
    const from = copy.from === undefined ? undefined : resolveRef(copy.from, [...path, 'copy', 'from']);
    return {
      kind: 'copy',
      sources: list(copy.src),
      dest: copy.dest ?? './',
      ...(from ? { from } : {}),
      ...(copy.chown ? { chown: copy.chown } : {}),
      ...(copy.chmod ? { chmod: copy.chmod } : {}),
      ...(copy.link ? { link: true } : {}),
      exclude: copy.exclude ?? [],
      ...(copy.parents ? { parents: true } : {}),
    };
  }
  if (raw.add !== undefined) {
    const add = raw.add;
    return {
      kind: 'add',
      sources: list(add.src),
      dest: add.dest ?? './',
      ...(add.checksum ? { checksum: add.checksum } : {}),
      ...(add.chown ? { chown: add.chown } : {}),
      ...(add.chmod ? { chmod: add.chmod } : {}),
      ...(add.link ? { link: true } : {}),
    };
  }
  if (raw.env !== undefined) {
    const env = Object.fromEntries(Object.entries(raw.env).filter(([, v]) => v !== null));
    return { kind: 'env', entries: entries(ctx, env, [...path, 'env'], chain) };
  }
  if (raw.arg !== undefined) return { kind: 'arg', entries: entries(ctx, raw.arg, [...path, 'arg'], chain) };
  if (raw.workdir !== undefined) return { kind: 'workdir', path: raw.workdir };
  if (raw.user !== undefined) return { kind: 'user', user: raw.user };
  return { kind: 'shell', shell: [...(raw.shell ?? [])] };
}
