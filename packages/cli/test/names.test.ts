import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagec, TWO_SERVICES, workspace } from './harness';

const BIN = join(__dirname, '../bin/stagec.js');

describe('names from the command line that do not exist are usage errors (exit 2) with a did-you-mean', () => {
  it.each([
    ['print', ['print', 'apii']],
    ['explain', ['explain', 'apii']],
    ['compile --service', ['compile', '--service', 'apii']],
  ])('%s: UNKNOWN_SERVICE without a position into the file', async (_name, argv) => {
    const result = await stagec(workspace({ 'stages.yaml': TWO_SERVICES }), ...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('stages.yaml error UNKNOWN_SERVICE  service "apii" is not defined in stages.yaml');
    expect(result.stderr).toContain('hint: did you mean "api"?');
    expect(result.stderr).not.toMatch(/stages\.yaml:1:1/);
  });

  it('build and plan: unknown service, unknown target', async () => {
    const root = workspace({ 'stages.yaml': TWO_SERVICES });
    const build = await stagec(root, 'build', 'apii', '--dry-run');
    expect(build.code).toBe(2);
    expect(build.stderr).toMatch(/^stages\.yaml error UNKNOWN_SERVICE  service "apii" is not defined\n   hint: did you mean "api"\?\n/);
    const plan = await stagec(root, 'plan', 'api', '--target', 'tset');
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/^stages\.yaml error UNKNOWN_STAGE  service "api" has no stage "tset"\n   hint: did you mean "test"\?\n/);
  });

  it('explain: unknown stage, with the nearest or the list of stages', async () => {
    const root = workspace({ 'stages.yaml': TWO_SERVICES });
    const near = await stagec(root, 'explain', 'api', 'runtmie');
    // A diagnostic like any other: the code, then the hint; no position (the name is on the command line).
    expect(near.code).toBe(2);
    expect(near.stderr).toMatch(
      /^stages\.yaml error UNKNOWN_STAGE  service "api" has no stage "runtmie"\n   hint: did you mean "runtime"\?\n/,
    );
    const far = await stagec(root, 'explain', 'api', 'lint');
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('hint: its stages: deps, test, runtime');
  });

  it('a misspelt stage override points at the pipeline stage it probably means', async () => {
    const root = workspace({
      'stages.yaml': TWO_SERVICES.replace('      test: null', '      test: null\n      runtmie: { env: { A: "1" } }'),
    });
    const result = await stagec(root, 'validate');
    expect(result.stderr).toMatch(/stages\.yaml:\d+:7 error MISSING_FROM/);
    expect(result.stderr).toContain('did you mean "runtime", a stage of pipeline "node"?');
  });
});

describe('a reader that goes away', () => {
  // Enough lines that the output is still being written when the reader leaves.
  const steps = Array.from({ length: 3000 }, (_, i) => `        - run: echo ${i}\n`).join('');
  const big = `version: 1\nservices:\n  api:\n    path: api\n    stages:\n      build:\n        from: alpine:3.20\n        steps:\n${steps}`;

  /** Runs stagec, closing its stdout after the first chunk; the exit code and stderr. */
  async function headOne(root: string, ...argv: string[]): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stderr };
  }

  it('`stagec explain api | head -1` ends quietly: no EPIPE stack trace, exit 0', async () => {
    const { code, stderr } = await headOne(workspace({ 'stages.yaml': big }), 'explain', 'api');
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });

  it('`stagec compile --check | head -1` still exits 1 when Dockerfiles are stale', async () => {
    const { code, stderr } = await headOne(workspace({ 'stages.yaml': big }), 'compile', '--check');
    expect(stderr).toContain('1 of 1 Dockerfiles are stale');
    expect(code).toBe(1);
  });
});
