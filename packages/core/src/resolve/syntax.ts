import type { ResolveContext } from './context';
import type { ResolvedStage, Step } from './model';
import type { YamlPath } from '../load';

/** A Dockerfile frontend version; `labs` channels carry experimental flags early. */
interface Version {
  major: number;
  minor: number;
  labs: boolean;
}

interface Feature {
  name: string;
  /** Oldest stable frontend with the feature. */
  stable: [number, number];
  /** Oldest labs frontend with the feature, when it appeared there first. */
  labs?: [number, number];
}

/** docs/language.md lists each with its version; keep the two in step. */
export const FEATURES = {
  heredoc: { name: 'a heredoc (a multi-line run, run.interpreter or copy.content)', stable: [1, 4] },
  link: { name: 'COPY/ADD --link', stable: [1, 4] },
  network: { name: 'RUN --network', stable: [1, 3] },
  checksum: { name: 'ADD --checksum', stable: [1, 6], labs: [1, 5] },
  keepGitDir: { name: 'ADD --keep-git-dir', stable: [1, 6], labs: [1, 5] },
  tmpfsSize: { name: 'a tmpfs mount size', stable: [1, 5] },
  security: { name: 'RUN --security', stable: [1, 20], labs: [1, 2] },
  startInterval: { name: 'HEALTHCHECK --start-interval', stable: [1, 6] },
  secretEnv: { name: 'a secret mounted as an environment variable', stable: [1, 10] },
  exclude: { name: 'COPY --exclude', stable: [1, 19], labs: [1, 7] },
  parents: { name: 'COPY --parents', stable: [1, 20], labs: [1, 7] },
} satisfies Record<string, Feature>;

/**
 * Without a syntax line: exactly frontend 1.4's features (heredocs, COPY --link, RUN
 * --network, --chmod), which every Docker Engine since 23.0 builds with its built-in frontend
 * (docs/language.md, "Frontend versions"). Engine 20.10's is older: the docs say which features it lacks.
 */
const BUILTIN: Version = { major: 1, minor: 4, labs: false };

/** `docker/dockerfile:1.7-labs` to a version; a floating `:1` is the newest; other frontends are not checked. */
function frontendVersion(syntax: string | undefined): Version | undefined {
  if (syntax === undefined) return BUILTIN;
  const m = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:(\d+)(?:\.(\d+))?(?:\.\d+)?(-labs)?$/.exec(syntax.trim());
  if (!m) return undefined;
  const minor = m[2] === undefined ? Number.POSITIVE_INFINITY : Number(m[2]);
  return { major: Number(m[1]), minor, labs: m[3] !== undefined };
}

const atLeast = (v: Version, [major, minor]: [number, number]): boolean => v.major > major || (v.major === major && v.minor >= minor);

const supports = (v: Version, f: Feature): boolean => atLeast(v, f.stable) || (v.labs && f.labs !== undefined && atLeast(v, f.labs));

/** Whether the configured `syntax` provides a feature; false for frontends stagec does not know. */
export function syntaxSupports(syntax: string | undefined, feature: Feature): boolean {
  const version = frontendVersion(syntax);
  return version !== undefined && supports(version, feature);
}

/** Features a stage uses that its service's configured `syntax` does not provide: errors naming the version needed. */
export function checkSyntax(ctx: ResolveContext, syntax: string | undefined, stages: readonly ResolvedStage[]): void {
  const version = frontendVersion(syntax);
  if (!version) return;
  const need = (feature: Feature, path: YamlPath): void => {
    if (supports(version, feature)) return;
    const wanted = `docker/dockerfile:${feature.stable.join('.')}`;
    const alt = feature.labs ? ` (or docker/dockerfile:${feature.labs.join('.')}-labs)` : '';
    ctx.report(
      'SYNTAX_TOO_OLD',
      `${feature.name} needs ${wanted}${alt} or newer; syntax is ${syntax ?? "the builder's built-in frontend"}`,
      path,
      {
        hint: `set syntax: ${wanted} (in defaults: or in the service)`,
      },
    );
  };
  for (const stage of stages) {
    // Both lists in turn, without joining them into a new array per stage of every service.
    for (let i = 0; i < stage.steps.length + stage.onbuild.length; i++) {
      const { value: s, origin } = i < stage.steps.length ? stage.steps[i]! : stage.onbuild[i - stage.steps.length]!;
      if (isHeredoc(s)) need(FEATURES.heredoc, origin.path);
      if (s.kind === 'run') {
        if (s.network) need(FEATURES.network, origin.path);
        if (s.security) need(FEATURES.security, origin.path);
        if (s.mounts.some((m) => m.type === 'secret' && m.env)) need(FEATURES.secretEnv, origin.path);
        if (s.mounts.some((m) => m.type === 'tmpfs' && m.size !== undefined)) need(FEATURES.tmpfsSize, origin.path);
      }
      if (s.kind === 'add' && s.keepGitDir) need(FEATURES.keepGitDir, origin.path);
      if ((s.kind === 'copy' || s.kind === 'add') && s.link) need(FEATURES.link, origin.path);
      if (s.kind === 'copy' && s.exclude.length > 0) need(FEATURES.exclude, origin.path);
      if (s.kind === 'copy' && s.parents) need(FEATURES.parents, origin.path);
      if (s.kind === 'add' && s.checksum) need(FEATURES.checksum, origin.path);
    }
    const hc = stage.healthcheck?.value;
    if (hc && hc !== 'none' && hc.startInterval) need(FEATURES.startInterval, stage.healthcheck!.origin.path);
  }
}

/** Steps that compile to a heredoc: a multi-line run command, a script for an interpreter, a file from text. */
export function isHeredoc(s: Step): boolean {
  if (s.kind === 'copy') return s.content !== undefined;
  if (s.kind !== 'run' || s.exec) return false;
  return s.interpreter !== undefined || (s.commands.length === 1 && s.commands[0]!.replace(/\n+$/, '').includes('\n'));
}
