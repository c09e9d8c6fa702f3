import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TWO_SERVICES, workspace } from './harness';

// The write path in a real process, on the built CLI (npm test builds first): what compile
// loads, and compile in a worker thread, which cannot chdir and so re-checks folders by
// realpath(3) and renames by full path (folder-pin.ts).
const DIST = join(__dirname, '../dist/index.js');

/** Runs a script file (not `node -e`, which loads node:crypto and others for its globals). */
function node(cwd: string, script: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'stagec-probe-')), 'probe.cjs');
  writeFileSync(file, script);
  return spawnSync(process.execPath, [file], { cwd, encoding: 'utf8' });
}

const RUN = `
  const { run, ownProcess } = require(${JSON.stringify(DIST)});
  ownProcess(); // as bin/stagec.js does: pinning on, so a worker's refused chdir is what turns it off
  const io = (out) => ({ cwd: process.cwd(), env: {}, stdout: { write: (s) => ((out.text += s), true) }, stderr: { write: (s) => ((out.text += s), true) } });
`;

describe('the write path in a real process', () => {
  it('compile loads neither node:crypto, node:os nor node:worker_threads (their start-up is paid on every run)', () => {
    const cwd = workspace({ 'stages.yaml': TWO_SERVICES, 'apps/api/.keep': '', 'apps/web/.keep': '' });
    const r = node(
      cwd,
      `${RUN}
      const before = new Set(process.moduleLoadList);
      const out = { text: '' };
      run(['compile'], io(out)).then((code) => {
        const loaded = process.moduleLoadList.filter((m) => !before.has(m)).map((m) => m.replace('NativeModule ', ''));
        process.stdout.write(JSON.stringify({ code, out: out.text, loaded }));
      });`,
    );
    const { code, out, loaded } = JSON.parse(r.stdout) as { code: number; out: string; loaded: string[] };
    expect(code, out + r.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'apps/api'))).toContain('Dockerfile');
    expect(loaded.filter((m) => ['crypto', 'os', 'worker_threads'].includes(m))).toEqual([]);
  });

  it('compile in a worker thread (no chdir there) writes every file, through the realpath re-check', () => {
    const cwd = workspace({ 'stages.yaml': TWO_SERVICES, 'apps/api/.keep': '', 'apps/web/.keep': '' });
    const r = node(
      cwd,
      `const { Worker } = require('node:worker_threads');
      const worker = new Worker(${JSON.stringify(`${RUN}
        const out = { text: '' };
        run(['compile'], io(out)).then((code) => require('node:worker_threads').parentPort.postMessage({ code, out: out.text }));`)}, { eval: true });
      worker.on('message', (m) => process.stdout.write(JSON.stringify(m)));`,
    );
    const { code, out } = JSON.parse(r.stdout) as { code: number; out: string };
    expect(code, out + r.stderr).toBe(0);
    expect(out).toContain('2 written');
    expect(readdirSync(join(cwd, 'apps/web')).sort()).toEqual(['.keep', 'Dockerfile']);
  });
});
