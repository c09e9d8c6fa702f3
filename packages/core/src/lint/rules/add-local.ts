import type { LintRule } from '../types';

const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/;
// ADD unpacks local tar archives: there COPY would not do the same.
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tar\.lzma)$/i;

export const addLocal: LintRule = {
  code: 'ADD_LOCAL',
  kind: 'lint',
  severity: 'warning',
  title: 'ADD of a local file where COPY does',
  doc: "ADD also downloads URLs and unpacks archives, so a reader of `ADD config.json /etc/` has to wonder which it does, and a file renamed to end in `.tar` changes its meaning. For local files and folders use `copy:`, which only copies. ADD stays right for a URL or git source (with `checksum`) and for a local tar archive it should unpack; those are not reported. Like hadolint DL3020.",
  bad: 'steps:\n  - add: { src: config.json, dest: /etc/app/ }',
  good: 'steps:\n  - copy: { src: config.json, dest: /etc/app/ }',
  check(ctx) {
    for (const stage of ctx.service.stages) {
      for (const { value: step, origin } of stage.steps) {
        if (step.kind !== 'add') continue;
        const local = step.sources.filter((s) => !REMOTE.test(s) && !ARCHIVE.test(s));
        if (local.length === 0 || local.length < step.sources.length) continue;
        ctx.report({
          path: [...origin.path, 'add'],
          message: `ADD of local ${local.length === 1 ? `"${local[0]}"` : 'files'}: COPY says the same without ADD's download and unpack rules`,
          hint: 'write copy: instead of add:',
          stage,
          chain: origin.chain,
        });
      }
    }
  },
};
