import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '@stagec/core';
import { createNodes, StagesYamlError } from '../../packages/nx/src';
import { stagec } from '../../packages/cli/test/harness';
import { writeHooks } from '../../packages/cli/src/write';

// One scenario per line of "What was seen" in issue #10 (DESIGN §14). Each asserts the exit
// code (1 bad input, 2 usage; never 70 or a signal), the diagnostic code, and that no file
// inside or outside the workspace changed: the whole tree around both is hashed before and after.

const BIN = join(__dirname, '../../packages/cli/bin/stagec.js');
const ROOT = process.getuid?.() === 0;

/** A sandbox holding the workspace (`ws/`) and a folder outside it (`outside/`, with a secret). */
function sandbox(files: Record<string, string | Buffer>): { box: string; ws: string; outside: string } {
  const box = mkdtempSync(join(tmpdir(), 'stagec-safety-'));
  const ws = join(box, 'ws');
  const outside = join(box, 'outside');
  mkdirSync(ws);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'TOKEN=hunter2-do-not-leak\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(ws, path)), { recursive: true });
    writeFileSync(join(ws, path), text);
  }
  return { box, ws, outside };
}

/** Every entry under `dir` without following symlinks: files by hash, links by target, special files by kind. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, rel: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const key = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out[key] = `link -> ${readlinkSync(path)}`;
      else if (st.isDirectory()) {
        out[key] = `dir ${(st.mode & 0o777).toString(8)}`;
        walk(path, key);
      } else if (st.isFile()) out[key] = createHash('sha256').update(readFileSync(path)).digest('hex');
      else out[key] = 'special';
    }
  };
  walk(dir, '');
  return out;
}

/** Runs the real process (a hang or a crash shows as such), bounded in time. */
function cli(cwd: string, ...args: string[]): { code: number | null; signal: string | null; stdout: string; stderr: string; ms: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}

const NO_STACK = /\n\s+at .*:\d+:\d+\)?\n/;
const SERVICE = (name: string, path: string, extra = '') => `  ${name}:\n    path: ${path}\n${extra}    stages:\n      build: { from: node:20 }\n`;
const yaml = (...services: string[]) => `version: 1\nservices:\n${services.join('')}`;

/** Runs `fn`, then checks the exit code, the code in stderr, no stack trace, and that the sandbox is as it was. */
async function unchanged(box: string, fn: () => Promise<{ code: number | null; stderr: string }> | { code: number | null; stderr: string }, code: number, diagnostic: string) {
  const before = tree(box);
  const r = await fn();
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toContain(diagnostic);
  expect(r.stderr).not.toMatch(NO_STACK);
  expect(tree(box)).toEqual(before);
  return r;
}

afterEach(() => {
  delete writeHooks.beforeRecheck;
  delete writeHooks.beforeRename;
});

describe('#10: a failing write leaves no Dockerfile written', () => {
  it('a 300-character folder name: refused before anything is written, pointing at its path', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('a', 'apps/a'), SERVICE('b', `apps/${'x'.repeat(300)}`)) });
    const r = await unchanged(box, () => stagec(ws, 'compile'), 1, 'WRITE_FAILED');
    expect(r.stderr).toMatch(/stages\.yaml:8:11 error WRITE_FAILED/);
  });

  it('a rename that fails half-way: the files already renamed are restored, new ones removed, and the run says so', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('a', 'apps/a'), SERVICE('b', 'apps/b'), SERVICE('c', 'apps/c')) });
    expect((await stagec(ws, 'compile', '--service', 'a')).code).toBe(0);
    writeFileSync(join(ws, 'stages.yaml'), readFileSync(join(ws, 'stages.yaml'), 'utf8').replaceAll('node:20', 'node:22'));
    mkdirSync(join(ws, 'apps/b'));
    const before = tree(box);
    // The second rename fails for real: a non-empty folder appears where its file goes.
    writeHooks.beforeRename = (file, index) => {
      if (index === 1) mkdirSync(join(file.absolute, 'blocker'), { recursive: true });
    };
    const r = await stagec(ws, 'compile');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stages\.yaml:\d+:\d+ error WRITE_FAILED/);
    expect(r.stderr).toContain('restored apps/a/Dockerfile');
    rmSync(join(ws, 'apps/b/Dockerfile'), { recursive: true });
    const after = tree(box);
    expect(after).toEqual(before); // a's old content back, b and c never created, no temp files
  });

  it.skipIf(ROOT)('a read-only folder (not as root): nothing is written', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('a', 'apps/a'), SERVICE('b', 'apps/b')) });
    mkdirSync(join(ws, 'apps/b'), { recursive: true });
    chmodSync(join(ws, 'apps/b'), 0o555);
    await unchanged(box, () => stagec(ws, 'compile'), 1, 'WRITE_FAILED');
  });
});

