import type { BuildSettings as RawBuild } from '../generated/types';
import type { YamlPath } from '../load';
import type { ResolveContext } from './context';
import { substitute } from './expressions';
import type { Head } from './head';
import { reportUnknownVars } from './vars';
import type { BuildSettings, ResolvedStage, SecretSource } from './model';

/** Specs substituted, the service's scope made only if one holds an expression. */
const withScope = (head: Head, specs: string[]): string[] =>
  specs.some((s) => s.includes('${{')) ? substitute(specs, head.scope()) : specs;

/** Stages that are built for their result, never shipped as images (docs/language.md, "Build settings"). */
const DEFAULT_CACHE_ONLY: readonly string[] = ['test', 'lint', 'check'];

/**
 * A service's `build` settings: defaults, then its pipeline's, then its own, merged like maps
 * (a later layer replaces a key, null removes it; `cache.from`/`cache.to` and each secret id
 * are keys of their own). Service-level expressions are substituted here; `${{ stage.name }}`
 * in cache specs stays for the plan, which knows the stage it builds.
 */
export function resolveBuild(ctx: ResolveContext, head: Head): BuildSettings {
  const defaults = ctx.config.defaults?.build;
  const pipeline = head.pipeline ? ctx.config.pipelines?.[head.pipeline]?.build : undefined;
  // No build settings anywhere (the usual case): the defaults, without the layers' paths and maps below.
  if (!defaults && !pipeline && !head.raw.build) return { cacheFrom: [], cacheTo: [], secrets: [], cacheOnly: [...DEFAULT_CACHE_ONLY] };
  const layers: [RawBuild | undefined, YamlPath][] = [
    [defaults, ['defaults', 'build']],
    [pipeline, ['pipelines', head.pipeline ?? '', 'build']],
    [head.raw.build, ['services', head.name, 'build']],
  ];
  let push: boolean | undefined;
  let provenance: BuildSettings['provenance'];
  let sbom: boolean | undefined;
  let cacheOnly: readonly string[] = DEFAULT_CACHE_ONLY;
  const cache: { from?: string[]; to?: string[] } = {};
  const secrets = new Map<string, SecretSource>();
  for (const [layer, at] of layers) {
    if (!layer) continue;
    // Strings outside stages see the service-level vars (docs/language.md, "Vars"): an unknown one is reported here.
    reportUnknownVars(ctx, layer, at, head.scope(), head.name);
    if ('push' in layer) push = layer.push ?? undefined;
    if ('provenance' in layer) provenance = layer.provenance ?? undefined;
    if ('sbom' in layer) sbom = layer.sbom ?? undefined;
    if ('cacheOnly' in layer) cacheOnly = layer.cacheOnly ?? DEFAULT_CACHE_ONLY;
    if ('cache' in layer) {
      if (layer.cache?.from || layer.cache === null) cache.from = layer.cache?.from ?? [];
      if (layer.cache?.to || layer.cache === null) cache.to = layer.cache?.to ?? [];
    }
    if ('secrets' in layer) {
      if (layer.secrets === null) secrets.clear();
      for (const [id, source] of Object.entries(layer.secrets ?? {})) {
        if (source === null) secrets.delete(id);
        else {
          const from = substitute(source, head.scope());
          const origin = { path: [...at, 'secrets', id], chain: [at.join('.')] };
          secrets.set(id, from.src !== undefined ? { id, src: from.src, origin } : { id, env: from.env!, origin });
        }
      }
    }
  }
  return {
    ...(push !== undefined ? { push } : {}),
    ...(provenance !== undefined ? { provenance } : {}),
    ...(sbom !== undefined ? { sbom } : {}),
    cacheFrom: cache.from ? withScope(head, cache.from) : [],
    cacheTo: cache.to ? withScope(head, cache.to) : [],
    secrets: [...secrets.values()].sort((a, b) => a.id.localeCompare(b.id)),
    cacheOnly: [...cacheOnly],
  };
}

/**
 * A RUN that mounts a secret no `build.secrets` entry provides builds with an empty mount (or
 * fails, with required=true) unless the caller passes --secret by hand: said once per mount.
 */
export function checkSecretSources(ctx: ResolveContext, service: string, stages: readonly ResolvedStage[], build: BuildSettings): void {
  let provided: Set<string> | undefined;
  for (let i = 0; i < stages.length; i++) {
    const steps = stages[i]!.steps;
    for (let j = 0; j < steps.length; j++) {
      const { value: step, origin } = steps[j]!;
      if (step.kind !== 'run' || step.mounts.length === 0) continue;
      for (const mount of step.mounts) {
        if (mount.type !== 'secret') continue;
        provided ??= new Set(build.secrets.map((s) => s.id));
        if (provided.has(mount.id)) continue;
        const at: YamlPath = [...origin.path, 'run', 'secrets'];
        if (!ctx.once(`secret-source:${at.join('.')}:${mount.id}`)) continue;
        ctx.report(
          'SECRET_WITHOUT_SOURCE',
          `secret "${mount.id}" is mounted here, but build.secrets of service "${service}" gives it no source, so plan, build and bake do not pass it`,
          at,
          {
            severity: 'warning',
            hint: `add build: { secrets: { ${mount.id}: { src: <file> } } } (or { env: <VAR> }) to defaults, the pipeline or the service`,
          },
        );
      }
    }
  }
}
