import { isAlias, isCollection, isMap, isScalar, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import type { SourceIndex } from './source';

/** Tags of YAML's core schema: they only restate a plain value's type. Any other tag is refused. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * What the YAML library would accept but stages.yaml must not: a mapping key that is not a
 * string (`0x10:` would become service "16", `1e3:` "1000", a collection key a stringified
 * object), and explicit tags (`!!binary`, `!custom`) that turn a value into something no field
 * takes. One linear visit; positions at the key or tagged value.
 */
export function nodeChecks(doc: Document, source: SourceIndex, file: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  const at = (node: Node | null | undefined, fallback: number): ReturnType<SourceIndex['offsets']> => {
    const range = node?.range;
    return range ? source.offsets(range[0], Math.max(range[1], range[0] + 1)) : source.offsets(fallback, fallback + 1);
  };
  visit(doc, {
    Pair(_, pair, path) {
      const key = pair.key as Node | null;
      // A merge key (`<<`) is a symbol once `merge` is on; its value is checked where it is defined.
      if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'symbol')) return;
      if (isAlias(key)) return; // an alias key resolves to its anchor, checked there
      const parent = path.at(-1);
      const offset = isMap(parent) && parent.range ? parent.range[0] : 0;
      const value: unknown = isScalar(key) ? key.value : undefined;
      const what = isCollection(key) ? 'a collection' : value === null || key === null ? 'null' : `the ${typeof value} ${String(value)}`;
      const text = isScalar(key) && typeof key.source === 'string' ? key.source : undefined;
      found.push({
        code: 'INVALID_TYPE',
        severity: 'error',
        message: `mapping keys must be strings; YAML reads this key as ${what}`,
        file,
        ...at(key, offset),
        hint: text ? `quote it: "${text}":` : 'use a plain string as the key',
      });
    },
    Node(_, node) {
      const tag = (node as { tag?: string }).tag;
      if (tag === undefined || PLAIN_TAGS.has(tag) || isAlias(node)) return;
      const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
      found.push({
        code: 'INVALID_TYPE',
        severity: 'error',
        message: `the YAML tag ${shown} is not supported: stages.yaml takes plain strings, numbers, booleans, lists and mappings`,
        file,
        ...at(node, 0),
        hint: 'remove the tag and write the value plainly',
      });
    },
  });
  return found;
}
