import type { Copy, RunObject } from '../generated/types';
import type { YamlPath } from '../load';
import type { ResolveContext } from './context';
import type { Mount, MountOwner, RunStep, Step } from './model';
import type { RefResolver } from './steps';

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

type RawMount = NonNullable<RunObject['mounts']>[number];

/** Which keys of a `mounts` entry each type takes (BuildKit's RUN --mount options per type). */
const MOUNT_KEYS: Record<RawMount['type'], readonly string[]> = {
  bind: ['type', 'target', 'source', 'from', 'rw'],
  tmpfs: ['type', 'target', 'size'],
  ssh: ['type', 'id', 'target', 'required', 'mode', 'uid', 'gid'],
};

const owner = (o: { mode?: string; uid?: number; gid?: number }): MountOwner => ({
  ...(o.mode !== undefined ? { mode: o.mode } : {}),
  ...(o.uid !== undefined ? { uid: o.uid } : {}),
  ...(o.gid !== undefined ? { gid: o.gid } : {}),
});

/** `run: {...}`: shell commands, a heredoc script for an interpreter, or exec form; with mounts, network, security. */
export function normalizeRun(ctx: ResolveContext, run: RunObject, at: YamlPath, resolveRef: RefResolver): RunStep {
  const forms = (['command', 'commands', 'exec'] as const).filter((k) => run[k] !== undefined);
  if (forms.length === 0) ctx.report('MISSING_KEY', 'a run step needs "command", "commands" or "exec"', at);
  if (forms.length > 1) {
    ctx.report('INVALID_VALUE', `a run step takes one of "command", "commands" and "exec", not ${forms.map((f) => `"${f}"`).join(' and ')}`, [...at, forms[1]!], { key: true });
  }
  if (run.exec !== undefined && run.interpreter !== undefined) {
    ctx.report('INVALID_VALUE', '"interpreter" runs a script through a shell-like program; exec form ("exec") has no script', [...at, 'interpreter'], { key: true });
  }
  const mounts: Mount[] = [
    ...list(run.cache).map((c, i): Mount => {
      if (typeof c === 'string') return { type: 'cache', target: c };
      const from = c.from === undefined ? undefined : resolveRef(c.from, [...at, 'cache', i, 'from']);
      return {
        type: 'cache',
        target: c.target,
        ...(c.id !== undefined ? { id: c.id } : {}),
        ...(c.sharing !== undefined ? { sharing: c.sharing } : {}),
        ...(from ? { from } : {}),
        ...(c.source !== undefined ? { source: c.source } : {}),
        ...owner(c),
        ...(c.readonly ? { readonly: true } : {}),
      };
    }),
    ...list(run.secrets).map((s): Mount => (typeof s === 'string' ? { type: 'secret', id: s } : { type: 'secret', ...s })),
    ...list(run.mounts).map((m, i) => rawMount(ctx, m, [...at, 'mounts', i], resolveRef)),
  ];
  const commands = run.commands ?? (run.command !== undefined ? [run.command] : []);
  return {
    kind: 'run',
    commands: run.exec === undefined ? commands : [],
    ...(run.exec !== undefined ? { exec: [...run.exec] } : {}),
    ...(run.interpreter !== undefined && run.exec === undefined ? { interpreter: run.interpreter } : {}),
    mounts,
    ...(run.network ? { network: run.network } : {}),
    ...(run.security ? { security: run.security } : {}),
  };
}

function rawMount(ctx: ResolveContext, m: RawMount, at: YamlPath, resolveRef: RefResolver): Mount {
  for (const key of Object.keys(m)) {
    if (!MOUNT_KEYS[m.type].includes(key)) {
      ctx.report('INVALID_VALUE', `"${key}" is not an option of a ${m.type} mount (it takes ${MOUNT_KEYS[m.type].slice(1).join(', ')})`, [...at, key], { key: true });
    }
  }
  const target = m.target !== undefined ? { target: m.target } : {};
  switch (m.type) {
    case 'tmpfs':
      return { type: 'tmpfs', ...target, ...(m.size !== undefined ? { size: m.size } : {}) };
    case 'ssh':
      return { type: 'ssh', ...(m.id !== undefined ? { id: m.id } : {}), ...target, ...(m.required ? { required: true } : {}), ...owner(m) };
    case 'bind': {
      const from = m.from === undefined ? undefined : resolveRef(m.from, [...at, 'from']);
      return { type: 'bind', ...target, ...(m.source ? { source: m.source } : {}), ...(from ? { from } : {}), ...(m.rw ? { rw: true } : {}) };
    }
  }
}

type CopyObject = Exclude<Copy, string | string[]>;

/** `copy: {content, dest}`: a file written from text, COPY <<EOF dest (DESIGN 10). */
export function copyContent(ctx: ResolveContext, copy: CopyObject, at: YamlPath): Step {
  for (const key of ['src', 'from', 'exclude', 'parents'] as const) {
    if (copy[key] !== undefined) ctx.report('INVALID_VALUE', `"${key}" does not go with "content": the file is written from the text`, [...at, key], { key: true });
  }
  if (copy.dest === undefined) ctx.report('MISSING_KEY', 'a copy step with "content" needs "dest", the file to write', at);
  // A heredoc COPY has no JSON form to quote a destination with: BuildKit's lexer would drop a
  // backslash, and a second `<<` would start another heredoc.
  else if (/[\s"'\\]|<</.test(copy.dest)) {
    ctx.report('INVALID_VALUE', `"${copy.dest}": the destination of a file written from text cannot hold whitespace, quotes, backslashes or "<<"`, [...at, 'dest']);
  }
  return {
    kind: 'copy',
    sources: [],
    content: copy.content!,
    dest: copy.dest ?? './',
    exclude: [],
    ...(copy.chown ? { chown: copy.chown } : {}),
    ...(copy.chmod ? { chmod: copy.chmod } : {}),
    ...(copy.link ? { link: true } : {}),
  };
}
