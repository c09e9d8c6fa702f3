import type { ResolvedService, ResolvedStage } from '../../resolve';
import type { LintRule, RuleContext } from '../types';
import { needle, shellRuns } from '../runs';
import { setsPipefail } from '../shell';

const SHELLS = /^(.*\/)?(sh|bash|dash|ash|ksh|zsh|mksh)$/;

/** The SHELL in force at a step: shell steps before it, the stage's `shell`, else the base stage's (SHELL is image config, so FROM a stage inherits it). */
function shellAt(ctx: RuleContext, service: ResolvedService, stage: ResolvedStage, stepIndex: number, seen = new Set<string>()): string[] | undefined {
  for (let i = stepIndex - 1; i >= 0; i--) {
    const step = stage.steps[i]!.value;
    if (step.kind === 'shell') return step.shell;
  }
  if (stage.shell) return stage.shell.value;
  const base = stage.base.value;
  const key = `${service.name}/${stage.name}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const owner = base.kind === 'stage' ? service : base.kind === 'service' ? ctx.project.services.find((s) => s.name === base.service) : undefined;
  const parent = owner?.stages.find((s) => s.name === (base.kind === 'image' ? '' : base.stage));
  return owner && parent ? shellAt(ctx, owner, parent, parent.steps.length, seen) : undefined;
}

const pipefailIn = (words: readonly string[]): boolean => words.some((w, i) => w === 'pipefail' && /^-[a-z]*o$/.test(words[i - 1] ?? ''));

export const pipeWithoutPipefail: LintRule = {
  code: 'PIPE_WITHOUT_PIPEFAIL',
  kind: 'lint',
  severity: 'warning',
  title: 'a pipe in RUN without pipefail',
  doc: "A shell pipeline's exit status is its last command's: in `curl -fsSL $URL | tar -xz` a failed download still lets the step succeed, and the image is built without the files. Set the stage's shell to one with pipefail (`shell: [/bin/bash, -o, pipefail, -c]`, inherited by stages built `from:` it), or start the command with `set -o pipefail &&` where the shell has it (bash, ash, dash 0.5.11+). Exec-form RUNs have no shell and are not judged. Like hadolint DL4006.",
  bad: 'steps:\n  - run: curl -fsSL https://example.com/app.tgz | tar -xz',
  good: 'shell: [/bin/bash, -o, pipefail, -c]\nsteps:\n  - run: curl -fsSL https://example.com/app.tgz | tar -xz',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      const interpreter = 'interpreter' in run.step && typeof run.step.interpreter === 'string' ? run.step.interpreter.split(/\s+/) : undefined;
      if (interpreter && (!SHELLS.test(interpreter[0] ?? '') || pipefailIn(interpreter))) continue;
      if (!interpreter) {
        const index = run.stage.steps.findIndex((s) => s.value === run.step);
        const shell = shellAt(ctx, ctx.service, run.stage, index);
        if (shell && pipefailIn(shell)) continue;
      }
      let set = false;
      for (const script of run.scripts) {
        const piped = script.commands.find((c) => {
          set ||= setsPipefail(c);
          return !set && (c.next === '|' || c.next === '|&');
        });
        if (!piped) continue;
        ctx.report({
          path: script.path,
          within: needle(piped, 1),
          message: `a pipe after ${needle(piped, 1)}: without pipefail the RUN succeeds even when ${needle(piped, 1)} fails`,
          hint: 'give the stage shell: [/bin/bash, -o, pipefail, -c], or start the command with set -o pipefail &&',
          stage: run.stage,
          chain: run.origin.chain,
        });
        break;
      }
    }
  },
};
