import type { LintRule } from '../types';
import { imageReport, parsedImages, stageOf } from './image-tag';

export const imageLatest: LintRule = {
  code: 'IMAGE_LATEST',
  kind: 'lint',
  severity: 'warning',
  title: 'image tagged latest',
  doc: 'The `latest` tag moves: every push to the image replaces it, so builds stop being reproducible and a base-image upgrade arrives unannounced. Use a tag that names a version (`python:3.12-slim`) or pin a digest; a digest next to `latest` (`node:latest@sha256:...`) is pinned and not reported. Like hadolint DL3007.',
  bad: 'stages:\n  base: { from: "node:latest" }',
  good: 'stages:\n  base: { from: "node:22-bookworm-slim" }',
  check(ctx) {
    for (const { use, image, shown } of parsedImages(ctx)) {
      if (image.tag !== 'latest' || image.digest !== undefined) continue;
      const stage = stageOf(ctx, use);
      ctx.report({
        ...imageReport(use),
        within: ':latest',
        message: `${use.via} image ${shown} uses the moving tag latest`,
        hint: 'name a version instead of latest, or pin a digest with stagec lock',
        ...(stage ? { stage } : {}),
      });
    }
  },
};