describe('#10: symlinks', () => {
  it('compile --check never prints a file outside the workspace that a Dockerfile links to', async () => {
    const { box, ws, outside } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')) });
    mkdirSync(join(ws, 'apps/api'), { recursive: true });
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'apps/api/Dockerfile'));
    for (const args of [['compile', '--check'], ['compile'], ['compile', '--force'], ['build', 'api', '--dry-run']]) {
      const r = await unchanged(box, () => stagec(ws, ...args), 1, 'WRITE_FAILED');
      expect(r.stdout + r.stderr).not.toContain('hunter2');
      expect(r.stderr).toMatch(/stages\.yaml:4:11 error WRITE_FAILED/);
    }
  });

  it('a folder swapped for a symlink while compile runs: the re-check before the rename catches it, nothing lands outside', async () => {
    const { box, ws, outside } = sandbox({ 'stages.yaml': yaml(SERVICE('a', 'apps/a'), SERVICE('b', 'apps/b')) });
    mkdirSync(join(ws, 'apps/b'), { recursive: true });
    const outsideBefore = tree(outside);
    writeHooks.beforeRecheck = (_file, index) => {
      if (index !== 1) return;
      renameSync(join(ws, 'apps/b'), join(ws, 'apps/b-moved'));
      symlinkSync(outside, join(ws, 'apps/b'));
    };
    const r = await stagec(ws, 'compile');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('WRITE_FAILED');
    expect(r.stderr).toContain('its folder changed while stagec ran');
    expect(tree(outside)).toEqual(outsideBefore);
    expect(existsSync(join(ws, 'apps/a/Dockerfile'))).toBe(false); // renamed first, then removed again
    expect(existsSync(join(box, 'outside/Dockerfile'))).toBe(false);
  });

  it('a folder that already is a symlink out of the workspace is refused before writing', async () => {
    const { box, ws, outside } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')) });
    mkdirSync(join(ws, 'apps'));
    symlinkSync(outside, join(ws, 'apps/api'));
    await unchanged(box, () => stagec(ws, 'compile'), 1, 'PATH_OUTSIDE_WORKSPACE');
    await unchanged(box, () => stagec(ws, 'compile', '--check'), 1, 'PATH_OUTSIDE_WORKSPACE');
  });

  it('two services on one real folder through a symlink alias: DUPLICATE_DOCKERFILE, for compile and --check', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('a', 'apps/real'), SERVICE('b', 'apps/alias')) });
    mkdirSync(join(ws, 'apps/real'), { recursive: true });
    symlinkSync('real', join(ws, 'apps/alias'));
    const r = await unchanged(box, () => stagec(ws, 'compile'), 1, 'DUPLICATE_DOCKERFILE');
    expect(r.stderr).toMatch(/stages\.yaml:8:11 error DUPLICATE_DOCKERFILE/);
    await unchanged(box, () => stagec(ws, 'compile', '--check'), 1, 'DUPLICATE_DOCKERFILE');
  });
});

