/** A value of the stages.yaml document as the importer builds it (plain data, YAML-ready). */
export type Doc = { [key: string]: unknown };

/** A position in a Dockerfile, 1-based like an editor's. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Something in a Dockerfile that stages.yaml cannot say, so the whole file is refused. */
export interface Refusal extends Span {
  message: string;
  hint?: string;
}

/** The Dockerfile lines a stage's parts came from: its FROM, each field, each step. */
export interface StageLines {
  from: number;
  fields: Record<string, number>;
  steps: number[];
}

export interface ImportedStage {
  /** The stage name in stages.yaml: the original one, lowercased, or one given by role or position. */
  name: string;
  /** The name the Dockerfile gave it, if any. */
  original?: string;
  /** The comment block right above its FROM. */
  description?: string;
  /** The stage as stages.yaml writes it (from, fields, steps). */
  body: Doc;
  lines: StageLines;
}

/** One Dockerfile in the stage model, before anything is shared. */
export interface ImportedFile {
  syntax?: string;
  /** The comment block at the top of the file (not the one right above the first FROM). */
  leading: string[];
  /** ARGs before the first FROM, in order; null = no default. */
  globalArgs: [string, string | null][];
  stages: ImportedStage[];
  /** Comments that have no place in stages.yaml. */
  dropped: number;
  refusals: Refusal[];
}

/** A Dockerfile found on disk and the service it becomes. */
export interface Source {
  /** Workspace-relative path of the Dockerfile, with `/`. */
  file: string;
  service: string;
  /** The service's folder, workspace-relative (`.` for the root). */
  path: string;
  text: string;
}

export interface ServiceInput {
  name: string;
  /** The service's folder, workspace-relative. */
  path: string;
  /** The Dockerfile, workspace-relative. */
  file: string;
  imported: ImportedFile;
  /** Written out whole, sharing nothing (after its shared form did not compile back equal). */
  literal?: boolean;
}

export interface ExtractOptions {
  context: 'service' | 'root';
  /** Share nothing across files (no header, no default dockerfile): the last resort when a shared setting breaks them all. */
  alone?: boolean;
}

export interface Placed {
  service: ServiceInput;
  stage: ImportedStage;
  /** The stage with the service's name and path written as `${{ service.* }}`, so equal stages of different services compare equal. */
  general: Doc;
}

/** A stage as stages.yaml writes it, its description first. */
export const bodyOf = (stage: ImportedStage): Doc => ({ ...(stage.description ? { description: stage.description } : {}), ...stage.body });
