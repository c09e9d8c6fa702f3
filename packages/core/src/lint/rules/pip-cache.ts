import type { LintRule } from '../types';
import { mountCovers, shellRuns } from '../runs';
import { program, subcommand, type SimpleCommand } from '../shell';

/** `pip install`, `pip3 install`, `pip3.12 install`, `python -m pip install`: where `install` is. */
function pipInstall(command: SimpleCommand): number | undefined {
  const name = program(command);
  let at = 1;
  if (/^python[0-9.]*$/.test(name)) {
    const m = command.argv.indexOf('-m');
    if (m < 0 || !/^pip[0-9.]*$/.test(command.argv[m + 1] ?? '')) return undefined;
    at = m + 2;
  } else if (!/^pip[0-9.]*$/.test(name)) {
    return undefined;
  }
  const sub = subcommand(command, at);
  return sub?.word === 'install' ? sub.index : undefined;
}

export const pipCache: LintRule = {
  code: 'PIP_CACHE_KEPT',
  kind: 'lint',
  severity: 'warning',
  title: 'pip install without --no-cache-dir',
  doc: "pip keeps every wheel it downloads or builds in ~/.cache/pip, which then ships in the layer, often doubling what the install added. Pass `--no-cache-dir` (or set `PIP_NO_CACHE_DIR=1` in the stage's env), or make the cache a cache mount (`cache: [/root/.cache/pip]`), which keeps rebuilds fast and the layer clean; a RUN with that mount is not reported. Like hadolint DL3042.",
  bad: 'steps:\n  - run: pip install -r requirements.txt',
  good: 'steps:\n  - run: { command: pip install -r requirements.txt, cache: [/root/.cache/pip] }',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      if (mountCovers(run, (t) => /(^|\/)\.cache(\/pip)?$/.test(t) || t.endsWith('/pip'))) continue;
      const env = [...run.stage.env, ...run.stage.steps.flatMap((s) => (s.value.kind === 'env' ? s.value.entries : []))];
      if (env.some((e) => e.key === 'PIP_NO_CACHE_DIR' && e.value !== null && !/^(0|false|no|off)?$/i.test(e.value))) continue;
      for (const script of run.scripts) {
        for (const command of script.commands) {
          const at = pipInstall(command);
          if (at === undefined || command.argv.includes('--no-cache-dir')) continue;
          ctx.report({
            path: script.path,
            within: command.argv.slice(0, at + 1).join(' '),
            message: `${command.argv.slice(0, at + 1).join(' ')} keeps its download cache in the layer`,
            hint: 'add --no-cache-dir, or make /root/.cache/pip a cache mount',
            stage: run.stage,
            chain: run.origin.chain,
          });
        }
      }
    }
  },
};