describe('#10 (QA): a stages.yaml that is a symlink', () => {
  it('out of the workspace is FILE_UNREADABLE for the CLI and Nx, and its text is never printed', async () => {
    const { box, ws, outside } = sandbox({});
    writeFileSync(join(outside, 'stages.yaml'), 'TOKEN=hunter2-do-not-leak\n');
    symlinkSync(join(outside, 'stages.yaml'), join(ws, 'stages.yaml'));
    for (const args of [['validate'], ['compile'], ['validate', '-c', 'stages.yaml']]) {
      const r = (await unchanged(box, () => cli(ws, ...args), 1, 'FILE_UNREADABLE')) as ReturnType<typeof cli>;
      expect(r.stderr + r.stdout).not.toContain('hunter2');
    }
    const error = await createNodes[1](['stages.yaml'], undefined, { workspaceRoot: ws }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StagesYamlError);
    expect((error as Error).message).toContain('FILE_UNREADABLE');
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('inside the workspace is followed', async () => {
    const { box, ws } = sandbox({ 'config/stages.yaml': yaml(SERVICE('api', 'apps/api')), 'apps/api/.keep': '' });
    symlinkSync('config/stages.yaml', join(ws, 'stages.yaml'));
    const r = cli(ws, 'validate');
    expect(r.code, r.stderr).toBe(0);
    rmSync(box, { recursive: true, force: true });
  });
});

describe('#10 (QA): stages.lock is an input, present or not', () => {
  const STAGES = yaml(SERVICE('api', 'apps/api', '    dockerfile: stages.lock\n'));

  it('a dockerfile named stages.lock is refused at its position, with --force too, and the lock is kept', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': STAGES, 'stages.lock': 'version: 1\nimages: {}\n', 'apps/api/.keep': '' });
    for (const args of [['compile'], ['compile', '--force']]) {
      const r = (await unchanged(box, () => cli(ws, ...args), 1, 'WRITE_FAILED')) as ReturnType<typeof cli>;
      expect(r.stderr).toMatch(/stages\.yaml:5:\d+ error WRITE_FAILED/);
    }
  });

  it('before `stagec lock` has written it: compile and bake -o do not create it', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': STAGES, 'apps/api/.keep': '' });
    await unchanged(box, () => cli(ws, 'compile'), 1, 'WRITE_FAILED');
    writeFileSync(join(ws, 'stages.yaml'), yaml(SERVICE('api', 'apps/api')));
    expect(cli(ws, 'compile').code).toBe(0);
    await unchanged(box, () => cli(ws, 'bake', '-o', 'stages.lock'), 1, 'WRITE_FAILED');
    expect(existsSync(join(ws, 'stages.lock'))).toBe(false);
  });
});

describe('#10: bake -o', () => {
  // bake refuses stale or missing Dockerfiles as a build does (#17): the workspace has its compiled one.
  const config = yaml(SERVICE('api', 'apps/api'));
  const files = () => sandbox({ 'stages.yaml': config, 'apps/api/Dockerfile': compile(config).dockerfiles[0]!.text });

  it('never overwrites a hand-written docker-bake.json; replaces its own', async () => {
    const { box, ws } = files();
    writeFileSync(join(ws, 'docker-bake.json'), '{"target": {"mine": {}}}\n');
    await unchanged(box, () => stagec(ws, 'bake'), 1, 'HAND_WRITTEN_FILE');
    await unchanged(box, () => stagec(ws, 'bake', '-o', 'docker-bake.json'), 1, 'HAND_WRITTEN_FILE');
    rmSync(join(ws, 'docker-bake.json'));
    expect((await stagec(ws, 'bake')).code).toBe(0);
    const again = await stagec(ws, 'bake');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('unchanged docker-bake.json');
    expect(JSON.parse(readFileSync(join(ws, 'docker-bake.json'), 'utf8'))['//']).toMatch(/^Generated by stagec/);
  });

  it('never overwrites the config it reads: bake -o stages.yaml', async () => {
    const { box, ws } = files();
    await unchanged(box, () => stagec(ws, 'bake', '-o', 'stages.yaml'), 1, 'WRITE_FAILED');
  });

  it('a folder in its place is a diagnostic, not a stack trace (exit 1, not 70)', async () => {
    const { box, ws } = files();
    mkdirSync(join(ws, 'out.json'));
    await unchanged(box, () => stagec(ws, 'bake', '-o', 'out.json'), 1, 'WRITE_FAILED');
  });

  it('a folder that does not exist (bake -o /proc/nope/x.json) fails at once', async () => {
    const { box, ws } = files();
    const r = await unchanged(box, () => cli(ws, 'bake', '-o', '/proc/nope/x.json'), 1, 'WRITE_FAILED');
    expect((r as ReturnType<typeof cli>).ms).toBeLessThan(10_000);
  });

  it("'-o -' is standard output, and -o '' a usage error", async () => {
    const { box, ws } = files();
    const before = tree(box);
    const r = await stagec(ws, 'bake', '-o', '-');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).target['api-build']).toBeDefined();
    expect((await stagec(ws, 'bake', '-o', '')).code).toBe(2);
    expect(tree(box)).toEqual(before);
  });
});

