import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagec, TWO_SERVICES, workspace } from './harness';

const BIN = join(__dirname, '..', 'bin', 'stagec.js');

/** Runs the generated bash completion for a command line (the last word is completed), as bash would. */
function complete(root: string, script: string, words: string[]): string[] {
  const bin = mkdtempSync(join(tmpdir(), 'stagec-bin-'));
  writeFileSync(join(bin, 'stagec'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, 'stagec'), 0o755);
  const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _stagec; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('stagec completion', () => {
  it('bash: commands, options (global and per command), choices and service names from stages.yaml', async () => {
    const root = workspace({ 'stages.yaml': TWO_SERVICES });
    const { stdout: script, code } = await stagec(root, 'completion', 'bash');
    expect(code).toBe(0);
    expect(complete(root, script, ['stagec', 'com'])).toEqual(['compile', 'completion']);
    expect(complete(root, script, ['stagec', 'compile', '--p'])).toEqual(['--prune']);
    expect(complete(root, script, ['stagec', '--q'])).toEqual(['--quiet']);
    expect(complete(root, script, ['stagec', 'build', ''])).toEqual(['api', 'web']);
    expect(complete(root, script, ['stagec', 'compile', '--service', 'w'])).toEqual(['web']);
    expect(complete(root, script, ['stagec', 'graph', '--format', ''])).toEqual(['dot', 'json', 'mermaid']);
    expect(complete(root, script, ['stagec', 'completion', ''])).toEqual(['bash', 'fish', 'zsh']);
  });

  it('zsh and fish: every command and option of the tree is in the script', async () => {
    const root = workspace({ 'stages.yaml': TWO_SERVICES });
    for (const shell of ['zsh', 'fish']) {
      const { stdout, code } = await stagec(root, 'completion', shell);
      expect(code).toBe(0);
      for (const word of ['compile', 'ls', 'completion', 'prune', 'quiet', 'ls --names']) expect(stdout).toContain(word);
    }
    const fish = (await stagec(root, 'completion', 'fish')).stdout;
    expect(fish).toContain("complete -c stagec -n '__fish_seen_subcommand_from compile' -l service -x -a '(stagec ls --names 2>/dev/null)'");
    const zsh = (await stagec(root, 'completion', 'zsh')).stdout;
    expect(zsh).toMatch(/^#compdef stagec\n/);
    expect(zsh).toContain("'--prune[also delete Dockerfiles generated from this stages.yaml that no service writes any more]'");
  });

  // zsh and fish are not on every CI machine: where they are, the scripts must parse (and fish's must complete).
  const has = (shell: string): boolean => spawnSync(shell, ['-c', 'true']).status === 0;
  it.skipIf(!has('zsh'))('zsh: the script parses', async () => {
    const { stdout } = await stagec(workspace({}), 'completion', 'zsh');
    const r = spawnSync('zsh', ['-n'], { input: stdout, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
  it.skipIf(!has('fish'))('fish: completes commands, options and service names', async () => {
    const root = workspace({ 'stages.yaml': TWO_SERVICES });
    const script = join(root, 'stagec.fish');
    writeFileSync(script, (await stagec(root, 'completion', 'fish')).stdout);
    const bin = mkdtempSync(join(tmpdir(), 'stagec-bin-'));
    writeFileSync(join(bin, 'stagec'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'stagec'), 0o755);
    const run = (line: string) => {
      const r = spawnSync('fish', ['-c', `source ${script}; complete -C "${line}"`], { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]).sort();
    };
    expect(run('stagec comp')).toEqual(['compile', 'completion']);
    expect(run('stagec build ')).toEqual(['api', 'web']);
    expect(run('stagec compile --pr')).toEqual(['--prune']);
  });

  it('refuses an unknown shell (usage error)', async () => {
    expect((await stagec(workspace({}), 'completion', 'tcsh')).code).toBe(2);
  });
});

describe('stagec ls', () => {
  it('lists services with stages and default target; --json and --names', async () => {
    const root = workspace({ 'stages.yaml': TWO_SERVICES });
    const table = await stagec(root, 'ls');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^SERVICE +PATH +PIPELINE +STAGES/);
    expect(table.stdout).toMatch(/\napi +apps\/api +node +deps test runtime\*/);
    expect(table.stdout).toMatch(/\nweb +apps\/web +node +deps runtime\*/);
    const json = JSON.parse((await stagec(root, 'ls', 'web', '--json')).stdout) as { name: string; target: string; stages: { name: string; tag: string }[] }[];
    expect(json.map((s) => s.name)).toEqual(['web']);
    expect(json[0]!.target).toBe('runtime');
    expect(json[0]!.stages).toEqual([
      { name: 'deps', tag: 'ghcr.io/acme/web:latest-deps', default: false },
      { name: 'runtime', tag: 'ghcr.io/acme/web:latest', default: true },
    ]);
    expect((await stagec(root, 'ls', '--names')).stdout).toBe('api\nweb\n');
    expect((await stagec(root, 'ls', 'nope')).code).toBe(2);
  });
});
