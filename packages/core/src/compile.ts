import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics';
import { expandManifests, pruneContexts, type PrunedContext, type Workspace } from './contexts';
import { checkConfigFields, emitDockerfileText, emitRun, type EmittedDockerfile } from './emit';
import { refusalDiagnostics, type PlacedRefusal } from './emit/diagnose';
import { silenceWarnings } from './lint/ignore';
import { load, type SourceIndex } from './load';
import { pinImages, type Lock } from './lock';
import { resolve, type ResolvedProject } from './resolve';
import type { StagecStagesYaml } from './generated/types';
import { didYouMean } from './util/suggest';
import { validate } from './validate';

export interface CompileOptions {
  /** Path of stages.yaml as diagnostics should print it. */
  file?: string;
  /** Only these services' Dockerfiles (all services are still resolved and checked). */
  services?: readonly string[];
  /** The workspace the edge detected (docs/contexts.md): root contexts are pruned to each service's context set. */
  workspace?: Workspace;
  /** stages.lock, parsed: external images are emitted pinned to its digests. */
  lock?: Lock;
  /** How diagnostics name the lock file. */
  lockFile?: string;
  /** `compile --check`: an image without a lock entry is an error (LOCK_MISSING), not a warning. */
  lockRequired?: boolean;
}

export interface CompileResult {
  /** All diagnostics of the run, sorted by position. */
  diagnostics: Diagnostic[];
  /** True when any diagnostic is an error: then there are no Dockerfiles. */
  failed: boolean;
  project?: ResolvedProject;
  /** The validated document, for phases that read it beside the resolved model (lint reads `policy` and `lint`). */
  config?: StagecStagesYaml;
  dockerfiles: EmittedDockerfile[];
  /** The selected services whose context is pruned: each needs its ignore file (ignoreFileText). */
  contexts: PrunedContext[];
  source: SourceIndex;
}

/**
 * The whole pipeline, text in, files-to-be out: load -> validate -> resolve -> emit.
 * Never throws for bad input, and never returns a Dockerfile when any error was found.
 */
export function compile(text: string, options: CompileOptions = {}): CompileResult {
  const file = options.file ?? 'stages.yaml';
  const loaded = load(text, file);
  let config: StagecStagesYaml | undefined;
  const done = (
    diagnostics: Diagnostic[],
    project?: ResolvedProject,
    dockerfiles: EmittedDockerfile[] = [],
    contexts: PrunedContext[] = [],
  ): CompileResult => {
    const sorted = sortDiagnostics(diagnostics);
    const failed = hasErrors(sorted);
    return {
      diagnostics: sorted,
      failed,
      ...(project && !failed ? { project } : {}),
      ...(config && !failed ? { config } : {}),
      dockerfiles: failed ? [] : dockerfiles,
      contexts: failed ? [] : contexts,
      source: loaded.source,
    };
  };
  if (loaded.data === undefined) return done(loaded.diagnostics);
  const validated = validate(loaded.data, loaded.source);
  if (!validated.config) return done(validated.diagnostics);
  config = validated.config;
  const resolved = resolve(validated.config, loaded.source);
  // `lint.ignore` silences compile warnings too, where the scope that lists them holds them.
  const diagnostics = silenceWarnings(
    [...resolved.diagnostics, ...refusalDiagnostics(checkConfigFields(validated.config), loaded.data, loaded.source, resolved.diagnostics)],
    validated.config,
    loaded.source,
  );
  // The names in the file, not only the services that resolved: one with errors is still defined.
  const defined = new Set(Object.keys(validated.config.services ?? {}));
  const selected = options.services ? new Set(options.services) : defined;
  // Without --service every selected name is a defined one: only a chosen name can be unknown.
  for (const name of options.services ? selected : []) {
    if (!defined.has(name)) {
      // A name from the command line, not from the file: no position to point at.
      const hint = didYouMean(name, defined);
      diagnostics.push({
        code: 'UNKNOWN_SERVICE',
        severity: 'error',
        message: `service "${name}" is not defined in ${file}`,
        file,
        usage: true,
        ...(hint ? { hint } : {}),
      });
    }
  }
  const pruned = pruneContexts(resolved.project.services, options.workspace, loaded.source);
  diagnostics.push(...pruned.diagnostics);
  // Always expanded (errors or not): the emitter runs on every service to collect its refusals.
  const manifests = expandManifests(resolved.project.services, options.workspace, loaded.source);
  diagnostics.push(...manifests.diagnostics);
  let project = { ...resolved.project, services: manifests.services };
  if (options.lock && !hasErrors(diagnostics)) {
    const pinned = pinImages(project, options.lock, loaded.source, {
      ...(options.lockFile ? { lockFile: options.lockFile } : {}),
      required: options.lockRequired ?? false,
      services: selected,
    });
    diagnostics.push(...pinned.diagnostics);
    if (!hasErrors(pinned.diagnostics)) project = pinned.project;
  }
  const configName = file.split(/[\\/]/).pop() ?? file;
  // Every resolved service is emitted, even after other errors, so that all refused values of
  // a run are reported together; the Dockerfiles are dropped whenever anything is an error.
  // Pinned digests go through the emitter's image-reference check like any other reference.
  const run = emitRun(configName);
  const dockerfiles: EmittedDockerfile[] = [];
  const refused: PlacedRefusal[] = [];
  // A stage shared by services carries the same refusal objects into each Dockerfile: each is
  // placed once (they are one diagnostic anyway), not searched for again per service.
  const placed = new Set<object>();
  for (const service of project.services) {
    if (!selected.has(service.name)) continue;
    const emitted = emitDockerfileText(service, run);
    dockerfiles.push(emitted);
    for (const r of emitted.refusals) {
      if (placed.has(r)) continue;
      placed.add(r);
      refused.push({ ...r, path: r.origin.path });
    }
  }
  diagnostics.push(...refusalDiagnostics(refused, loaded.data, loaded.source, diagnostics));
  if (hasErrors(diagnostics)) return done(diagnostics);
  return done(
    diagnostics,
    project,
    dockerfiles,
    pruned.contexts.filter((c) => selected.has(c.service)),
  );
}