describe('#10: --force replaces hand-written Dockerfiles only', () => {
  it('dockerfile: stages.yaml with --force leaves the config alone', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api', '    dockerfile: stages.yaml\n')) });
    const r = await unchanged(box, () => stagec(ws, 'compile', '--force'), 1, 'WRITE_FAILED');
    expect(r.stderr).toMatch(/stages\.yaml:5:17 error WRITE_FAILED/);
    await unchanged(box, () => stagec(ws, 'compile'), 1, 'WRITE_FAILED');
  });
});

describe('#10: special files are FILE_UNREADABLE or refused at once, never a hang or a crash', () => {
  it('a Dockerfile that is a symlink to /dev/zero', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')) });
    mkdirSync(join(ws, 'apps/api'), { recursive: true });
    symlinkSync('/dev/zero', join(ws, 'apps/api/Dockerfile'));
    for (const args of [['compile', '--check'], ['compile', '--force']]) {
      const r = (await unchanged(box, () => cli(ws, ...args), 1, 'WRITE_FAILED')) as ReturnType<typeof cli>;
      expect(r.ms).toBeLessThan(10_000);
    }
  });

  it('a Dockerfile that is a FIFO', () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')) });
    mkdirSync(join(ws, 'apps/api'), { recursive: true });
    expect(spawnSync('mkfifo', [join(ws, 'apps/api/Dockerfile')]).status).toBe(0);
    return unchanged(box, () => cli(ws, 'compile', '--check'), 1, 'WRITE_FAILED');
  });

  it.skipIf(ROOT)('an unreadable Dockerfile (not as root)', () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')), 'apps/api/Dockerfile': '# Generated by stagec\n' });
    chmodSync(join(ws, 'apps/api/Dockerfile'), 0o000);
    return unchanged(box, () => cli(ws, 'compile'), 1, 'WRITE_FAILED');
  });

  it('-c /dev/zero, -c a FIFO, -c a folder', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')) });
    expect(spawnSync('mkfifo', [join(ws, 'pipe.yaml')]).status).toBe(0);
    mkdirSync(join(ws, 'dir.yaml'));
    // In-process: a hang here would hang the test run, and the read path is the same code.
    for (const config of ['/dev/zero', 'pipe.yaml', 'dir.yaml']) await unchanged(box, () => stagec(ws, 'validate', '-c', config), 1, 'FILE_UNREADABLE');
    const r = (await unchanged(box, () => cli(ws, 'compile', '-c', '/dev/zero'), 1, 'FILE_UNREADABLE')) as ReturnType<typeof cli>;
    expect(r.ms).toBeLessThan(10_000);
  });
});

describe('#10: a NUL in a path', () => {
  it.each([['path'], ['context'], ['dockerfile']])('in %s is refused by validate, compile and build with a position', async (field) => {
    const extra = field === 'path' ? '' : `    ${field}: "apps/a\\0b"\n`;
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('api', field === 'path' ? '"apps/a\\0b"' : 'apps/api', extra)) });
    for (const args of [['validate'], ['compile'], ['build', 'api', '--dry-run'], ['plan']]) {
      const r = await unchanged(box, () => stagec(ws, ...args), 1, 'INVALID_VALUE');
      expect(r.stderr).toMatch(/stages\.yaml:\d+:\d+ error INVALID_VALUE/);
    }
  });
});

describe('#10: size', () => {
  it('a 50 MB stages.yaml is FILE_TOO_LARGE before parsing, at once', async () => {
    const service = (i: number) => `  s${i}:\n    path: apps/s${i}\n    stages: { build: { from: "node:20" } }\n`;
    const parts: string[] = ['version: 1\nservices:\n'];
    for (let i = 0, n = 0; n < 50 * 2 ** 20; i++) n += parts[parts.push(service(i)) - 1]!.length;
    const { box, ws } = sandbox({ 'stages.yaml': parts.join('') });
    for (const command of ['compile', 'validate']) {
      const r = (await unchanged(box, () => cli(ws, command), 1, 'FILE_TOO_LARGE')) as ReturnType<typeof cli>;
      expect(r.ms).toBeLessThan(5_000);
    }
  }, 60_000);
});

