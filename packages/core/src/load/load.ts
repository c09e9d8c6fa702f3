import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic, DiagnosticCode } from '../diagnostics';
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

/** Phase 1: YAML text to data, with every node's position kept. Pure: text in, values out. */
export function load(text: string, file: string): Loaded {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  const source = new SourceIndex(file, text, doc, lines);
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const code: DiagnosticCode = error.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : 'YAML_SYNTAX';
    diagnostics.push({
      code,
      severity: 'error',
      message: firstLine(error.message),
      file,
      ...source.offsets(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)),
    });
  }
  if (diagnostics.length > 0) return { data: undefined, source, diagnostics };

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
  return { data: data ?? {}, source, diagnostics };
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
