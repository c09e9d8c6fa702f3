import type { LintRule } from '../types';
import { needle, shellRuns } from '../runs';
import { program } from '../shell';

export const cdInRun: LintRule = {
  code: 'CD_IN_RUN',
  kind: 'lint',
  severity: 'warning',
  title: '`cd` in RUN instead of WORKDIR',
  doc: "A `cd` inside RUN lasts for that one command: the next RUN, COPY and CMD start again in the WORKDIR, which is a classic source of files copied to the wrong place. Set the folder with a `workdir:` step (or the stage's `workdir`), which every later instruction sees; for a folder needed by one command, most tools take it as an argument (`make -C dir`, `npm --prefix dir`). A `cd` inside a subshell (`(cd dir && make)`) is not reported: it says the change is meant to be local. Like hadolint DL3003.",
  bad: 'steps:\n  - run: cd /src/app && make',
  good: 'steps:\n  - workdir: /src/app\n  - run: make',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      for (const script of run.scripts) {
        const command = script.commands.find((c) => program(c) === 'cd' && !c.subshell);
        if (!command) continue;
        const dest = command.argv[1];
        ctx.report({
          path: script.path,
          within: needle(command),
          message: `${needle(command)} changes folder for this RUN only`,
          hint: dest && !dest.startsWith('-') ? `add a step { workdir: ${dest} } before this run` : 'use a workdir: step',
          stage: run.stage,
          chain: run.origin.chain,
        });
      }
    }
  },
};
