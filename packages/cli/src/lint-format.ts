import { formatDiagnostic, type LintFinding, type Severity, type Style } from '@stagec/core';

export type LintFormat = 'text' | 'json' | 'github';

export interface LintReport {
  file: string;
  services: string[];
  failOn: Severity;
  findings: LintFinding[];
}

const count = (findings: readonly LintFinding[], severity: Severity): number => findings.filter((f) => f.severity === severity).length;

/** Any finding at or above --fail-on: an error always counts, a warning only with --fail-on warning. */
export const fails = (findings: readonly LintFinding[], failOn: Severity): boolean =>
  findings.some((f) => f.severity === 'error' || failOn === 'warning');

/** Compiler-style findings with code frames, then which services each affects and the template chain. */
export function formatText(report: LintReport, source: string, style: (s: Style, t: string) => string): string {
  const out: string[] = [];
  for (const f of report.findings) {
    const lines = [formatDiagnostic(f, { source, style })];
    lines.push(`   ${style('dim', `${f.services.length === 1 ? 'service' : 'services'}:`)} ${f.services.join(', ')}${f.kind === 'policy' ? style('dim', '  (policy)') : ''}`);
    if (f.chain.length > 0) lines.push(`   ${style('dim', `via ${f.chain.join(' > ')}`)}`);
    out.push(lines.join('\n'), '');
  }
  const errors = count(report.findings, 'error');
  const warnings = count(report.findings, 'warning');
  const scope = `${report.services.length} service${report.services.length === 1 ? '' : 's'}`;
  if (report.findings.length === 0) out.push(`${report.file}: no findings (${scope})`);
  else {
    const parts = [errors && style('error', `${errors} error${errors === 1 ? '' : 's'}`), warnings && style('warning', `${warnings} warning${warnings === 1 ? '' : 's'}`)];
    out.push(`${parts.filter(Boolean).join(', ')} in ${scope}`);
  }
  return `${out.join('\n')}\n`;
}

/** The shape docs/lint.md documents: stable keys, one object per finding. */
export function formatJson(report: LintReport): string {
  const body = {
    ok: !fails(report.findings, report.failOn),
    file: report.file,
    failOn: report.failOn,
    services: report.services,
    counts: { error: count(report.findings, 'error'), warning: count(report.findings, 'warning') },
    findings: report.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      kind: f.kind,
      message: f.message,
      hint: f.hint ?? null,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      path: f.path,
      services: f.services,
      chain: f.chain,
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

// GitHub workflow commands: data escapes %, CR and LF; property values also : and ,.
export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error file=...,line=...::message` (or `::warning`) annotation per finding. */
export function formatGithub(report: LintReport): string {
  return report.findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.file)}`,
        `line=${f.line}`,
        `endLine=${f.endLine}`,
        `col=${f.column}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(`${f.code} (${f.services.join(', ')})`)}`,
      ];
      const message = [f.message, ...(f.hint ? [`hint: ${f.hint}`] : []), ...(f.chain.length ? [`via ${f.chain.join(' > ')}`] : [])].join('\n');
      return `::${f.severity} ${props.join(',')}::${escapeData(message)}\n`;
    })
    .join('');
}
