import type { LintRule } from '../types';
import { needle, shellRuns } from '../runs';
import { program, subcommand } from '../shell';

export const aptInScript: LintRule = {
  code: 'APT_IN_SCRIPT',
  kind: 'lint',
  severity: 'warning',
  title: '`apt` instead of `apt-get` in RUN',
  doc: "`apt` is the interactive front end: its output and options are not a stable interface (it warns \"apt does not have a stable CLI interface. Use with caution in scripts\"), and it shows progress bars meant for a terminal. Scripts and Dockerfiles use `apt-get` (and `apt-cache`), whose behaviour is kept stable. Like hadolint DL3027.",
  bad: 'steps:\n  - run: apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
  good: 'steps:\n  - run: apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      for (const script of run.scripts) {
        const command = script.commands.find((c) => program(c) === 'apt' && subcommand(c) !== undefined);
        if (!command) continue;
        ctx.report({
          path: script.path,
          within: needle(command),
          message: `${needle(command)}: apt's command line is not stable in scripts`,
          hint: `write apt-get ${subcommand(command)!.word}`,
          stage: run.stage,
          chain: run.origin.chain,
        });
      }
    }
  },
};
