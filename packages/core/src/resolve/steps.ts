import type { Step as RawStep } from '../generated/types';
import type { YamlPath } from '../load';
import type { ResolveContext } from './context';
import type { Entry, Origin, Step, StageRef } from './model';
import { copyContent, normalizeRun } from './run';

/** Resolves a `from`-like reference written at `path` (FROM, COPY --from, a bind mount's from). */
export type RefResolver = (ref: unknown, path: YamlPath) => StageRef | undefined;

export const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export function entries(ctx: ResolveContext, map: Record<string, unknown>, path: YamlPath, chain: readonly string[]): Entry[] {
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
    return normalizeRun(ctx, run, [...path, 'run'], resolveRef);
  }
  if (raw.copy !== undefined) {
    const copy = raw.copy;
    if (typeof copy === 'string' || Array.isArray(copy)) return { kind: 'copy', sources: list(copy), dest: './', exclude: [] };
    const at = [...path, 'copy'];
    if (copy.content !== undefined) return copyContent(ctx, copy, at);
    if (copy.src === undefined) ctx.report('MISSING_KEY', 'a copy step needs "src" (or "content" and "dest" for a file written from text)', at);
    const from = copy.from === undefined ? undefined : resolveRef(copy.from, [...at, 'from']);
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
      ...(add.keepGitDir ? { keepGitDir: true } : {}),
    };
  }
  if (raw.volume !== undefined) return { kind: 'volume', paths: [...raw.volume] };
  if (raw.env !== undefined) {
    const env = Object.fromEntries(Object.entries(raw.env).filter(([, v]) => v !== null));
    return { kind: 'env', entries: entries(ctx, env, [...path, 'env'], chain) };
  }
  if (raw.arg !== undefined) return { kind: 'arg', entries: entries(ctx, raw.arg, [...path, 'arg'], chain) };
  if (raw.workdir !== undefined) return { kind: 'workdir', path: raw.workdir };
  if (raw.user !== undefined) return { kind: 'user', user: raw.user };
  if (raw.manifests !== undefined) return { kind: 'manifests', lockfile: raw.manifests.lockfile !== false };
  return { kind: 'shell', shell: [...(raw.shell ?? [])] };
}
