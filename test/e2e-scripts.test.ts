import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// run.sh refuses an engine env file that lacks a variable the e2e tests read (no engine needed here).
const LIB = join(__dirname, '..', 'scripts/e2e/lib/env-file.sh');

function missing(text: string): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'stagec-env-')), 'env');
  writeFileSync(file, text);
  const r = spawnSync('bash', ['-c', `. "$0"; engine_env_missing "$1"`, LIB, file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

const COMPLETE =
  'export DOCKER_HOST=unix:///tmp/d.sock\nexport DOCKER_BUILDKIT=1\nexport STAGEC_DOCKER=/usr/bin/docker\nexport STAGEC_E2E_DIR=/tmp/e\n';

describe("scripts/e2e: engine.sh's env file", () => {
  it('complete, without STAGEC_NETWORK (an engine with a bridge needs none): nothing missing', () => {
    expect(missing(COMPLETE)).toEqual([]);
  });

  it('names each variable that is absent or empty', () => {
    expect(missing(COMPLETE.replace('export STAGEC_DOCKER=/usr/bin/docker\n', '').replace('=unix:///tmp/d.sock', '='))).toEqual([
      'DOCKER_HOST',
      'STAGEC_DOCKER',
    ]);
    expect(missing('')).toEqual(['DOCKER_HOST', 'DOCKER_BUILDKIT', 'STAGEC_DOCKER', 'STAGEC_E2E_DIR']);
  });
});
