import type { ResolvedService, ResolvedStage } from '../../resolve';
import type { LintRule } from '../types';

/** Label keys of a stage and of the stages it is built from (labels are image config, inherited through FROM). */
function labelsOf(services: readonly ResolvedService[], service: ResolvedService, stage: ResolvedStage, seen = new Set<string>()): Set<string> {
  const keys = new Set(stage.labels.map((l) => l.key));
  const key = `${service.name}/${stage.name}`;
  const base = stage.base.value;
  if (seen.has(key) || base.kind === 'image') return keys;
  seen.add(key);
  const owner = base.kind === 'stage' ? service : services.find((s) => s.name === base.service);
  const parent = owner?.stages.find((s) => s.name === base.stage);
  if (owner && parent) for (const k of labelsOf(services, owner, parent, seen)) keys.add(k);
  return keys;
}

export const policyLabel: LintRule = {
  code: 'POLICY_LABEL',
  kind: 'policy',
  policy: 'requiredLabels',
  severity: 'error',
  title: 'a required label is missing',
  doc: "`policy.requiredLabels` lists label keys every service's default target must carry (an owner, a source URL, `org.opencontainers.image.*`). Labels count from the target stage, `defaults.labels`, the service's `labels` and the stages the target is built `from:`; labels of an external base image cannot be seen and do not count. The finding points at the service; the usual fix is one entry in `defaults.labels`.",
  bad: 'policy: { requiredLabels: [org.opencontainers.image.source] }\nservices:\n  api: { path: apps/api, stages: { runtime: { from: "alpine:3.20" } } }',
  good: 'policy: { requiredLabels: [org.opencontainers.image.source] }\ndefaults:\n  labels: { org.opencontainers.image.source: "${{ service.path }}" }',
  check(ctx) {
    const required = ctx.config.policy?.requiredLabels;
    if (!required?.length) return;
    const target = ctx.service.stages.find((s) => s.name === ctx.service.target);
    if (!target) return;
    const have = labelsOf(ctx.project.services, ctx.service, target);
    const missing = required.filter((k) => !have.has(k));
    if (missing.length === 0) return;
    ctx.report({
      path: ['services', ctx.service.name],
      key: true,
      message: `service "${ctx.service.name}" lacks required label${missing.length === 1 ? '' : 's'} ${missing.join(', ')} on its target "${target.name}"`,
      hint: `add ${missing.map((k) => `${k}: ...`).join(', ')} to defaults.labels or the service's labels`,
      chain: [`services.${ctx.service.name}`],
    });
  },
};
