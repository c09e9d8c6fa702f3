import { DockerfileParser, type From, type Instruction } from 'dockerfile-ast';
import { closest } from '@stagec/core';
import { mapInstruction, spanOf, type Item } from './map';
import type { Doc, ImportedFile, ImportedStage, Refusal } from './model';
import { assembleStage } from './stage';

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

interface RawStage {
  from: From;
  name: string;
  original?: string;
  instructions: Instruction[];
}

const TOOLCHAIN_IMAGE = /(^|\/)(golang|node|python|maven|gradle|rust|sdk|openjdk|eclipse-temurin|ruby|php|composer|elixir|swift|gcc|clang)(:|@|$)/;

/**
 * Names for stages the Dockerfile left unnamed: the last one is what runs (`runtime`, or `image`
 * when it is the only one); an earlier one on a toolchain image is a `build`; others by position.
 */
function nameStages(froms: From[]): { name: string; original?: string }[] {
  const taken = new Set(froms.map((f) => f.getBuildStage()?.toLowerCase()).filter((n): n is string => Boolean(n)));
  return froms.map((from, i) => {
    const original = from.getBuildStage() ?? undefined;
    if (original) return { name: original.toLowerCase(), original };
    const image = from.getArguments()[0]?.getValue() ?? '';
    const wanted = i === froms.length - 1 ? (froms.length === 1 ? 'image' : 'runtime') : TOOLCHAIN_IMAGE.test(image.split(':')[0] ?? '') || TOOLCHAIN_IMAGE.test(image) ? 'build' : `stage-${i}`;
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted}-${n}`;
    taken.add(name);
    return { name };
  });
}

/** Comment lines by line number (0-based), and the directives dockerfile-ast found. */
function commentsOf(text: string): Map<number, string> {
  const comments = new Map<number, string>();
  const dockerfile = DockerfileParser.parse(text);
  for (const c of dockerfile.getComments()) comments.set(c.getRange().start.line, c.getContent() ?? '');
  return comments;
}

/** The comment block that ends right above `line` (0-based), as text lines. */
function blockAbove(comments: Map<number, string>, line: number, used: Set<number>): string[] {
  const lines: string[] = [];
  for (let l = line - 1; comments.has(l) && !used.has(l); l--) {
    lines.unshift(comments.get(l)!);
    used.add(l);
  }
  return lines;
}

/** A Dockerfile's text to the stage model; every construct without a form is a refusal at its position. */
export function parseDockerfile(text: string): ImportedFile {
  const dockerfile = DockerfileParser.parse(text);
  const refusals: Refusal[] = [];
  const comments = commentsOf(text);
  const used = new Set<number>();
  const directives = dockerfile.getDirectives();
  const syntax = directives.find((d) => d.getName()?.toLowerCase() === 'syntax')?.getValue() ?? undefined;
  for (const d of directives) {
    if (d.getName()?.toLowerCase() === 'escape' && d.getValue() !== '\\') refusals.push({ ...spanOf(d), message: 'the escape directive has no form in stages.yaml (generated Dockerfiles use \\)' });
  }

  const instructions = dockerfile.getInstructions();
  const firstFrom = instructions.findIndex((i) => i.getKeyword() === 'FROM');
  const globalArgs: [string, string | null][] = [];
  for (const instruction of firstFrom < 0 ? instructions : instructions.slice(0, firstFrom)) {
    if (instruction.getKeyword() !== 'ARG') {
      refusals.push({ ...spanOf(instruction), message: `${instruction.getKeyword()} before the first FROM` });
      continue;
    }
    for (const p of (instruction as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties()) globalArgs.push([p.getName(), p.getValue()]);
  }
  if (firstFrom < 0) refusals.push({ line: 1, column: 1, endLine: 1, endColumn: 1, message: 'no FROM instruction' });

  const froms = instructions.filter((i): i is From => i.getKeyword() === 'FROM');
  const names = nameStages(froms);
  const raws: RawStage[] = [];
  for (const instruction of firstFrom < 0 ? [] : instructions.slice(firstFrom)) {
    if (instruction.getKeyword() === 'FROM') {
      const i = raws.length;
      raws.push({ from: instruction as From, ...names[i]!, instructions: [] });
    } else raws.at(-1)!.instructions.push(instruction);
  }

  // The first FROM's comment block is the stage's when it touches the FROM, else the file's.
  const firstLine = instructions[0]?.getRange().start.line ?? Number.MAX_SAFE_INTEGER;
  // A comment that holds `${{` would read as a stagec expression in a description: it is dropped instead.
  const keep = (block: string[], lines: number[]): string[] => {
    if (!block.some((c) => c.includes('${{'))) return block;
    for (const l of lines) used.delete(l);
    return [];
  };
  const stageDescriptions = raws.map((r) => {
    const before = new Set(used);
    const block = blockAbove(comments, r.from.getRange().start.line, used);
    return keep(block, [...used].filter((l) => !before.has(l)));
  });
  const leadingLines = [...comments.keys()].filter((l) => l < firstLine && !used.has(l));
  leadingLines.forEach((l) => used.add(l));
  const leading = keep(leadingLines.map((l) => comments.get(l)!), leadingLines);

  const stages: ImportedStage[] = [];
  raws.forEach((raw, index) => {
    // Docker resolves FROM and --from names among the stages defined before this one.
    const earlier = raws.slice(0, index);
    const allNames = raws.map((r) => r.name);
    const lookup = (ref: string): unknown => {
      if (/^\d+$/.test(ref) && Number(ref) < index) return raws[Number(ref)]!.name;
      return earlier.find((s) => s.original?.toLowerCase() === ref.toLowerCase())?.name ?? imageRef(ref, allNames);
    };
    if (raw.original && !STAGE_NAME.test(raw.name)) refusals.push({ ...spanOf(raw.from), message: `stage name "${raw.original}" is not one stages.yaml can keep` });
    const body: Doc = { from: fromValue(raw.from, lookup) };
    const platform = raw.from.getPlatformFlag();
    if (platform) body.platform = platform.getValue() ?? '';
    const items: Item[] = raw.instructions.map((i) => mapInstruction(i, lookup));
    for (const item of items) if (item.kind === 'refuse') refusals.push(item.refusal);
    const assembled = assembleStage(body, items, raw.from.getRange().start.line + 1);
    refusals.push(...assembled.refusals);
    const description = stageDescriptions[index]!;
    stages.push({ name: raw.name, ...(raw.original ? { original: raw.original } : {}), ...(description.length ? { description: description.join('\n') } : {}), body: assembled.body, lines: assembled.lines });
  });
  const dropped = [...comments.keys()].filter((l) => !used.has(l)).length;
  return { ...(syntax ? { syntax } : {}), leading, globalArgs, stages, dropped, refusals };
}

/** FROM's base: an earlier stage by name (case-insensitive, as Docker reads it), else an image. */
function fromValue(from: From, lookup: (ref: string) => unknown): unknown {
  return lookup(from.getArguments()[0]?.getValue() ?? '');
}

/** An image reference; in the explicit `{image}` form where stagec would read the bare name as one of the service's stages, or a typo of one. */
export function imageRef(image: string, stageNames: readonly string[]): unknown {
  if (!STAGE_NAME.test(image)) return image;
  return stageNames.includes(image) || closest(image, stageNames) !== undefined ? { image } : image;
}
