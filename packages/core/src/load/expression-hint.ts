import type { Diagnostic } from '../diagnostics';
import type { SourceIndex } from './source';

/**
 * The offset range of the first `${{ ... }}` written unquoted inside a flow collection
 * (`{ path: ${{ service.path }} }`), where YAML reads its braces as a nested mapping; one
 * linear pass, skipping quoted strings and comments. Undefined when there is none.
 */
export function unquotedExpressionInFlow(text: string): [number, number] | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (c === '$' && text.startsWith('${{', i)) {
      const close = text.indexOf('}}', i);
      const end = close < 0 ? i + 3 : close + 2;
      if (depth > 0) return [i, end];
      i = end - 1;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s,[{:]/.test(text[i - 1]!))) quote = c;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && depth > 0) depth--;
  }
  return undefined;
}

/**
 * An unquoted `${{ }}` in a flow collection makes the parser report a cascade of errors that
 * say nothing of the cause. Replace the YAML_SYNTAX errors from that point on with one that
 * points at the expression and says to quote it; earlier errors are kept.
 */
export function collapseExpressionErrors(text: string, source: SourceIndex, file: string, diagnostics: Diagnostic[]): Diagnostic[] {
  if (!diagnostics.some((d) => d.code === 'YAML_SYNTAX')) return diagnostics;
  const range = unquotedExpressionInFlow(text);
  if (!range) return diagnostics;
  const at = source.offsets(range[0], range[1]);
  // Only when the parser itself stumbles on that line: braces in a block scalar could fool the scan.
  if (!diagnostics.some((d) => d.code === 'YAML_SYNTAX' && d.line === at.line)) return diagnostics;
  const expression = text.slice(range[0], range[1]);
  const kept = diagnostics.filter((d) => d.code !== 'YAML_SYNTAX' || d.line < at.line);
  return [
    ...kept,
    {
      code: 'YAML_SYNTAX',
      severity: 'error',
      message: `${expression} is not quoted inside a flow collection ({ } or [ ]), so YAML reads its braces as a mapping`,
      file,
      ...at,
      hint: `quote it: '${expression}' (or write the mapping in block style)`,
    },
  ];
}
