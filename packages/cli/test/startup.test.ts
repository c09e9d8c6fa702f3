import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TWO_SERVICES, workspace } from './harness';

// Start-up cost is paid on every run (hooks, CI, editors): a run loads the command it names
// and what that command needs, not the others. Checked on the built CLI (npm test builds first).
const DIST = join(__dirname, '../dist/index.js');

/** The modules a real process loads for `stagec <argv>`, workspace-relative or by package, with its exit code. */
function loadedBy(cwd: string, ...argv: string[]): { code: number; modules: string[]; stdout: string } {
  const script = `
    const { run } = require(${JSON.stringify(DIST)});
    let stdout = '';
    const io = { cwd: process.cwd(), env: {}, stdout: { write: (s) => ((stdout += s), true) }, stderr: { write: () => true } };
    run(${JSON.stringify(argv)}, io).then((code) => {
      process.stdout.write(JSON.stringify({ code, stdout, modules: Object.keys(require.cache) }));
    });`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' });
  const parsed = JSON.parse(result.stdout) as { code: number; stdout: string; modules: string[] };
  const name = (file: string): string =>
    /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file)?.[1]?.replace(/\\/g, '/') ??
    file.replace(/\\/g, '/').replace(/.*\/packages\//, '');
  return { ...parsed, modules: parsed.modules.map(name) };
}

describe('start-up: a run loads what its command needs', () => {
  it('--version loads no part of the compiler and no command', () => {
    const { code, stdout, modules } = loadedBy(workspace({}), '--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(modules.filter((m) => m.startsWith('core/') || m.startsWith('cli/dist/commands/') || m === 'yaml')).toEqual([]);
  });

  it('compile loads neither the other commands nor their libraries', () => {
    const { code, modules } = loadedBy(workspace({ 'stages.yaml': TWO_SERVICES }), 'compile', '-q');
    expect(code).toBe(0);
    expect(modules.filter((m) => m.startsWith('cli/dist/commands/'))).toEqual([
      'cli/dist/commands/compile.js',
      'cli/dist/commands/shared.js',
    ]);
    for (const library of ['dockerfile-ast', 'undici', 'diff', 'tinyglobby', '@balena/dockerignore'])
      expect(modules, library).not.toContain(library);
    expect(
      modules.filter((m) => m.startsWith('cli/dist/import/') || m.startsWith('cli/dist/init/') || m.startsWith('cli/dist/registry/')),
    ).toEqual([]);
  });
});
