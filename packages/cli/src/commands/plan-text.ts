import { shellQuote, type PlannedBuild } from '@stagec/core';

/** Shell-ready lines: each build, then the commands that ship it. */
export function planText(builds: readonly PlannedBuild[]): string {
  let out = '';
  for (const b of builds) {
    out += `${Object.entries(b.env).map(([k, v]) => `${k}=${v} `).join('')}${shellQuote(b.argv)}\n`;
    for (const next of b.then) out += `${shellQuote(next)}\n`;
  }
  return out;
}
