import type { DiagnosticCode } from './codes';

export type Severity = 'error' | 'warning';

/** A place in stages.yaml: 1-based lines and columns, end exclusive. */
export interface Position {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface RelatedLocation extends Position {
  file: string;
  message: string;
}

/**
 * A finding of any phase: a value, never a thrown string. The position (line, column, endLine,
 * endColumn) is all there or all absent: absent for a finding about a whole file (no such file,
 * too large) or about the command line.
 */
export interface Diagnostic extends Partial<Position> {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  file: string;
  hint?: string;
  related?: RelatedLocation[];
  /** The services a finding concerns, where it is about some and not the whole file (so `plan api` shows api's only). */
  services?: string[];
  /** The mistake is in the command line (a service or stage named there), not in a file: the CLI exits 2. */
  usage?: true;
}

/** A diagnostic that points into its file. */
export const hasPosition = (d: Diagnostic): d is Diagnostic & Position => d.line !== undefined;

/** Every error is a command-line mistake: the run is a usage error (exit 2), not a failed check. */
export function isUsageError(diagnostics: readonly Diagnostic[]): boolean {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return errors.length > 0 && errors.every((d) => d.usage === true);
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean => diagnostics.some((d) => d.severity === 'error');

/** Stable order: by position, then code; so reports and golden files never depend on discovery order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}
