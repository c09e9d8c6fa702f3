import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { docker, stagec } from './engine';

// Output fidelity (DESIGN 13, issue #9) judged by a real BuildKit build: paths with spaces and
// '#', and ENV / LABEL / ARG values with '#', '$', quotes and backslashes come out of the image
// as stages.yaml says; a run ending in a backslash (which would swallow the USER after it and
// leave the image running as root) is refused at compile time. Heredocs are judged by the
// parser only (test/property/bkparse.test.ts): Engine 20.10's built-in frontend predates them.
const IMAGE = 'fidelity-e2e/values';
const VALUES: Record<string, [string, string]> = {
  // name: [as written in stages.yaml, as Docker reads it]
  HASH: ['a #not a comment', 'a #not a comment'],
  QUOTES: [`say "hi" and 'bye'`, `say "hi" and 'bye'`],
  BACKSLASH: ['C:\\dir\\ end\\', 'C:\\dir\\ end\\'],
  DOLLAR: ['\\$HOME stays', '$HOME stays'],
  REF: ['[${A_HASH}]', '[a #not a comment]'],
  MIXED: [`#$\\"' =;`, `#$\\"' =;`],
};

const root = mkdtempSync(join(tmpdir(), 'fidelity-e2e-'));
afterAll(() => {
  docker('image', 'rm', '-f', `${IMAGE}:latest`);
  rmSync(root, { recursive: true, force: true });
});

function write(config: unknown): void {
  writeFileSync(join(root, 'stages.yaml'), stringify(config));
}

describe('output fidelity, judged by a real build', () => {
  it('values with spaces, #, $, quotes and backslashes reach the image as written', () => {
    mkdirSync(join(root, 'svc/my dir'), { recursive: true });
    writeFileSync(join(root, 'svc/my dir/hello world.txt'), 'hello\n');
    writeFileSync(join(root, 'svc/#notes.txt'), 'notes\n');
    writeFileSync(join(root, "svc/it's.txt"), 'quoted\n');
    const named = (prefix: string) => Object.fromEntries(Object.entries(VALUES).map(([k, [v]]) => [`${prefix}${k}`, v]));
    write({
      version: 1,
      services: {
        values: {
          path: 'svc',
          image: IMAGE,
          stages: {
            app: {
              from: 'debian:bookworm-slim',
              args: named('A_'),
              env: named('E_'),
              labels: named('l.'),
              workdir: "/opt/my app's",
              volumes: ['/data dir', "/it's"],
              steps: [
                { copy: { src: ['my dir/hello world.txt', '#notes.txt', "it's.txt"], dest: '/opt/my app/in here/' } },
                { run: 'pwd > /pwd.txt && env -0 > /build-env' },
              ],
              user: 'nobody',
            },
          },
        },
      },
    });
    const built = stagec(root, 'build', 'values', '--compile');
    expect(built.status, built.stderr.slice(-3000)).toBe(0);

    const config = JSON.parse(docker('image', 'inspect', '-f', '{{json .Config}}', `${IMAGE}:latest`).stdout) as {
      Env: string[];
      Labels: Record<string, string>;
      Volumes: Record<string, unknown>;
    };
    expect(Object.keys(config.Volumes).sort()).toEqual(['/data dir', "/it's"]);
    const env = Object.fromEntries(config.Env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    const run = (...cmd: string[]): string => docker('run', '--rm', '--network=host', `${IMAGE}:latest`, ...cmd).stdout;
    const buildEnv = Object.fromEntries(
      run('cat', '/build-env')
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    for (const [name, [, meant]] of Object.entries(VALUES)) {
      expect(env[`E_${name}`], `ENV E_${name}`).toBe(meant);
      expect(config.Labels[`l.${name}`], `LABEL l.${name}`).toBe(meant);
      expect(buildEnv[`A_${name}`], `ARG A_${name}`).toBe(meant);
    }
    expect(run('cat', '/pwd.txt').trim()).toBe("/opt/my app's");
    expect(run('cat', '/opt/my app/in here/hello world.txt')).toBe('hello\n');
    expect(run('cat', '/opt/my app/in here/#notes.txt')).toBe('notes\n');
    expect(run('cat', "/opt/my app/in here/it's.txt")).toBe('quoted\n');
    expect(run('id', '-u').trim()).toBe('65534');
  });

  it('a run ending in a backslash is refused at compile time, so the USER after it is never lost', () => {
    write({
      version: 1,
      services: {
        values: {
          path: 'svc',
          image: IMAGE,
          stages: { app: { from: 'debian:bookworm-slim', steps: [{ run: 'rm -rf /var/cache/apt/* \\' }, { user: 'nobody' }] } },
        },
      },
    });
    const dockerfile = join(root, 'svc/Dockerfile');
    const before = existsSync(dockerfile) ? readFileSync(dockerfile, 'utf8') : undefined;
    const r = stagec(root, 'build', 'values', '--compile');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stages\.yaml:\d+:\d+ error TRAILING_BACKSLASH/);
    // Nothing was written: the Dockerfile on disk (if the first test wrote one) is unchanged.
    expect(existsSync(dockerfile) ? readFileSync(dockerfile, 'utf8') : undefined).toBe(before);
    expect(stagec(root, 'validate').status).toBe(1);
  });
});
