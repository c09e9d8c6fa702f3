import type { Diagnostic } from './types';

export type Style = 'error' | 'warning' | 'code' | 'dim' | 'bold' | 'caret';

export interface FormatOptions {
  /** The text of the file the diagnostic points into, for the code frame. */
  source?: string;
  /** Adds colour; the CLI passes picocolors on a TTY. Identity by default. */
  style?: (style: Style, text: string) => string;
}

const plain = (_style: Style, text: string): string => text;

/**
 * Renders a diagnostic like a compiler does:
 *
 *   stages.yaml:14:13 error UNKNOWN_STAGE  stage "developmnet" is not defined in service "web"
 *      14 |       from: developmnet
 *         |             ^^^^^^^^^^^ did you mean "development"?
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const style = options.style ?? plain;
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const head = `${style('bold', where)} ${style(d.severity, d.severity)} ${style('code', d.code)}  ${d.message}`;
  const lines = [head];
  const frame = options.source !== undefined && d.line > 0 ? codeFrame(d, options.source, style) : undefined;
  if (frame) lines.push(...frame);
  else if (d.hint) lines.push(`   ${style('dim', 'hint:')} ${d.hint}`);
  for (const r of d.related ?? []) lines.push(`   ${style('dim', `${r.file}:${r.line}:${r.column}`)} ${r.message}`);
  return lines.join('\n');
}

/** The lines of the last source framed: a run's diagnostics all frame the same file, split once. */
let splitCache: { source: string; lines: string[] } | undefined;
const linesOf = (source: string): string[] => {
  if (splitCache?.source !== source) splitCache = { source, lines: source.split(/\r?\n/) };
  return splitCache.lines;
};

function codeFrame(d: Diagnostic, source: string, style: NonNullable<FormatOptions['style']>): string[] | undefined {
  const text = linesOf(source)[d.line - 1];
  if (text === undefined) return undefined;
  const gutter = String(d.line).length + 3;
  const shown = text.replace(/\t/g, ' ');
  const endColumn = d.endLine === d.line ? Math.max(d.endColumn, d.column + 1) : shown.length + 1;
  const width = Math.max(1, Math.min(endColumn, shown.length + 1) - d.column);
  const caret = ' '.repeat(Math.max(0, d.column - 1)) + '^'.repeat(width);
  const hint = d.hint ? ` ${d.hint}` : '';
  return [
    `${style('dim', `${String(d.line).padStart(gutter)} |`)} ${shown}`,
    `${style('dim', `${' '.repeat(gutter)} |`)} ${style('caret', caret)}${hint}`,
  ];
}
