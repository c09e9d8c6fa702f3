import type { LintRule } from '../types';
import { imageReport, parsedImages, stageOf } from './image-tag';

export const imageUntagged: LintRule = {
  code: 'IMAGE_UNTAGGED',
  kind: 'lint',
  severity: 'warning',
  title: 'image without a tag',
  doc: 'An image reference without a tag or digest means `:latest`: whatever the registry serves today, so two builds of the same commit can differ and a rebuild can break without any change in the repository. Name the version you tested (`node:22-bookworm-slim`), or pin a digest with `stagec lock`. A variable (`${NODE_IMAGE}`) is judged by its default value; one with no default is left to the build-args. Like hadolint DL3006.',
  bad: 'stages:\n  base: { from: ubuntu }',
  good: 'stages:\n  base: { from: "ubuntu:24.04" }',
  check(ctx) {
    for (const { use, image, shown } of parsedImages(ctx)) {
      if (image.tag !== undefined || image.digest !== undefined) continue;
      const stage = stageOf(ctx, use);
      ctx.report({
        ...imageReport(use),
        message: `${use.via} image ${shown} has no tag, so it builds whatever :latest is today`,
        hint: `name a version, e.g. "${use.expanded}:<version>", or pin a digest with stagec lock`,
        ...(stage ? { stage } : {}),
      });
    }
  },
};
