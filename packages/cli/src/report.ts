import { formatDiagnostic, type Diagnostic } from '@stagec/core';
import { styler, type Io } from './io';

/** All diagnostics of a run, with code frames, then a one-line count. */
export function reportDiagnostics(io: Io, all: readonly Diagnostic[], source?: string): void {
  // --quiet keeps errors only.
  const diagnostics = io.verbosity === 'quiet' ? all.filter((d) => d.severity === 'error') : all;
  if (diagnostics.length === 0) return;
  const style = styler(io);
  for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d, { style, ...(source !== undefined ? { source } : {}) })}\n\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const parts = [errors && style('error', `${errors} error${errors === 1 ? '' : 's'}`), warnings && style('warning', `${warnings} warning${warnings === 1 ? '' : 's'}`)];
  io.stderr.write(`${parts.filter(Boolean).join(', ')}\n`);
}
