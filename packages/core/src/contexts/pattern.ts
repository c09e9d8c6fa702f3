/**
 * Docker's .dockerignore pattern language (moby/patternmatcher), the parts stagec needs to
 * rewrite rules: a line is trimmed, `#` starts a comment, `!` negates, the path is cleaned
 * (no leading `/`, no `./`), and each `/`-separated segment is a Go filepath.Match pattern
 * (`*`, `?`, `[...]`, `\` escapes) or `**` (any number of segments, zero included). A rule
 * applies to a path when it matches the path or one of its parent folders; the last rule
 * that applies wins.
 */
export interface IgnoreRule {
  negated: boolean;
  /** Cleaned segments; `**` kept as its own segment. */
  segments: string[];
  /** The line as written (trimmed), for rules copied through unchanged. */
  text: string;
}

export function parseIgnoreText(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const body = (negated ? line.slice(1) : line).trim();
    const segments = clean(body);
    if (segments.length === 0) continue;
    rules.push({ negated, segments, text: line });
  }
  return rules;
}

/** filepath.Clean, then the leading `/` dropped, as Docker does before matching. */
function clean(pattern: string): string[] {
  const out: string[] = [];
  for (const seg of pattern.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out;
}

/** One segment as a RegExp, by Go's filepath.Match rules (no separator inside a segment). */
export function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\' && i + 1 < segment.length) source += escapeRe(segment[++i]!);
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        source += '\\[';
        continue;
      }
      // Go and JS share `[^...]`, ranges and `\` escapes inside a class.
      source += `[${segment.slice(i + 1, end)}]`;
      i = end;
    } else source += escapeRe(c);
  }
  try {
    return new RegExp(`^${source}$`);
  } catch {
    // A class Go would reject: Docker refuses the whole file; here the segment matches only itself.
    return new RegExp(`^${escapeRe(segment)}$`);
  }
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Word characters and `.@+,=~-` only: no pattern syntax, no leading `#` or `!`, no blank at either end. */
const PLAIN_SEGMENT = /^[\w.@+,=~-]+$/;

/** A literal path segment written so Docker's matcher reads it literally. */
export function literalSegment(name: string): string {
  // Most names (package folders, file names) hold nothing the matcher reads as syntax.
  if (PLAIN_SEGMENT.test(name)) return name;
  // A control character (a newline would end the line) becomes `?`: it matches that character.
  const escaped = name.replace(/[\\*?[]/g, '\\$&').replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, '?');
  // Docker trims each line and reads a leading `#` or `!` as syntax: a class keeps them literal.
  return escaped.replace(/^([#!\s])/, '[$1]').replace(/(\s)$/, '[$1]');
}
