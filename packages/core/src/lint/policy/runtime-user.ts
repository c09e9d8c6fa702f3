import type { Origin, ResolvedService, ResolvedStage, StageRef } from '../../resolve';
import type { LintRule, RuleContext } from '../types';
import { expandArgs, hasVariables, isScratch, parseImage } from '../images';

/** The user an image stage runs as: its own, else the one it inherits through stagec stages. */
type Runtime =
  | { kind: 'user'; user: string; origin: Origin; stage: ResolvedStage }
  | { kind: 'image'; image: string; origin: Origin; stage: ResolvedStage; listed: boolean };

function lastUser(stage: ResolvedStage): { user: string; origin: Origin } | undefined {
  // The stage's `user` field is emitted after the steps, so it wins over any user step.
  if (stage.user) return { user: stage.user.value, origin: stage.user.origin };
  const step = [...stage.steps].reverse().find((s) => s.value.kind === 'user');
  return step && step.value.kind === 'user' ? { user: step.value.user, origin: { ...step.origin, path: [...step.origin.path, 'user'] } } : undefined;
}

function sameImage(reference: string, listed: string): boolean {
  const a = parseImage(reference);
  const b = parseImage(listed);
  if (!a || !b || a.domain !== b.domain || a.repository !== b.repository) return false;
  if (b.digest) return a.digest === b.digest;
  return b.tag === undefined || a.tag === b.tag;
}

export function runtimeOf(ctx: RuleContext, service: ResolvedService, stage: ResolvedStage, seen = new Set<string>()): Runtime | undefined {
  const own = lastUser(stage);
  if (own) return { kind: 'user', ...own, stage };
  const key = `${service.name}/${stage.name}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const base: StageRef = stage.base.value;
  if (base.kind === 'image') {
    const expanded = expandArgs(base.image, service.globalArgs).expanded ?? base.image;
    const listed = !isScratch(expanded) && (ctx.config.policy?.nonRootImages ?? []).some((n) => sameImage(expanded, n));
    return { kind: 'image', image: base.image, origin: stage.base.origin, stage, listed };
  }
  const owner = base.kind === 'stage' ? service : ctx.project.services.find((s) => s.name === base.service);
  const parent = owner?.stages.find((s) => s.name === base.stage);
  return owner && parent ? runtimeOf(ctx, owner, parent, seen) : undefined;
}

const isRoot = (user: string): boolean => /^(root|0)(:.*)?$/.test(user.trim());

export const policyRootRuntime: LintRule = {
  code: 'POLICY_ROOT_RUNTIME',
  kind: 'policy',
  policy: 'requireNonRootRuntime',
  severity: 'error',
  title: 'the default target runs as root',
  doc: "With `policy.requireNonRootRuntime: true`, each service's default target must run as a non-root user: its own `user` (field or step), or one inherited through the stages it is built `from:` (in the service, or another service's stage). A base image counts as non-root only when it is listed in `policy.nonRootImages` (an entry without a tag matches every tag), since stagec cannot see an image's USER; `scratch` runs as root. A user that comes from a variable cannot be checked and is reported.",
  bad: 'policy: { requireNonRootRuntime: true }\nstages:\n  runtime: { from: "node:22-slim" }',
  good: 'policy: { requireNonRootRuntime: true }\nstages:\n  runtime: { from: "node:22-slim", user: node }',
  check(ctx) {
    if (ctx.config.policy?.requireNonRootRuntime !== true) return;
    const target = ctx.service.stages.find((s) => s.name === ctx.service.target);
    if (!target) return;
    const runtime = runtimeOf(ctx, ctx.service, target);
    if (!runtime) return;
    // Messages name no service: one value shared by many services is one finding listing them.
    if (runtime.kind === 'image') {
      if (runtime.listed) return;
      ctx.report({
        path: runtime.origin.path,
        message: isScratch(runtime.image)
          ? 'a default target built on scratch runs as root (uid 0): scratch has no user of its own'
          : `a default target runs as the default user of "${runtime.image}", which is root unless the image is listed in policy.nonRootImages`,
        hint: isScratch(runtime.image) ? 'set user: to a non-root uid, e.g. "65532:65532"' : 'set user: to a non-root user on the target, or list the image in policy.nonRootImages',
        stage: target,
        chain: runtime.origin.chain,
      });
    } else if (isRoot(runtime.user) || hasVariables(runtime.user)) {
      ctx.report({
        path: runtime.origin.path,
        message: hasVariables(runtime.user)
          ? `a default target runs as "${runtime.user}", which depends on a build-arg and cannot be shown to be non-root`
          : `a default target runs as root (user "${runtime.user}")`,
        hint: 'set user: to a non-root user (a name or a uid such as "65532")',
        stage: target,
        chain: runtime.origin.chain,
      });
    }
  },
};
