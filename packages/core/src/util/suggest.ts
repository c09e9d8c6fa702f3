import { distance } from 'fastest-levenshtein';

/** The candidate closest to `name` within `maxDistance` edits, for "did you mean" hints. */
export function closest(name: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export const didYouMean = (name: string, candidates: Iterable<string>, maxDistance = 2): string | undefined => {
  const match = closest(name, candidates, maxDistance);
  return match === undefined ? undefined : `did you mean "${match}"?`;
};
