import { isCollection, isScalar, type Node } from 'yaml';
import type { Diagnostic, Position } from '../diagnostics';
import type { SourceIndex } from './source';

/**
 * What the YAML library would accept but stages.yaml must not: a mapping key that is not a
 * string (`0x10:` would become service "16", `1e3:` "1000", a collection key a stringified
 * object), and explicit tags (`!!binary`, `!custom`) that turn a value into something no field
 * takes. The walk (walk.ts) finds them; these build the diagnostics, positioned at the key or
 * the tagged value.
 */

/** Tags of YAML's core schema: they only restate a plain value's type. Any other tag is refused. */
export const PLAIN_TAGS: ReadonlySet<string> = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

function at(node: Node | null | undefined, fallback: number, source: SourceIndex): Position {
  const range = node?.range;
  return range ? source.offsets(range[0], Math.max(range[1], range[0] + 1)) : source.offsets(fallback, fallback + 1);
}

/** A key that is not a string; `parentOffset` (where its mapping starts) places a key without a range. */
export function keyNotString(key: Node | null, parentOffset: number, source: SourceIndex, file: string, aliased?: Node): Diagnostic {
  // An alias key (`*a: 1`) is what its anchor holds: described by that, positioned at the alias.
  const read = aliased ?? key;
  const value: unknown = isScalar(read) ? read.value : undefined;
  const what = isCollection(read) ? 'a collection' : value === null || read === null ? 'null' : `the ${typeof value} ${String(value)}`;
  const text = !aliased && isScalar(key) && typeof key.source === 'string' ? key.source : undefined;
  return {
    code: 'INVALID_TYPE',
    severity: 'error',
    message: `mapping keys must be strings; YAML reads this key as ${what}`,
    file,
    ...at(key, parentOffset, source),
    hint: text ? `quote it: "${text}":` : 'use a plain string as the key',
  };
}

/** A node with a tag outside PLAIN_TAGS. */
export function tagNotPlain(node: Node, source: SourceIndex, file: string): Diagnostic {
  const tag = node.tag!;
  const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
  return {
    code: 'INVALID_TYPE',
    severity: 'error',
    message: `the YAML tag ${shown} is not supported: stages.yaml takes plain strings, numbers, booleans, lists and mappings`,
    file,
    ...at(node, 0, source),
    hint: 'remove the tag and write the value plainly',
  };
}
