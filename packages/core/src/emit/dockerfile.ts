import type { Origin, ResolvedService, ResolvedStage } from '../resolve';
import { headerLines } from './header';
import { Sink } from './sink';
import { argLine, emitStage } from './stage';
import type { Refusal } from './tokens';

export interface EmittedLine {
  text: string;
  /** Where in stages.yaml the line comes from; absent for the header and blank lines. */
  origin?: Origin;
  /** The stage the line belongs to (its description comment included); absent outside stages. */
  stage?: string;
}

/** A value the emitter refused, with the origin of the instruction it belongs to. */
export interface EmitRefusal extends Refusal {
  origin: Origin;
}

export interface EmittedDockerfile {
  service: string;
  /** Workspace-relative path of the Dockerfile. */
  path: string;
  text: string;
  lines: EmittedLine[];
  /** Values that cannot be written faithfully; when any, the text must not be used. */
  refusals: EmitRefusal[];
}

/**
 * What the Dockerfiles of one run share, so that the same work is not repeated per service: the
 * lines of each shared stage, the config path of each folder depth, the comment lines of each
 * header text. compile() makes one per run; nothing outlives it. Each service's Dockerfile still
 * carries every refusal of what it holds: a stage's refusals are kept with its lines, and a
 * comment block is kept only when it was refused nothing (a refused one is checked at each use).
 */
export interface EmitRun {
  readonly configName: string;
  /**
   * A resolved stage -> its lines and refusals. Resolve gives every service that adopts a
   * pipeline's stage unchanged the same stage object (results are never mutated), and what a
   * stage emits depends on the stage alone, so it is emitted once per run.
   */
  readonly stages: Map<ResolvedStage, { text: string; refusals: readonly EmitRefusal[] }>;
  /** A folder depth -> the config path from there, JSON-quoted (header.ts, plainDepth). */
  readonly markerConfig: Map<number, string>;
  /** A header or description text -> its comment lines, when they were refused nothing. */
  readonly comments: Map<string, readonly string[]>;
}

export const emitRun = (configName = 'stages.yaml'): EmitRun => ({
  configName,
  stages: new Map(),
  markerConfig: new Map(),
  comments: new Map(),
});

/** Phase 5: a resolved service to its Dockerfile text, each line keeping its origin. Pure and byte-stable. */
export function emitDockerfile(service: ResolvedService, configName = 'stages.yaml'): EmittedDockerfile {
  const lines: EmittedLine[] = [];
  const out = emitInto(service, emitRun(configName), lines);
  return { service: service.name, path: service.dockerfile, text: out.text, lines, refusals: out.refusals };
}

/**
 * The same Dockerfile without the per-line records: compile() writes text, and only `explain`
 * reads the lines, so they are emitted again (the same service, the same run: the same lines)
 * when someone first asks for them.
 */
export function emitDockerfileText(service: ResolvedService, run: EmitRun): EmittedDockerfile {
  const out = emitInto(service, run, undefined);
  // The config name, not the run: the run's stage texts can go once compile is done.
  return new TextFirstDockerfile(service, run.configName, out.text, out.refusals);
}

/**
 * emitDockerfileText's result, a class rather than an object literal with a getter: V8 builds
 * such a literal through its slow path (about 2 us each, 10 ms at 5,000 services), a class
 * instance through the fast one. `lines` is the prototype's getter, so a spread or JSON copy of
 * the object leaves it out instead of emitting the lines.
 */
class TextFirstDockerfile implements EmittedDockerfile {
  readonly #service: ResolvedService;
  readonly #configName: string;
  #lines: EmittedLine[] | undefined;
  readonly service: string;
  readonly path: string;

  constructor(
    service: ResolvedService,
    configName: string,
    readonly text: string,
    readonly refusals: EmitRefusal[],
  ) {
    this.#service = service;
    this.#configName = configName;
    this.service = service.name;
    this.path = service.dockerfile;
  }

  get lines(): EmittedLine[] {
    if (this.#lines === undefined) {
      const lines: EmittedLine[] = [];
      emitInto(this.#service, emitRun(this.#configName), lines);
      this.#lines = lines;
    }
    return this.#lines;
  }
}

function emitInto(service: ResolvedService, run: EmitRun, lines: EmittedLine[] | undefined): { text: string; refusals: EmitRefusal[] } {
  const out = new Sink(lines);
  // The syntax value is checked where it is written (checkConfigFields), which knows its position.
  if (service.syntax) out.push(`# syntax=${service.syntax}`);
  for (const line of headerLines(service, run, (origin) => out.at(origin))) out.push(line);
  if (service.globalArgs.length > 0) {
    out.push('');
    for (const arg of service.globalArgs) out.push(argLine(arg.key, arg.value, out.at(arg.origin)), arg.origin);
  }
  for (const stage of service.stages) {
    out.stage = undefined;
    out.push('');
    if (lines === undefined) {
      // Text only: a stage shared with other services of the run is emitted once.
      // Its lines joined once: the Dockerfile's text joins the same lines either way.
      const emitted = stageOnce(stage, run);
      out.texts.push(emitted.text);
      for (let i = 0; i < emitted.refusals.length; i++) out.refusals.push(emitted.refusals[i]!);
      continue;
    }
    // Every line a stage emits, heredoc bodies and blank lines in them too, carries its name.
    out.stage = stage.name;
    emitStage(stage, out);
  }
  // The final newline joined in, not appended: the text is one flat string, not a rope that
  // every later read (comparison, write) would flatten again.
  out.texts.push('');
  return { text: out.texts.join('\n'), refusals: out.refusals };
}

function stageOnce(stage: ResolvedStage, run: EmitRun): { text: string; refusals: readonly EmitRefusal[] } {
  let emitted = run.stages.get(stage);
  if (emitted === undefined) {
    const out = new Sink(undefined);
    emitStage(stage, out);
    emitted = { text: out.texts.join('\n'), refusals: out.refusals };
    run.stages.set(stage, emitted);
  }
  return emitted;
}
