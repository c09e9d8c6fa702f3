import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitWrites, planWrites, removeStaleTemps } from '../src/write';

const HOST = hostname().replace(/[^A-Za-z0-9.]/g, '_');
/** A pid that is certainly gone: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('temp files', () => {
  it('commitWrites leaves only the target, its temp named after host and pid while it exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stagec-write-'));
    const planned = planWrites(
      [{ display: 'Dockerfile', absolute: join(dir, 'Dockerfile'), content: 'FROM scratch\n', origin: { flag: 'test' }, scope: 'workspace', replace: 'generated', isGenerated: () => true }],
      { root: dir, inputs: [], maxBytes: 1024 },
    );
    expect(commitWrites(planned).failure).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['Dockerfile']);
  });

  it("removes a dead run's temp files from this host; keeps live runs' and other hosts' (another container's pid means nothing here)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'stagec-write-'));
    const name = (host: string, pid: number) => `.Dockerfile.stagec-${host}-${pid}-0a1b2c3d.tmp`;
    const dead = deadPid();
    const files = {
      dead: name(HOST, dead),
      live: name(HOST, process.ppid),
      otherHost: name('build-agent-7', dead),
      otherFile: `.Other.stagec-${HOST}-${dead}-0a1b2c3d.tmp`,
    };
    for (const f of Object.values(files)) writeFileSync(join(dir, f), 'partial');
    removeStaleTemps(join(dir, 'Dockerfile'));
    expect(readdirSync(dir).sort()).toEqual([files.live, files.otherHost, files.otherFile].sort());
  });
});
