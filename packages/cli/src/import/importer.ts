import { compile } from '@stagec/core';
import { compareDockerfiles, type Difference } from './compare';
import { emitYaml } from './emit-yaml';
import { dockerfileLine, pathAt } from './locate';
import { extract, type ExtractOptions, type ServiceInput } from './extract';
import type { Doc, Refusal, Source } from './model';
import { parseDockerfile } from './parse';

export interface FileReport {
  file: string;
  /** The Dockerfile's text, as read. */
  text: string;
  service: string;
  status: 'equivalent' | 'refused';
  /** Why it was refused, at Dockerfile positions (line 0: the file as a whole). */
  refusals: Refusal[];
  dropped: number;
  /** Whether it shares a pipeline or templates with others, or stands alone. */
  shared: boolean;
}

export interface ImportResult {
  doc: Doc;
  /** The stages.yaml text; undefined when no file could be imported. */
  text?: string;
  files: FileReport[];
}

const COMMENT = ' Imported by `stagec import` from hand-written Dockerfiles.\n Preview: stagec compile --check    Take over: stagec compile --force';

const asRefusals = (differences: Difference[]): Refusal[] =>
  differences.map((d) => ({ line: d.line, column: d.line ? 1 : 0, endLine: d.line, endColumn: d.line ? 1 : 0, message: `would not compile back the same: ${d.message}` }));

/** Compiles `doc` and compares each service's Dockerfile with its original; the services that differ, and why. */
function verify(doc: Doc, services: readonly ServiceInput[], sources: ReadonlyMap<string, Source>): Map<ServiceInput, Refusal[]> {
  const text = emitYaml(doc);
  const result = compile(text);
  const failed = new Map<ServiceInput, Refusal[]>();
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.failed) {
    // Each error at the Dockerfile line of the stage part it is about (0: the file as a whole).
    for (const s of services) {
      const refusals = errors.map((d) => {
        const path = pathAt(text, d.line, d.column);
        const mine = path[0] !== 'services' || path[1] === s.name;
        const line = mine ? dockerfileLine(path, s.imported.stages) : 0;
        // import never adds a syntax line the file did not have (DESIGN 11): the file is what needs one.
        const hint = d.code === 'SYNTAX_TOO_OLD' ? 'the Dockerfile needs a `# syntax=` line new enough for this (as the message says); add it, then import again' : d.hint;
        return { line, column: line ? 1 : 0, endLine: line, endColumn: line ? 1 : 0, message: `stages.yaml would not compile: ${d.code} ${d.message}`, ...(hint ? { hint } : {}) };
      });
      failed.set(s, refusals);
    }
    return failed;
  }
  for (const s of services) {
    const compiled = result.dockerfiles.find((d) => d.service === s.name);
    const names = s.imported.stages.map((st) => st.name);
    const differences = compiled ? compareDockerfiles(sources.get(s.file)!.text, compiled.text, names) : [{ line: 0, message: 'no Dockerfile compiled' }];
    if (differences.length > 0) failed.set(s, asRefusals(differences));
  }
  return failed;
}

/**
 * DESIGN 11, pure: Dockerfiles in, stages.yaml out. A file is refused when it has a construct
 * without a form, or when alone it would not compile back to the same instructions; the rest are
 * extracted together and checked again, and a service whose shared form does not compile back
 * the same is written out whole.
 */
export function importDockerfiles(sources: readonly Source[], options: ExtractOptions): ImportResult {
  const bySource = new Map(sources.map((s) => [s.file, s]));
  const reports: FileReport[] = [];
  const accepted: ServiceInput[] = [];
  for (const source of sources) {
    const imported = parseDockerfile(source.text);
    const service: ServiceInput = { name: source.service, path: source.path, file: source.file, imported, literal: true };
    const report: FileReport = { file: source.file, text: source.text, service: source.service, status: 'equivalent', refusals: imported.refusals, dropped: imported.dropped, shared: false };
    reports.push(report);
    if (imported.refusals.length === 0) {
      const alone = verify(extract([service], options), [service], bySource).get(service);
      if (alone) report.refusals = alone;
    }
    if (report.refusals.length > 0) report.status = 'refused';
    else accepted.push({ ...service, literal: false });
  }
  let doc = extract(accepted, options);
  // A shared form that does not compile back the same is written out whole; a whole one that
  // still differs (global ARGs interact across files) is refused. Each round makes a service
  // whole or refuses one, so this ends; the last document is always a verified one.
  for (;;) {
    const failed = verify(doc, accepted, bySource);
    if (failed.size === 0) break;
    if (failed.size === accepted.length && accepted.every((s) => s.literal) && !options.alone) {
      // Every file fails though each compiles back alone: a setting shared across files is to blame.
      options = { ...options, alone: true };
      doc = extract(accepted, options);
      continue;
    }
    for (const [s, refusals] of failed) {
      if (!s.literal) {
        s.literal = true;
        continue;
      }
      const report = reports.find((r) => r.file === s.file)!;
      report.status = 'refused';
      report.refusals = refusals;
      accepted.splice(accepted.indexOf(s), 1);
    }
    doc = extract(accepted, options);
  }
  for (const s of accepted) {
    const report = reports.find((r) => r.file === s.file)!;
    const entry = (doc.services as Record<string, Doc>)[s.name]!;
    // A licence block whose years differ from the header's is folded into it: its own wording is dropped.
    if (s.imported.leading.length > 0 && doc.header !== undefined && entry.description === undefined && s.imported.leading.join('\n') !== doc.header) report.dropped += s.imported.leading.length;
    report.shared = !s.literal && (entry.pipeline !== undefined || Object.values((entry.stages as Doc | undefined) ?? {}).some((st) => (st as Doc | null)?.extends !== undefined));
  }
  return { doc, ...(accepted.length > 0 ? { text: emitYaml(doc, COMMENT) } : {}), files: reports };
}
