import type { LintRule } from '../types';

export const shellFormCmd: LintRule = {
  code: 'SHELL_FORM_CMD',
  kind: 'lint',
  severity: 'warning',
  title: 'CMD or ENTRYPOINT in shell form',
  doc: "A string `cmd` or `entrypoint` is emitted in shell form (`CMD node server.js`), which Docker runs as `/bin/sh -c ...`: the shell is PID 1 and does not forward SIGTERM, so `docker stop` waits its full timeout and then kills the process without a clean shutdown; an image without /bin/sh cannot start at all. Write a list (`cmd: [node, server.js]`), the exec form. As BuildKit's JSONArgsRecommended check and hadolint DL3025.",
  bad: 'cmd: node server.js',
  good: 'cmd: [node, server.js]',
  check(ctx) {
    for (const stage of ctx.service.stages) {
      for (const field of ['entrypoint', 'cmd'] as const) {
        const value = stage[field];
        if (!value || typeof value.value !== 'string') continue;
        ctx.report({
          path: value.origin.path,
          message: `${field} "${value.value}" is shell form: /bin/sh runs as PID 1 and does not pass on SIGTERM`,
          hint: `write a list: ${field}: [${value.value.split(/\s+/).filter(Boolean).join(', ')}]`,
          stage,
          chain: value.origin.chain,
        });
      }
    }
  },
};
