import type { LintRule } from '../types';
import { mountCovers, needle, shellRuns } from '../runs';
import { program, subcommand } from '../shell';

export const apkCache: LintRule = {
  code: 'APK_CACHE_KEPT',
  kind: 'lint',
  severity: 'warning',
  title: 'apk add without --no-cache',
  doc: "`apk add` keeps the package index it downloads in /var/cache/apk, so every Alpine layer that installs something carries it. `apk add --no-cache` fetches the index, installs and keeps nothing. A RUN whose /var/cache/apk (or /etc/apk/cache) is a cache mount is not reported: there the cache is the point, and it never lands in the layer. Like hadolint DL3019.",
  bad: 'steps:\n  - run: apk add curl',
  good: 'steps:\n  - run: apk add --no-cache curl',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      if (mountCovers(run, (t) => t === '/var/cache/apk' || t === '/etc/apk/cache')) continue;
      for (const script of run.scripts) {
        for (const command of script.commands) {
          if (program(command) !== 'apk' || subcommand(command)?.word !== 'add' || command.argv.includes('--no-cache')) continue;
          ctx.report({
            path: script.path,
            within: needle(command),
            message: `${needle(command)} keeps the package index in /var/cache/apk`,
            hint: 'write apk add --no-cache, or make /var/cache/apk a cache mount',
            stage: run.stage,
            chain: run.origin.chain,
          });
        }
      }
    }
  },
};
