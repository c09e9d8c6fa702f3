import type { LintRule } from '../types';
import { needle, shellRuns } from '../runs';
import { program } from '../shell';

export const sudoInRun: LintRule = {
  code: 'SUDO_IN_RUN',
  kind: 'lint',
  severity: 'warning',
  title: '`sudo` in RUN',
  doc: "RUN already runs as the stage's USER; `sudo` adds a setuid binary to the image, prompts or fails without a TTY, and hides which user a step really needs. Switch with a `user:` step around the commands that need root (and back to the runtime user after). Like hadolint DL3004.",
  bad: 'steps:\n  - run: sudo apt-get update',
  good: 'steps:\n  - user: root\n  - run: apt-get update\n  - user: app',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      for (const script of run.scripts) {
        const command = script.commands.find((c) => program(c) === 'sudo');
        if (!command) continue;
        ctx.report({
          path: script.path,
          within: needle(command),
          message: `${needle(command)}: sudo in a build step`,
          hint: 'use a user: step instead of sudo',
          stage: run.stage,
          chain: run.origin.chain,
        });
      }
    }
  },
};
