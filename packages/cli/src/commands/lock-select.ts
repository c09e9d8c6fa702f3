import { didYouMean, parseImageName } from '@stagec/core';
import { UsageError } from '../io';

/**
 * `lock --update <image>...`: each name matches references as written (`debian:bookworm-slim`),
 * by normalised name (`docker.io/library/debian:bookworm-slim`), or by repository (`debian`,
 * every tag of it). A name that matches nothing is a usage error with a did-you-mean.
 */
export function selectUpdates(names: readonly string[], references: readonly string[]): Set<string> {
  const selected = new Set<string>();
  for (const name of names) {
    const wanted = parseImageName(name);
    const matches = references.filter((ref) => {
      if (ref === name) return true;
      const parsed = parseImageName(ref);
      if (parsed instanceof Error || wanted instanceof Error) return false;
      const hasTag = /:[^/]*$/.test(name);
      return hasTag ? parsed.canonical === wanted.canonical : parsed.domain === wanted.domain && parsed.repository === wanted.repository;
    });
    if (matches.length === 0) {
      const hint = didYouMean(name, references);
      throw new UsageError(`--update ${name}: no image in stages.yaml matches it${hint ? ` (${hint})` : ''}`);
    }
    for (const m of matches) selected.add(m);
  }
  return selected;
}
