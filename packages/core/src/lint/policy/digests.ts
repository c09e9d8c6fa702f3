import type { LintRule } from '../types';
import { hasVariables, imageUses, isPinned } from '../images';
import { stageOf } from '../rules/image-tag';

export const policyDigest: LintRule = {
  code: 'POLICY_DIGEST',
  kind: 'policy',
  policy: 'requireDigests',
  severity: 'error',
  title: 'image not pinned to a digest',
  doc: "With `policy.requireDigests: true`, every external image must be pinned to a content digest (`debian:bookworm-slim@sha256:...`), so a build pulls exactly the bytes that were reviewed. `stagec lock` resolves digests into stages.lock. A reference pinned by an entry in stages.lock counts (lint compiles with the lock, as `compile` does). A reference with variables (`node:${NODE_VERSION}`) cannot be pinned, since a build-arg could change it, and is always reported: pin the full reference in the ARG's default instead.",
  bad: 'policy: { requireDigests: true }\nstages:\n  base: { from: "debian:bookworm-slim" }',
  good: 'policy: { requireDigests: true }\nstages:\n  base: { from: "debian:bookworm-slim@sha256:b1a741487078b369e78119849663d7f1a5341ef2768798f7b7406c4240f86aef" }',
  check(ctx) {
    if (ctx.config.policy?.requireDigests !== true) return;
    for (const use of imageUses(ctx.service)) {
      if (!hasVariables(use.written) && isPinned(use.written)) continue;
      const stage = stageOf(ctx, use);
      ctx.report({
        path: use.origin.path,
        message: hasVariables(use.written)
          ? `${use.via} image "${use.written}" has variables, so it cannot be pinned to a digest`
          : `${use.via} image "${use.written}" is not pinned to a digest`,
        hint: hasVariables(use.written) ? 'write the reference without variables and run stagec lock' : 'run stagec lock, or append @sha256:<digest>',
        ...(stage ? { stage } : {}),
        chain: use.origin.chain,
      });
    }
  },
};
