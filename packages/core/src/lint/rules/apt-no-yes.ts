import type { LintRule } from '../types';
import { needle, shellRuns } from '../runs';
import { hasFlag } from '../shell';
import { aptInstalls } from './apt';

export const aptNoYes: LintRule = {
  code: 'APT_NO_YES',
  kind: 'lint',
  severity: 'warning',
  title: 'apt-get install without -y',
  doc: 'A build has no terminal to answer apt\'s "Do you want to continue?", so `apt-get install` without `-y` (or `--yes`, `--assume-yes`, `-qq`) aborts as soon as a package pulls in a dependency, and a base image update can break a build that worked yesterday. Like hadolint DL3014.',
  bad: 'steps:\n  - run: apt-get update && apt-get install --no-install-recommends curl',
  good: 'steps:\n  - run: apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      for (const { script, command } of aptInstalls(run)) {
        if (hasFlag(command.argv, ['--yes', '--assume-yes', '-qq', '--quiet=2'], 'y')) continue;
        ctx.report({
          path: script.path,
          within: needle(command),
          message: `${needle(command)} without -y asks a question no one can answer during a build`,
          hint: `write ${command.argv[0]} install -y`,
          stage: run.stage,
          chain: run.origin.chain,
        });
      }
    }
  },
};
