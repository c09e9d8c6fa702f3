import type { LintRule } from '../types';
import { hasVariables, imageUses, parseImage, registryAllows } from '../images';
import { imageReport, stageOf } from '../rules/image-tag';

export const policyRegistry: LintRule = {
  code: 'POLICY_REGISTRY',
  kind: 'policy',
  policy: 'allowedRegistries',
  severity: 'error',
  title: 'image from a registry the policy does not allow',
  doc: "`policy.allowedRegistries` lists where external images may come from: a registry (`ghcr.io`) or a registry and repository prefix (`docker.io/library`, `registry.example.com/mirror`). Every FROM image, `COPY --from` image and bind-mount image must match one; Docker Hub names are normalized as Docker does (`node:22` is `docker.io/library/node`). A reference built from variables is judged with its default build-args; one whose variable has no default cannot be checked and is reported.",
  bad: 'policy: { allowedRegistries: [ghcr.io/acme] }\nstages:\n  base: { from: "node:22" }',
  good: 'policy: { allowedRegistries: [ghcr.io/acme, docker.io/library] }\nstages:\n  base: { from: "node:22" }',
  check(ctx) {
    const allowed = ctx.config.policy?.allowedRegistries;
    if (!allowed) return;
    for (const use of imageUses(ctx.service)) {
      const stage = stageOf(ctx, use);
      const common = { ...(stage ? { stage } : {}), chain: use.origin.chain };
      if (use.expanded === undefined) {
        ctx.report({ path: use.origin.path, message: `${use.via} image "${use.written}" cannot be checked against policy.allowedRegistries: a variable in it has no default`, hint: 'give the ARG a default from an allowed registry', ...common });
        continue;
      }
      const image = parseImage(use.expanded);
      if (!image || allowed.some((a) => registryAllows(image, a))) continue;
      const shown = hasVariables(use.written) ? `"${use.written}" (${use.expanded})` : `"${use.written}"`;
      ctx.report({
        ...imageReport(use),
        message: `${use.via} image ${shown} comes from ${image.domain}/${image.repository}, which policy.allowedRegistries does not allow`,
        hint: `use an image from ${allowed.join(', ')}`,
        ...common,
      });
    }
  },
};