describe('#10: YAML', () => {
  const codes = (text: string) => compile(text).diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);

  it('number and boolean keys are INVALID_TYPE, never renamed services', async () => {
    expect(codes(yaml(SERVICE('0x10', 'apps/a')))).toEqual(['INVALID_TYPE@3:3']);
    expect(codes(yaml(SERVICE('1e3', 'apps/a')))).toEqual(['INVALID_TYPE@3:3']);
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('0x10', 'apps/a')) });
    await unchanged(box, () => stagec(ws, 'compile'), 1, 'INVALID_TYPE');
  });

  it('a collection as a key is INVALID_TYPE, and no library warning reaches stderr', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': 'version: 1\nservices:\n  ? [a, b]\n  : path: apps/a\n' });
    const r = await unchanged(box, () => cli(ws, 'compile'), 1, 'INVALID_TYPE');
    expect(r.stderr).not.toMatch(/stringified|Warning/);
  });

  it('a second document is a YAML_SYNTAX at its ---, without the library\'s advice', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': `${yaml(SERVICE('api', 'apps/api'))}---\nversion: 1\n` });
    const r = await unchanged(box, () => stagec(ws, 'compile'), 1, 'YAML_SYNTAX');
    expect(r.stderr).toMatch(/stages\.yaml:7:1 error YAML_SYNTAX/);
    expect(r.stderr).not.toContain('parseAllDocuments');
  });

  it('!!binary and custom tags are INVALID_TYPE at the value; core tags are fine', async () => {
    expect(codes('version: !!binary aGVsbG8=\n')).toEqual(['INVALID_TYPE@1:19']);
    expect(codes(yaml(SERVICE('api', '!custom apps/a')))).toEqual(['INVALID_TYPE@4:19']);
    expect(compile(yaml(SERVICE('api', '!!str apps/a'))).failed).toBe(false);
    const { box, ws } = sandbox({ 'stages.yaml': 'version: !!binary aGVsbG8=\n' });
    await unchanged(box, () => stagec(ws, 'validate'), 1, 'INVALID_TYPE');
  });

  it('merge keys work, and a mistake in a merged block points into the anchored one', async () => {
    const text = `version: 1\nservices:\n  api: &svc\n    path: apps/api\n    stages:\n      build: { from: node:20, workdir: app }\n  web:\n    <<: *svc\n    path: apps/web\n`;
    expect(codes(text)).toEqual(['RELATIVE_WORKDIR@6:40']); // web's error is api's line: one diagnostic
    const fixed = text.replace('workdir: app', 'workdir: /app');
    const { ws } = sandbox({ 'stages.yaml': fixed });
    expect((await stagec(ws, 'compile')).code).toBe(0);
    expect(readFileSync(join(ws, 'apps/web/Dockerfile'), 'utf8')).toContain('WORKDIR /app');
  });

  it('YAML_TOO_COMPLEX points at the place, and the documented limit of 64 levels is the real one', async () => {
    const nested = (n: number) => yaml(SERVICE('api', 'apps/api', `    labels: ${'['.repeat(n)}x${']'.repeat(n)}\n`));
    // The document, services and api mappings are levels 1-3: 61 lists reach level 64, 62 one past it.
    expect(codes(nested(61)).some((c) => c.startsWith('YAML_TOO_COMPLEX'))).toBe(false);
    expect(codes(nested(62))).toEqual([`YAML_TOO_COMPLEX@5:${13 + 61}`]);
    expect(readFileSync(join(__dirname, '../../docs/diagnostics.md'), 'utf8')).toContain('deeper than 64 levels');
    const { box, ws } = sandbox({ 'stages.yaml': nested(70) });
    const r = await unchanged(box, () => stagec(ws, 'compile'), 1, 'YAML_TOO_COMPLEX');
    expect(r.stderr).toMatch(/stages\.yaml:5:\d+ error YAML_TOO_COMPLEX/);
  });
});

describe('#10: Nx fails loudly', () => {
  const STAGES = yaml(SERVICE('api', 'apps/api'));

  it('a config option naming a missing file, or a file of another name', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': STAGES });
    const before = tree(box);
    for (const config of ['ci/stages.yaml', 'stages.yml']) {
      const error = await createNodes[1](['stages.yaml'], { config }, { workspaceRoot: ws }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StagesYamlError);
      expect((error as Error).message).toContain('FILE_NOT_FOUND');
    }
    expect(tree(box)).toEqual(before);
  });

  it('non-UTF-8 stages.yaml is FILE_UNREADABLE there too, not U+FFFD in values', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': Buffer.from(STAGES.replace('apps/api', 'apps/caf\xe9'), 'latin1') });
    const before = tree(box);
    const error = await createNodes[1](['stages.yaml'], undefined, { workspaceRoot: ws }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StagesYamlError);
    expect((error as Error).message).toMatch(/stages\.yaml:4:\d+ error FILE_UNREADABLE/);
    expect(tree(box)).toEqual(before);
  });
});

