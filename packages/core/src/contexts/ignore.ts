import { configRelativeTo, markerLine } from '../emit/header';
import { literalSegment, parseIgnoreText, segmentRegExp, type IgnoreRule } from './pattern';

/**
 * The text of a Dockerfile-specific ignore file (`<dockerfile>.dockerignore`, which BuildKit
 * reads instead of the context's `.dockerignore`) that keeps exactly the context set:
 * a path is sent when the context's own `.dockerignore` sends it AND it lies in the set.
 *
 * Docker's rules apply to a path and everything under it, and the last rule that applies wins,
 * so the order is: first everything outside the set (`*`, then `!` re-includes, re-including a
 * folder and excluding its other entries on the way down), then the context's rules. Its
 * exclusions are copied as written (excluding more can never add a path); its re-includes are
 * narrowed to the set, since `!README.md` after the set rules would bring back a file outside
 * it. Putting the context's rules first instead would not work: `!apps/api` would re-include
 * `apps/api/node_modules`.
 */
export function ignoreFileText(options: {
  /** Context-relative paths (posix, no trailing slash): folders and files sent whole. */
  entries: readonly string[];
  /** The context's `.dockerignore`, if it has one. */
  base?: string;
  /** Comment lines for the top (the generated marker). */
  header: readonly string[];
  /** Entries known to be plain files: a re-include can reach nothing below them. */
  files?: readonly string[];
}): string {
  const entries = minimalEntries(options.entries);
  const files = new Set(options.files ?? []);
  const lines = [...options.header.map((h) => `# ${h}`), '', '# Everything outside the context set:', ...setRules(entries)];
  const rules = parseIgnoreText(options.base ?? '');
  if (rules.length > 0) {
    lines.push('', "# The context's .dockerignore (re-includes narrowed to the context set):");
    for (const rule of rules) lines.push(...carry(rule, entries, files));
  }
  return `${lines.join('\n')}\n`;
}

const join = (segments: readonly string[]): string => segments.map(literalSegment).join('/');

/** Sorted, deduplicated, and without entries inside another entry. */
function minimalEntries(entries: readonly string[]): string[][] {
  const split = [...new Set(entries)].map((e) => e.split('/').filter((s) => s !== '' && s !== '.')).sort((a, b) => (a.join('/') < b.join('/') ? -1 : 1));
  return split.filter((e, i) => !split.some((o, j) => j !== i && o.length < e.length && o.every((s, k) => s === e[k])));
}

interface Trie {
  whole: boolean;
  children: Map<string, Trie>;
}

function setRules(entries: readonly string[][]): string[] {
  const root: Trie = { whole: false, children: new Map() };
  for (const entry of entries) {
    let node = root;
    for (const segment of entry) {
      let next = node.children.get(segment);
      if (!next) node.children.set(segment, (next = { whole: false, children: new Map() }));
      node = next;
    }
    node.whole = true;
  }
  const lines = ['*'];
  const walk = (node: Trie, prefix: string[]): void => {
    for (const name of [...node.children.keys()].sort()) {
      const child = node.children.get(name)!;
      const path = [...prefix, name];
      // Re-include the folder, then exclude what in it is not on the way to an entry.
      lines.push(`!${join(path)}`);
      if (child.whole) continue;
      lines.push(`${join(path)}/*`);
      walk(child, path);
    }
  };
  walk(root, []);
  return lines;
}

/** A rule of the context's .dockerignore, as it goes after the set rules. */
function carry(rule: IgnoreRule, entries: readonly string[][], files: ReadonlySet<string>): string[] {
  if (!rule.negated) return [rule.text];
  const out: string[] = [];
  for (const entry of entries) {
    const literal = join(entry);
    const file = files.has(entry.join('/'));
    for (const narrowed of restrict(rule.segments, entry)) if (!file || narrowed === literal) out.push(`!${narrowed}`);
  }
  return [...new Set(out)];
}

/**
 * Patterns that match, under `entry`, exactly what `pattern` matches there: the entry itself
 * when the pattern matches it or a folder above it (Docker applies a rule to everything
 * below a match), else the entry's path followed by what remains of the pattern once the
 * entry's segments are consumed (`**` may take none, one or several of them).
 */
export function restrict(pattern: readonly string[], entry: readonly string[]): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const literal = join(entry);
  const explore = (pi: number, ei: number): void => {
    const key = `${pi},${ei}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (pi === pattern.length) {
      found.add(literal);
      return;
    }
    if (ei === entry.length) {
      found.add(`${literal}/${pattern.slice(pi).join('/')}`);
      return;
    }
    const segment = pattern[pi]!;
    if (segment === '**') {
      explore(pi + 1, ei);
      explore(pi, ei + 1);
    } else if (segmentRegExp(segment).test(entry[ei]!)) explore(pi + 1, ei + 1);
  };
  explore(0, 0);
  // The whole entry covers every narrower pattern.
  return found.has(literal) ? [literal] : [...found].sort();
}

/**
 * The ignore file of a pruned context, with the generated header (compile writes it, --check
 * compares it). Its marker names the config by path like a Dockerfile's, so an ignore file that
 * no service writes any more is an orphan for `compile --check` and `--prune`.
 */
export function emitIgnoreFile(
  pruned: { service: string; entries: readonly string[]; context: string; ignoreFile: string; files?: readonly string[] },
  base: string | undefined,
  configName = 'stages.yaml',
): string {
  // Comment text is one line each: no control character may end it early.
  const clean = (text: string): string => text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, '?');
  return ignoreFileText({
    entries: pruned.entries,
    ...(pruned.files ? { files: pruned.files } : {}),
    ...(base !== undefined ? { base } : {}),
    header: [
      clean(markerLine(configRelativeTo(pruned.ignoreFile, configName), pruned.service)).slice(2),
      'change that file and run `stagec compile`. BuildKit reads this file instead of',
      `${clean(pruned.context === '.' ? '' : `${pruned.context}/`)}.dockerignore when it builds with the Dockerfile next to it.`,
    ],
  });
}
