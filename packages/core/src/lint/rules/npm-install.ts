import type { LintRule } from '../types';
import { needle, shellRuns } from '../runs';
import { program, subcommand } from '../shell';

/** npm options that take a value: the word after them is no package name. */
const VALUED = new Set(['--omit', '--include', '--registry', '--cache', '--prefix', '--workspace', '-w', '--loglevel', '--install-strategy']);

export const npmInstall: LintRule = {
  code: 'NPM_INSTALL',
  kind: 'lint',
  severity: 'warning',
  title: '`npm install` where `npm ci` fits',
  doc: "A bare `npm install` (no package names) in an image build resolves versions again and may rewrite package-lock.json, so the image can hold other versions than the ones the team tested. `npm ci` installs exactly the lockfile, fails when package.json and the lockfile disagree, and starts from an empty node_modules. Copy package-lock.json before it (and cache /root/.npm). `npm install <package>` and `npm install -g` are not reported.",
  bad: 'steps:\n  - copy: [package.json, package-lock.json]\n  - run: npm install',
  good: 'steps:\n  - copy: [package.json, package-lock.json]\n  - run: { command: npm ci, cache: [/root/.npm] }',
  check(ctx) {
    for (const run of shellRuns(ctx.service, ctx.source)) {
      for (const script of run.scripts) {
        for (const command of script.commands) {
          const sub = subcommand(command);
          if (program(command) !== 'npm' || !sub || !['install', 'i', 'isntall', 'add'].includes(sub.word)) continue;
          const rest = command.argv.slice(sub.index + 1);
          if (rest.some((w) => w === '-g' || w === '--global' || w === '--location=global')) continue;
          const packages = rest.filter((w, i) => !w.startsWith('-') && !VALUED.has(rest[i - 1] ?? ''));
          if (packages.length > 0) continue;
          ctx.report({
            path: script.path,
            within: needle(command),
            message: `${needle(command)} resolves versions again instead of installing the lockfile`,
            hint: 'copy package-lock.json first and write npm ci',
            stage: run.stage,
            chain: run.origin.chain,
          });
        }
      }
    }
  },
};