describe('#10: build and -c', () => {
  it('build --dry-run applies the stale-file check of a real build', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')) });
    const r = await unchanged(box, () => stagec(ws, 'build', 'api', '--dry-run'), 1, 'apps/api/Dockerfile is missing');
    expect(r.stderr).toContain('run `stagec compile` first');
  });

  it('with --compile given, a hand-written Dockerfile\'s message mentions --force, not --compile', async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')), 'apps/api/Dockerfile': 'FROM scratch\n' });
    for (const args of [['build', 'api', '--compile'], ['build', 'api', '--compile', '--dry-run']]) {
      const r = await unchanged(box, () => stagec(ws, ...args), 1, 'hand-written');
      expect(r.stderr).toContain('--force');
      expect(r.stderr).not.toContain('(or pass --compile)');
    }
  });

  it("-c '' is a usage error (exit 2) for every command that reads stages.yaml", async () => {
    const { box, ws } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')) });
    for (const command of [['compile'], ['validate'], ['print', 'api'], ['plan'], ['bake'], ['graph'], ['explain', 'api'], ['build', 'api', '--dry-run']]) {
      await unchanged(box, () => stagec(ws, ...command, '-c', ''), 2, '-c/--config needs a file name');
    }
  });
});

describe('#10: exit codes stay 0/1/2 for every command on every bad input tried, never a stack trace', () => {
  const BAD: Record<string, string | Buffer> = {
    'nul in path': yaml(SERVICE('api', '"apps/a\\0b"')),
    'number key': yaml(SERVICE('0x10', 'apps/a')),
    'collection key': 'version: 1\nservices:\n  ? [a, b]\n  : path: apps/a\n',
    'second document': `${yaml(SERVICE('api', 'apps/api'))}---\nx: 1\n`,
    'binary tag': 'version: !!binary aGVsbG8=\n',
    'not UTF-8': Buffer.from(yaml(SERVICE('api', 'apps/caf\xe9')), 'latin1'),
    'deep nesting': `version: 1\nx: ${'['.repeat(500)}${']'.repeat(500)}\n`,
    empty: '',
  };
  const COMMANDS = [['compile'], ['compile', '--check'], ['compile', '--force'], ['validate'], ['validate', '--json'], ['print', 'api'], ['explain', 'api'], ['graph'], ['plan'], ['bake'], ['bake', '-o', '-'], ['build', 'api', '--dry-run']];

  it.each(Object.keys(BAD))('%s', async (name) => {
    const { box, ws } = sandbox({ 'stages.yaml': BAD[name]! });
    const before = tree(box);
    for (const command of COMMANDS) {
      const r = await stagec(ws, ...command);
      expect([1, 2], `${command.join(' ')}: ${r.stderr}`).toContain(r.code);
      expect(r.stderr).not.toMatch(NO_STACK);
      expect(r.stderr).not.toContain('internal error');
    }
    expect(tree(box)).toEqual(before);
  });
});

describe('#10: schema -o goes through the same write path', () => {
  it('writes a new file and replaces its own; never a hand-written file, a symlink or stages.yaml', async () => {
    const { box, ws, outside } = sandbox({ 'stages.yaml': yaml(SERVICE('api', 'apps/api')), 'notes.json': '{"mine": true}\n' });
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'link.json'));
    await unchanged(box, () => stagec(ws, 'schema', '-o', 'notes.json'), 1, 'HAND_WRITTEN_FILE');
    await unchanged(box, () => stagec(ws, 'schema', '-o', 'stages.yaml'), 1, 'HAND_WRITTEN_FILE');
    await unchanged(box, () => stagec(ws, 'schema', '-o', 'link.json'), 1, 'WRITE_FAILED');
    await unchanged(box, () => stagec(ws, 'schema', '-o', ''), 2, '-o needs a file name');
    expect((await stagec(ws, 'schema', '-o', 'schema.json')).code).toBe(0);
    expect((await stagec(ws, 'schema', '-o', 'schema.json')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(ws, 'schema.json'), 'utf8')).$id).toMatch(/stages\.schema\.json$/);
  });
});
