import type { LintRule } from '../types';
import { imageReport, parsedImages, stageOf } from '../rules/image-tag';

export const policyLatest: LintRule = {
  code: 'POLICY_LATEST',
  kind: 'policy',
  policy: 'forbidLatest',
  severity: 'error',
  title: 'image untagged or tagged latest, forbidden by policy',
  doc: "`policy.forbidLatest: true` makes IMAGE_UNTAGGED and IMAGE_LATEST a platform rule: an external image without a tag, or tagged `latest` without a digest, is a policy finding (an error by default) that `lint.ignore` cannot silence. References are judged with their default build-args.",
  bad: 'policy: { forbidLatest: true }\nstages:\n  base: { from: alpine }',
  good: 'policy: { forbidLatest: true }\nstages:\n  base: { from: "alpine:3.20" }',
  check(ctx) {
    if (ctx.config.policy?.forbidLatest !== true) return;
    for (const { use, image, shown } of parsedImages(ctx)) {
      if (image.digest !== undefined || (image.tag !== undefined && image.tag !== 'latest')) continue;
      const stage = stageOf(ctx, use);
      ctx.report({
        ...imageReport(use),
        message: `${use.via} image ${shown} is ${image.tag ? 'tagged latest' : 'untagged'}, which policy.forbidLatest forbids`,
        hint: 'name a version, or pin a digest with stagec lock',
        ...(stage ? { stage } : {}),
      });
    }
  },
};
