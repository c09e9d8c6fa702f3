import { isAlias, isCollection, isPair, type Alias, type Node } from 'yaml';

/** Each alias's anchored node: the last node with that anchor before the alias, in document order. */
export type AliasTargets = Map<Alias, Node | undefined>;

/**
 * What yaml's toJS keeps per anchored node (`ctx.anchors`): the value it became, how often it
 * was used and how many aliases it holds, whose product is bounded (alias bombs). `height` is
 * ours: how deep the value nests (Infinity while it is still being built, so an alias inside
 * its own anchor counts as endless; NaN when unknown).
 */
export interface Anchored {
  res: unknown;
  count: number;
  aliasCount: number;
  height: number;
}

/** Thrown to give up building data in the walk; the loader then takes yaml's own toJS. */
export class Fallback extends Error {}

/** The same bound, with the same message, as yaml's toJS with `maxAliasCount`. */
export function countUse(
  data: Anchored,
  anchored: Node,
  maxAliasCount: number,
  targets: AliasTargets,
  anchors: Map<unknown, Anchored>,
): void {
  data.count += 1;
  if (data.aliasCount === 0) data.aliasCount = aliasCount(anchored, targets, anchors);
  if (data.count * data.aliasCount > maxAliasCount)
    throw new ReferenceError('Excessive alias count indicates a resource exhaustion attack');
}

/** yaml's getAliasCount, with the walk's alias targets in place of a visit of the document per alias. */
function aliasCount(node: unknown, targets: AliasTargets, anchors: Map<unknown, Anchored>): number {
  if (isAlias(node)) {
    // An alias the walk has not reached yet (inside an anchor still being built): leave it to yaml.
    if (!targets.has(node)) throw new Fallback();
    const target = targets.get(node);
    const anchor = target && anchors.get(target);
    return anchor ? anchor.count * anchor.aliasCount : 0;
  }
  if (isCollection(node)) {
    let count = 0;
    for (const item of node.items) {
      const c = aliasCount(item, targets, anchors);
      if (c > count) count = c;
    }
    return count;
  }
  if (isPair(node)) return Math.max(aliasCount(node.key, targets, anchors), aliasCount(node.value, targets, anchors));
  return 1;
}
