import type { RuleContext, Report } from '../types';
import { imageUses, parseImage, type ImageName, type ImageUse } from '../images';

/**
 * Where a tag finding belongs: the global ARG whose value supplied the reference when there
 * is one (that is the line to change), else the reference as written.
 */
export function imageReport(use: ImageUse): Pick<Report, 'path' | 'chain'> {
  const arg = use.args.at(-1);
  return arg ? { path: arg.origin.path, chain: use.origin.chain } : { path: use.origin.path, chain: use.origin.chain };
}

/** Each external image with the default build-args, parsed; references whose variables have no default are skipped. */
export function* parsedImages(ctx: RuleContext): Generator<{ use: ImageUse; image: ImageName; shown: string }> {
  for (const use of imageUses(ctx.service)) {
    if (use.expanded === undefined) continue;
    const image = parseImage(use.expanded);
    if (!image) continue;
    const shown = use.expanded === use.written ? `"${use.written}"` : `"${use.written}" (${use.expanded} with the default build-args)`;
    yield { use, image, shown };
  }
}

const startsWith = (path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean => prefix.every((p, i) => path[i] === p);

/** The stage an image use belongs to: its FROM, or the step (COPY --from, a bind mount) it was written in. */
export const stageOf = (ctx: RuleContext, use: ImageUse) =>
  ctx.service.stages.find((s) => s.base.origin === use.origin || s.steps.some((st) => st.origin.chain === use.origin.chain && startsWith(use.origin.path, st.origin.path)));
