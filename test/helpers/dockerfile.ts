import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';

/** An instruction as Docker means it: keyword, flags, and arguments with quoting and spacing normalized. */
export interface NormalInstruction {
  keyword: string;
  flags: string[];
  args: string;
}

export interface NormalStage {
  name?: string;
  base: string;
  instructions: NormalInstruction[];
}

interface WithFlags {
  getFlags?: () => { getName(): string; getValue(): string | null }[];
}
interface WithProperties {
  getProperties?: () => { getName(): string; getValue(): string | null }[];
}
interface WithJson {
  getJSONStrings?: () => { getJSONValue(): string }[];
}

function normalize(instruction: Instruction): NormalInstruction {
  const keyword = instruction.getKeyword().toUpperCase();
  const flags = ((instruction as WithFlags).getFlags?.() ?? []).map((f) => `${f.getName()}=${f.getValue() ?? ''}`).sort();
  const properties = (instruction as WithProperties).getProperties?.();
  const json = (instruction as WithJson).getJSONStrings?.() ?? [];
  let args: string;
  if (properties && ['ENV', 'ARG', 'LABEL'].includes(keyword)) {
    args = properties.map((p) => `${p.getName()}=${p.getValue() ?? ''}`).join(' ');
  } else if (json.length > 0) {
    args = JSON.stringify(json.map((s) => s.getJSONValue()));
  } else {
    args = (instruction.getArgumentsContent() ?? '').replace(/\s+/g, ' ').trim();
  }
  return { keyword, flags, args };
}

/** Stages of a Dockerfile by an independent parser (dockerfile-ast), for equivalence checks. */
export function parseStages(text: string): { globals: NormalInstruction[]; stages: NormalStage[] } {
  const dockerfile = DockerfileParser.parse(text);
  const globals: NormalInstruction[] = [];
  const stages: NormalStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const n = normalize(instruction);
    if (n.keyword === 'FROM') {
      const from = instruction as unknown as { getBuildStage(): string | null; getImage(): string | null };
      const stage: NormalStage = { base: from.getImage() ?? '', instructions: [] };
      const name = from.getBuildStage();
      if (name) stage.name = name;
      stages.push(stage);
    } else if (stages.length === 0) globals.push(n);
    else stages.at(-1)!.instructions.push(n);
  }
  return { globals, stages };
}

/**
 * dockerfile-utils 0.16 checks the quotes of ENV/LABEL/ARG values after unquoting them, so it
 * reports a well-formed `ENV A="'a"` or `LABEL t="\""` as an unmatched quote. Real BuildKit
 * reads both as meant ('a and "; checked with docker build). Such a finding is dropped when the
 * raw value at its position is one complete double-quoted string.
 */
const QUOTE_FINDING = /unexpected end of statement while looking for matching (single|double)-quote$/;
const WHOLE_DOUBLE_QUOTED = /^"(?:[^"\\]|\\.)*"(?:\s|$)/;

/**
 * dockerfile-utils' linter findings (errors and warnings), as readable strings. Relative
 * WORKDIRs are language 1.1 (DESIGN 10): stagec warns itself, only where no absolute WORKDIR
 * precedes one in the stage chain, as BuildKit's WorkdirRelativePath does; the linter would
 * flag every one.
 */
export function lint(text: string): string[] {
  const lines = text.split('\n');
  return validate(text, { instructionWorkdirRelative: ValidationSeverity.IGNORE })
    .filter((d) => !(QUOTE_FINDING.test(d.message) && WHOLE_DOUBLE_QUOTED.test(lines[d.range.start.line]!.slice(d.range.start.character))))
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}

/**
 * The seeds' tutorials write comments after instructions (`FROM ubuntu AS build  # alias`), which
 * Docker does not support; strip them to what the author meant before comparing.
 */
export const stripTrailingComments = (text: string): string =>
  text
    .split('\n')
    .map((line) => (line.trimStart().startsWith('#') ? line : line.replace(/\s+#\s.*$/, '')))
    .join('\n');
