import { decline } from './cst-tokens';

/**
 * A mapping being built by the fast path (lex.ts) as yaml's addPairToJSMap builds it:
 * a key the object already has (on it or its prototype: `__proto__`, `toString`) is defined as
 * an own property, never assigned through; merged keys go in only where the mapping lacks
 * them. A key given twice declines (DUPLICATE_KEY on the full path); one replacing a merged
 * key does not.
 */
export class Pairs {
  /** The mapping's own keys, kept once a merge made the object's own keys differ from them. */
  private own: Set<string> | undefined;

  constructor(readonly map: Record<string, unknown>) {}

  set(name: string, value: unknown): void {
    const map = this.map;
    if (this.own) {
      if (this.own.has(name)) decline();
      this.own.add(name);
    } else if (Object.prototype.hasOwnProperty.call(map, name)) decline();
    if (name in map) Object.defineProperty(map, name, { value, writable: true, enumerable: true, configurable: true });
    else map[name] = value;
  }

  /** mergeValue: the source's entries the mapping does not have yet. */
  merge(source: Record<string, unknown>): void {
    const map = this.map;
    this.own ??= new Set(Object.keys(map));
    for (const name of Object.keys(source)) {
      if (Object.prototype.hasOwnProperty.call(map, name)) continue;
      Object.defineProperty(map, name, { value: source[name], writable: true, enumerable: true, configurable: true });
    }
  }
}
