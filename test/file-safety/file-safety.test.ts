import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspace } from '../../packages/cli/test/harness';

const BIN = join(__dirname, '../../packages/cli/bin/stagec.js');
const CLI_DIST = join(__dirname, '../../packages/cli/dist');
const N = 300;

/** Many services with large Dockerfiles, so a compile takes long enough to be interrupted. */
function manyServices(marker: string): string {
  const services = Array.from({ length: N }, (_, i) => `  s${i}:\n    path: apps/s${i}\n    pipeline: p\n`).join('');
  const steps = Array.from({ length: 40 }, (_, i) => `          - run: echo ${marker} step ${i} ${'z'.repeat(200)}\n`).join('');
  return `version: 1\npipelines:\n  p:\n    stages:\n      build:\n        from: alpine:3.20\n        steps:\n${steps}services:\n${services}`;
}

const dockerfiles = (root: string) => Array.from({ length: N }, (_, i) => join(root, `apps/s${i}/Dockerfile`));
const leftovers = (root: string) =>
  readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => f.includes('.stagec-') && f.endsWith('.tmp'));

describe('files are safe', () => {
  it('two concurrent compiles: every Dockerfile is whole, no temp files left', async () => {
    const root = workspace({ 'stages.yaml': manyServices('one') });
    const runs = [0, 1].map(
      () =>
        new Promise<number>((resolve) =>
          spawn(process.execPath, [BIN, 'compile'], { cwd: root, stdio: 'ignore' }).on('close', (c) => resolve(c ?? 1)),
        ),
    );
    expect(await Promise.all(runs)).toEqual([0, 0]);
    const expected = spawnSync(process.execPath, [BIN, 'print', 's0'], { cwd: root, encoding: 'utf8' }).stdout;
    for (const f of dockerfiles(root))
      expect(readFileSync(f, 'utf8')).toBe(expected.replace('service "s0"', `service "${f.split('/').at(-2)}"`));
    expect(leftovers(root)).toEqual([]);
  });

  it('a compile killed mid-way leaves each Dockerfile old or new, never partial, and the next run cleans up', async () => {
    const root = workspace({ 'stages.yaml': manyServices('old') });
    expect(spawnSync(process.execPath, [BIN, 'compile'], { cwd: root }).status).toBe(0);
    const old = readFileSync(dockerfiles(root)[0]!, 'utf8');
    writeFileSync(join(root, 'stages.yaml'), manyServices('new'));
    // The CLI from its compiled modules (the bin's bundle holds its own copy of the hooks),
    // SIGKILLed by itself right before its 151st rename: every temp file is written, half the
    // Dockerfiles are renamed into place. Waiting for its output would come too late: compile
    // prints only after the last rename.
    const killer = `const { writeHooks } = require(${JSON.stringify(join(CLI_DIST, 'write.js'))});
writeHooks.beforeRename = (_, index) => { if (index === ${N / 2}) process.kill(process.pid, 'SIGKILL'); };
require(${JSON.stringify(join(CLI_DIST, 'index.js'))}).run(['compile']);`;
    const child = spawn(process.execPath, ['-e', killer], { cwd: root, stdio: 'ignore' });
    const signal = await new Promise((resolve) => child.on('close', (_, s) => resolve(s)));
    expect(signal).toBe('SIGKILL');
    expect(leftovers(root).length).toBeGreaterThan(0);
    const fresh = old.replaceAll(' old ', ' new ');
    let updated = 0;
    for (const f of dockerfiles(root)) {
      const text = readFileSync(f, 'utf8').replace(/service "s\d+"/, 'service "s0"');
      expect([old, fresh]).toContain(text);
      if (text === fresh) updated++;
    }
    expect(updated).toBeGreaterThan(0);
    expect(updated).toBeLessThan(N);
    expect(spawnSync(process.execPath, [BIN, 'compile'], { cwd: root }).status).toBe(0);
    expect(leftovers(root)).toEqual([]);
  });

  it('--check never writes; a hand-written Dockerfile is never overwritten without --force', () => {
    const root = workspace({ 'stages.yaml': manyServices('x'), 'apps/s1/Dockerfile': 'FROM scratch\n' });
    expect(spawnSync(process.execPath, [BIN, 'compile', '--check'], { cwd: root, stdio: 'ignore' }).status).toBe(1);
    expect(existsSync(dockerfiles(root)[0]!)).toBe(false);
    expect(spawnSync(process.execPath, [BIN, 'compile'], { cwd: root }).status).toBe(1);
    expect(readFileSync(dockerfiles(root)[1]!, 'utf8')).toBe('FROM scratch\n');
    expect(existsSync(dockerfiles(root)[0]!)).toBe(false);
  });
});
