import { isMap, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { Diagnostic, DiagnosticCode } from '../diagnostics';
import { collapseExpressionErrors } from './expression-hint';
import { SourceIndex } from './source';

export interface Loaded {
  /** The document as plain data; undefined when the YAML could not be read. */
  data: unknown;
  source: SourceIndex;
  diagnostics: Diagnostic[];
}

/** Bounds that keep hostile YAML (alias bombs, absurd nesting) from exhausting time or memory. */
const MAX_ALIAS_COUNT = 1000;
const MAX_DEPTH = 64;
const MAX_NESTING_ESTIMATE = 400;

/**
 * An over-estimate of how deep a document nests (indentation, compact `- - x` sequences, open
 * flow brackets outside quotes and comments), computed in one linear pass. The YAML parser
 * recurses per level and, near the stack limit, V8 can abort the whole process while compiling
 * a regular expression; so absurd nesting is refused before parsing.
 */
export function nestingEstimate(text: string): number {
  let flow = 0;
  let max = 0;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    let dashes = 0;
    let leading = true; // still in the `- - ` run that opens the line
    let quote: string | undefined;
    for (let i = indent; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if ((c === '-' || c === '?') && leading && (line[i + 1] === ' ' || i + 1 === line.length)) {
        dashes++;
        continue;
      }
      if (c !== ' ' && c !== '\t') leading = false;
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      if (c === '"' || c === "'") quote = c;
      else if (c === '[' || c === '{') max = Math.max(max, indent + dashes + ++flow);
      else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
    }
    max = Math.max(max, indent + dashes + flow);
  }
  return max;
}

/** Phase 1: YAML text to data, with every node's position kept. Pure: text in, values out. */
export function load(text: string, file: string): Loaded {
  const lines = new LineCounter();
  if (nestingEstimate(text) > MAX_NESTING_ESTIMATE) {
    return {
      data: undefined,
      source: new SourceIndex(file, text, undefined, lines),
      diagnostics: [tooComplex(file, `the document nests deeper than ${MAX_NESTING_ESTIMATE} levels (counting indentation)`)],
    };
  }
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  } catch (error) {
    // The parser recurses per nesting level; absurd nesting must be a diagnostic, not a crash.
    return { data: undefined, source: new SourceIndex(file, text, undefined, lines), diagnostics: [tooComplex(file, `cannot parse: ${firstLine((error as Error).message)}`)] };
  }
  const source = new SourceIndex(file, text, doc, lines);
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    if (error.message.includes('Maximum call stack size exceeded')) {
      if (!diagnostics.some((d) => d.code === 'YAML_TOO_COMPLEX')) diagnostics.push(tooComplex(file, `the document nests deeper than the parser can follow`));
      continue;
    }
    const code: DiagnosticCode = error.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : 'YAML_SYNTAX';
    diagnostics.push({
      code,
      severity: 'error',
      message: firstLine(error.message),
      file,
      ...source.offsets(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)),
    });
  }
  for (const at of duplicateKeys(doc)) {
    diagnostics.push({ code: 'DUPLICATE_KEY', severity: 'error', message: 'Map keys must be unique', file, ...source.offsets(at, at + 1) });
  }
  if (diagnostics.length > 0) return { data: undefined, source, diagnostics: collapseExpressionErrors(text, source, file, diagnostics) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    diagnostics.push(tooComplex(file, `aliases expand too much: ${firstLine((error as Error).message)}`));
    return { data: undefined, source, diagnostics };
  }
  if (depth(data, 0) > MAX_DEPTH) {
    diagnostics.push(tooComplex(file, `the document nests deeper than ${MAX_DEPTH} levels`));
    return { data: undefined, source, diagnostics };
  }
  if (data === null || data === undefined) {
    diagnostics.push({ code: 'MISSING_KEY', severity: 'error', message: 'the file is empty: it needs at least "version: 1"', file, line: 1, column: 1, endLine: 1, endColumn: 1 });
    return { data: undefined, source, diagnostics };
  }
  return { data, source, diagnostics };
}

/**
 * Offsets of keys that repeat an earlier key of the same mapping. The yaml library can check
 * this itself (`uniqueKeys`), but by comparing each key with every earlier one, which is
 * quadratic in a mapping's size: a services map of 20,000 entries took seconds.
 */
function duplicateKeys(doc: Document): number[] {
  const found: number[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const value: unknown = pair.key.value;
        if (seen.has(value)) found.push(pair.key.range?.[0] ?? 0);
        else seen.add(value);
      }
    },
  });
  return found;
}

function tooComplex(file: string, message: string): Diagnostic {
  return { code: 'YAML_TOO_COMPLEX', severity: 'error', message, file, line: 1, column: 1, endLine: 1, endColumn: 1 };
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
