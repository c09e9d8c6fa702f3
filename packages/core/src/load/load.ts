import { LineCounter, parseDocument, type Alias } from 'yaml';
import type { Diagnostic, DiagnosticCode, Position } from '../diagnostics';
import { YAML_OPTIONS } from './cst-tokens';
import { loadLexed } from './lex';
import { collapseExpressionErrors } from './expression-hint';
import { MAX_NESTING_ESTIMATE, nestingEstimateAt } from './nesting';
import { SourceIndex, type Composed } from './source';
import { MAX_ALIAS_COUNT, MAX_DEPTH, walk, type AliasTargets } from './walk';

export interface Loaded {
  /** The document as plain data; undefined when the YAML could not be read. */
  data: unknown;
  source: SourceIndex;
  diagnostics: Diagnostic[];
}

/**
 * Phase 1: YAML text to data, with every node's position kept. Pure: text in, values out.
 * A well-formed file is read by the fast path (lex.ts), whose source index composes yaml's
 * Document only if a later phase asks for a position; anything it declines takes the full
 * path below, which reports every problem with its position.
 */
export function load(text: string, file: string): Loaded {
  return read(text, file, true);
}

/** The full path alone, never the fast one: what the fast path must agree with (its tests). */
export function loadFull(text: string, file: string): Loaded {
  return read(text, file, false);
}

function read(text: string, file: string, fastPath: boolean): Loaded {
  // First, on both paths: the parser must never see absurd nesting.
  const estimate = nestingEstimateAt(text);
  if (estimate.depth > MAX_NESTING_ESTIMATE) {
    const source = new SourceIndex(file, text, undefined, linesOf(text));
    return {
      data: undefined,
      source,
      diagnostics: [
        tooComplex(
          file,
          `the document nests too deep to parse safely (more than ${MAX_NESTING_ESTIMATE} columns of indentation and open brackets; the limit is ${MAX_DEPTH} levels)`,
          source.offsets(estimate.offset, estimate.offset + 1),
        ),
      ],
    };
  }
  const fast = fastPath ? loadLexed(text) : undefined;
  if (fast !== undefined)
    return { data: fast.data, source: SourceIndex.lazy(file, text, () => composed(text, file), fast.typedAsWritten), diagnostics: [] };
  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: lines });
  } catch (error) {
    // The parser recurses per nesting level; absurd nesting must be a diagnostic, not a crash.
    const source = new SourceIndex(file, text, undefined, linesOf(text));
    return {
      data: undefined,
      source,
      diagnostics: [
        tooComplex(file, `cannot parse: ${firstLine((error as Error).message)}`, source.offsets(estimate.offset, estimate.offset + 1)),
      ],
    };
  }
  const targets: AliasTargets = new Map();
  const source = new SourceIndex(file, text, doc, lines, targets);
  // Everything the checks below need, in one walk (it also fills the source's alias targets).
  const walked = walk(doc, source, file, targets);
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    if (error.message.includes('Maximum call stack size exceeded')) {
      if (!diagnostics.some((d) => d.code === 'YAML_TOO_COMPLEX'))
        diagnostics.push(
          tooComplex(file, `the document nests deeper than the parser can follow`, source.offsets(error.pos[0], error.pos[0] + 1)),
        );
      continue;
    }
    const code: DiagnosticCode = error.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : 'YAML_SYNTAX';
    diagnostics.push({
      code,
      severity: 'error',
      message:
        error.code === 'MULTIPLE_DOCS'
          ? 'a second YAML document starts here: stages.yaml holds exactly one (remove this `---` and what follows, or merge it into the first)'
          : firstLine(error.message),
      file,
      ...(error.code === 'MULTIPLE_DOCS'
        ? source.offsets(error.pos[0], error.pos[0] + 3)
        : source.offsets(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1))),
    });
  }
  for (const at of walked.duplicates) {
    diagnostics.push({ code: 'DUPLICATE_KEY', severity: 'error', message: 'Map keys must be unique', file, ...source.offsets(at, at + 1) });
  }
  if (diagnostics.length > 0) return { data: undefined, source, diagnostics: collapseExpressionErrors(text, source, file, diagnostics) };
  const deep = walked.deep;
  if (deep?.range) {
    diagnostics.push(
      tooComplex(file, `mappings and lists nest deeper than ${MAX_DEPTH} levels here`, source.offsets(deep.range[0], deep.range[0] + 1)),
    );
    return { data: undefined, source, diagnostics };
  }
  // Keys that are not strings, and tags: refused before toJS, which would stringify them (and warn on stderr).
  diagnostics.push(...walked.invalid);
  if (diagnostics.length > 0) return { data: undefined, source, diagnostics };

  // The walk built the data as toJS does, unless it met a form it leaves to toJS (or one toJS throws on).
  let data: unknown = walked.data;
  if (!walked.built) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      diagnostics.push(
        tooComplex(file, `aliases expand too much: ${firstLine((error as Error).message)}`, firstAlias(walked.firstAlias, source)),
      );
      return { data: undefined, source, diagnostics };
    }
  }
  // Only aliases can make the data deeper than the text (checked above); the walk measured it, unless it could not.
  if (walked.firstAlias && (Number.isNaN(walked.height) ? depth(data, 0) : walked.height) > MAX_DEPTH) {
    diagnostics.push(
      tooComplex(file, `with aliases expanded, the document nests deeper than ${MAX_DEPTH} levels`, firstAlias(walked.firstAlias, source)),
    );
    return { data: undefined, source, diagnostics };
  }
  if (data === null || data === undefined) {
    diagnostics.push({
      code: 'MISSING_KEY',
      severity: 'error',
      message: 'the file is empty: it needs at least "version: 1"',
      file,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
    });
    return { data: undefined, source, diagnostics };
  }
  return { data, source, diagnostics };
}

/** The Document of a file the fast path read, for positions: parsed as the full path parses it, its aliases linked by the walk. */
function composed(text: string, file: string): Composed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: lines });
  const targets: AliasTargets = new Map();
  // The walk's findings are the fast path's (none); only its alias targets are kept.
  walk(doc, new SourceIndex(file, text, doc, lines, targets), file, targets, false);
  return { doc, lines, targets };
}

function tooComplex(file: string, message: string, at: Position = { line: 1, column: 1, endLine: 1, endColumn: 2 }): Diagnostic {
  return { code: 'YAML_TOO_COMPLEX', severity: 'error', message, file, ...at };
}

/** A LineCounter for text the parser never saw (refused before parsing). */
function linesOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/** Where the first alias is, for diagnostics about what aliases expand to. */
function firstAlias(alias: Alias | undefined, source: SourceIndex): Position | undefined {
  return alias?.range ? source.offsets(alias.range[0], alias.range[1]) : undefined;
}

function depth(value: unknown, level: number): number {
  if (level > MAX_DEPTH || value === null || typeof value !== 'object') return level;
  let max = level;
  for (const child of Object.values(value as object)) {
    max = Math.max(max, depth(child, level + 1));
    if (max > MAX_DEPTH) break;
  }
  return max;
}

const firstLine = (message: string): string => message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
