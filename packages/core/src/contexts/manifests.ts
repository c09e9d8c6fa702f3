import type { Diagnostic } from '../diagnostics';
import type { SourceIndex } from '../load';
import { FEATURES, syntaxSupports, type ResolvedService, type Step, type Traced } from '../resolve';
import { contextSetIn, indexWorkspace, type WorkspaceIndex } from './set';
import type { Workspace } from './workspace';

/** Root files an install reads besides package.json and the lockfile (each copied only where present). */
const INSTALL_CONFIG = ['.npmrc', 'pnpm-workspace.yaml', '.pnpmfile.cjs', '.yarnrc', '.yarnrc.yml'];

const hasManifests = (stage: ResolvedService['stages'][number]): boolean => stage.steps.some((s) => s.value.kind === 'manifests');

/**
 * Replaces each `manifests:` step (docs/contexts.md) by the COPY steps it stands for: the root
 * manifest, the lockfile and the install configuration to `./`, then the package.json of the
 * service and of each local dependency to its own folder, so the install layer's cache key is
 * exactly those files: one `COPY --parents` where the service's `syntax` has it (1.20, or
 * 1.7-labs), else explicit paths, one COPY per folder (the built-in frontends lack --parents).
 * Pure; the workspace is what the edge detected.
 */
export function expandManifests(
  services: readonly ResolvedService[],
  workspace: Workspace | undefined,
  source: SourceIndex,
): { services: ResolvedService[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (code: Diagnostic['code'], message: string, step: Traced<Step>, hint: string): void => {
    // A template's step reached by several stages of one service is reported once.
    const id = `${code}|${JSON.stringify(step.origin.path)}|${message}`;
    if (seen.has(id)) return;
    seen.add(id);
    diagnostics.push({ code, severity: 'error', message, file: source.file, ...source.position(step.origin.path), hint });
  };
  // The workspace indexed once, for the first manifests step.
  let index: WorkspaceIndex | undefined;
  const expanded = services.map((service) => {
    if (!service.stages.some(hasManifests)) return service;
    // A stage without a manifests step stays the resolved object, which other services may share.
    const stages = service.stages.map((stage) =>
      !hasManifests(stage)
        ? stage
        : {
            ...stage,
            steps: stage.steps.flatMap((step): Traced<Step>[] => {
              if (step.value.kind !== 'manifests') return [step];
              if (!workspace) {
                report(
                  'NO_WORKSPACE',
                  `service "${service.name}": a manifests step needs an npm, pnpm or yarn workspace at the root, and none was found`,
                  step,
                  'declare "workspaces" in the root package.json (or pnpm-workspace.yaml), or copy the manifests with copy steps',
                );
                return [];
              }
              const root = [
                'package.json',
                ...(step.value.lockfile && workspace.lockfile ? [workspace.lockfile] : []),
                ...INSTALL_CONFIG.filter((f) => workspace.rootFiles.includes(f)),
              ];
              index ??= indexWorkspace(workspace);
              const packages = contextSetIn(service.path, index).packages.filter((dir) => index!.byDir.has(dir));
              const relative = (path: string): string | undefined =>
                service.context === '.'
                  ? path
                  : path.startsWith(`${service.context}/`)
                    ? path.slice(service.context.length + 1)
                    : undefined;
              const outside = [...root, ...packages.map((d) => `${d}/package.json`)].filter((p) => relative(p) === undefined);
              if (outside.length) {
                report(
                  'CONTEXT_OUTSIDE',
                  `service "${service.name}": ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside its build context "${service.context}"`,
                  step,
                  'build from the workspace root (context: .)',
                );
                return [];
              }
              const copy = (sources: string[], dest: string, parents = false): Traced<Step> => ({
                value: { kind: 'copy', sources, dest, exclude: [], ...(parents ? { parents } : {}) },
                origin: step.origin,
              });
              if (syntaxSupports(service.syntax, FEATURES.parents))
                return [
                  copy(
                    [...root, ...packages.map((d) => `${d}/package.json`)].map((p) => relative(p)!),
                    './',
                    true,
                  ),
                ];
              return [
                copy(
                  root.map((p) => relative(p)!),
                  './',
                ),
                ...packages.map((dir) => copy([relative(`${dir}/package.json`)!], `./${relative(dir)}/`)),
              ];
            }),
          },
    );
    return { ...service, stages };
  });
  return { services: expanded, diagnostics };
}
