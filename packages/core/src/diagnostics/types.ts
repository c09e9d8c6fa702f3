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

/** A finding of any phase: a value, never a thrown string. */
export interface Diagnostic extends Position {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  file: string;
  hint?: string;
  related?: RelatedLocation[];
  /** The services a finding concerns, where it is about some and not the whole file (so `plan api` shows api's only). */
  services?: string[];
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');

/** Stable order: by position, then code; so reports and golden files never depend on discovery order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}
