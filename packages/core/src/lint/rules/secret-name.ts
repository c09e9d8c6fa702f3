import type { Entry, ResolvedStage } from '../../resolve';
import type { LintRule } from '../types';

// BuildKit's SecretsUsedInArgOrEnv words, matched as whole `_`-separated parts of the name.
const SECRET = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const ALLOWED = /(?:_|^)(?:public)(?:_|$)/i;

export const looksSecret = (name: string): boolean => SECRET.test(name) && !ALLOWED.test(name);

export const secretName: LintRule = {
  code: 'SECRET_IN_ARG_OR_ENV',
  kind: 'lint',
  severity: 'warning',
  title: 'ARG or ENV name that looks like a secret',
  doc: "ARG and ENV values are stored in the image's history and config, where anyone who can pull the image (or read the build cache) can read them: `docker history` shows a build-arg token in plain text. Pass secrets to the steps that need them as secret mounts (`run: {command: ..., secrets: [npm_token]}` with the source in `build.secrets`), which never enter a layer. Names are matched as BuildKit's SecretsUsedInArgOrEnv check does: a `_`-separated part that is TOKEN, PASSWORD, PASSWD, PWORD, SECRET, KEY, APIKEY, AUTH or CREDENTIAL(S), unless a part is PUBLIC.",
  bad: 'args: { NPM_TOKEN: "" }',
  good: "steps:\n  - run: { command: 'NPM_TOKEN=\"$(cat /run/secrets/npm_token)\" npm ci', secrets: [npm_token] }",
  check(ctx) {
    const report = (entry: Entry, kind: 'ARG' | 'ENV', stage?: ResolvedStage): void => {
      if (!looksSecret(entry.key)) return;
      ctx.report({
        path: entry.origin.path,
        key: true,
        message: `${kind} ${entry.key} looks like a secret; its value is kept in the image's history`,
        hint: `pass it as a secret mount (run: {secrets: [...]}) instead of an ${kind}`,
        ...(stage ? { stage } : {}),
        chain: entry.origin.chain,
      });
    };
    for (const arg of ctx.service.globalArgs) report(arg, 'ARG');
    for (const stage of ctx.service.stages) {
      stage.args.forEach((a) => report(a, 'ARG', stage));
      stage.env.forEach((e) => report(e, 'ENV', stage));
      for (const { value: step } of stage.steps) {
        if (step.kind === 'arg') step.entries.forEach((a) => report(a, 'ARG', stage));
        if (step.kind === 'env') step.entries.forEach((e) => report(e, 'ENV', stage));
      }
    }
  },
};
