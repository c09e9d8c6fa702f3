import type { LintRule } from '../types';
import { mountCovers, needle, shellRuns } from '../runs';
import { program } from '../shell';
import { aptInstalls } from './apt';

const LISTS = '/var/lib/apt/lists';

export const aptListsKept: LintRule = {
  code: 'APT_LISTS_KEPT',
  kind: 'lint',
  severity: 'warning',
  title: "apt-get install leaves apt's lists in the layer",
  doc: "`apt-get update` downloads package lists (tens of megabytes) into /var/lib/apt/lists; unless the same RUN removes them (`rm -rf /var/lib/apt/lists/*`), they stay in the image for good. Better still, make the lists a cache mount (`cache: [{target: /var/lib/apt/lists, sharing: locked}]`): nothing lands in the layer and rebuilds download nothing; a RUN with that mount is not reported. Like hadolint DL3009.",
  bad: 'steps:\n  - run: apt-get update && apt-get install -y --no-install-recommends curl',
  good: 'steps:\n  - run:\n      command: apt-get update && apt-get install -y --no-install-recommends curl\n      cache: [{ target: /var/cache/apt, sharing: locked }, { target: /var/lib/apt/lists, sharing: locked }]',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      const installs = aptInstalls(run);
      if (installs.length === 0) continue;
      if (mountCovers(run, (t) => t === LISTS || t === '/var/lib/apt')) continue;
      const removes = run.commands.some((c) => program(c) === 'rm' && c.argv.some((w) => w.startsWith(LISTS)));
      if (removes) continue;
      const { script, command } = installs[0]!;
      ctx.report({
        path: script.path,
        within: needle(command),
        message: `${needle(command)} leaves ${LISTS} in the layer`,
        hint: `end the RUN with rm -rf ${LISTS}/*, or make ${LISTS} a cache mount`,
        stage: run.stage,
        chain: run.origin.chain,
      });
    }
  },
};
