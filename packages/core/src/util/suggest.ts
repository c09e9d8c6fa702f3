import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `name` within `maxDistance` edits, for "did you mean" hints. Ties go
 * to the candidate nearest in length (a swap of two letters, the commonest typo, keeps the
 * length and costs 2 edits), then alphabetically.
 */
export function closest(name: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestRank: [number, number] = [maxDistance + 1, 0];
  let lower: string | undefined;
  for (const candidate of candidates) {
    // The edit distance is at least the difference in length: most candidates need no distance at all.
    if (candidate === name || Math.abs(candidate.length - name.length) > maxDistance) continue;
    // The name lowered once, not per candidate (a bare `from:` image name is checked against every stage of each service).
    lower ??= name.toLowerCase();
    const rank: [number, number] = [distance(lower, candidate.toLowerCase()), Math.abs(candidate.length - name.length)];
    const better =
      rank[0] < bestRank[0] ||
      (rank[0] === bestRank[0] && best !== undefined && (rank[1] < bestRank[1] || (rank[1] === bestRank[1] && candidate < best)));
    if (better) {
      best = candidate;
      bestRank = rank;
    }
  }
  return best;
}

export const didYouMean = (name: string, candidates: Iterable<string>, maxDistance = 2): string | undefined => {
  const match = closest(name, candidates, maxDistance);
  return match === undefined ? undefined : `did you mean "${match}"?`;
};
