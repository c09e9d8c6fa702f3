import type { LintRule } from '../types';
import { needle, shellRuns } from '../runs';
import { aptInstalls } from './apt';

export const aptRecommends: LintRule = {
  code: 'APT_RECOMMENDS',
  kind: 'lint',
  severity: 'warning',
  title: 'apt-get install without --no-install-recommends',
  doc: 'By default apt also installs every package the requested ones merely recommend: often tens of megabytes of documentation, X libraries and tools the image never runs, each a size and vulnerability-scan cost. `--no-install-recommends` (or `-o APT::Install-Recommends=false`) installs what was asked for; name any recommended package you do need. Like hadolint DL3015.',
  bad: 'steps:\n  - run: apt-get install -y python3',
  good: 'steps:\n  - run: apt-get install -y --no-install-recommends python3',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      for (const { script, command } of aptInstalls(run)) {
        const argv = command.argv;
        if (argv.includes('--no-install-recommends') || argv.some((w) => /^APT::Install-Recommends=(false|0|no)$/i.test(w))) continue;
        ctx.report({
          path: script.path,
          within: needle(command),
          message: `${needle(command)} also installs every recommended package`,
          hint: 'add --no-install-recommends and name the recommended packages you need',
          stage: run.stage,
          chain: run.origin.chain,
        });
      }
    }
  },
};
