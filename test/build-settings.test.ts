import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagec } from '../packages/cli/test/harness';
import { FIXTURES, golden } from './helpers/fixtures';

// `plan --json` is the CI matrix: golden files for one platform and for several (a job per
// platform pushing by digest, then a manifest-merge job), from the build-settings fixture.
const FIXTURE = join(FIXTURES, 'compile', 'build-settings');

async function fixtureWorkspace(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'stagec-build-settings-'));
  cpSync(join(FIXTURE, 'stages.yaml'), join(root, 'stages.yaml'));
  expect((await stagec(root, 'compile')).code).toBe(0);
  return root;
}

describe('plan --json golden files', () => {
  it.each([
    ['plan-one-platform.json', ['web', '--engine', 'buildx']],
    ['plan-several-platforms.json', ['api', '--engine', 'buildx']],
    ['plan-docker.json', ['tool']],
  ])('%s', async (file, args) => {
    const root = await fixtureWorkspace();
    const r = await stagec(root, 'plan', ...args, '--json');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(golden(join(FIXTURE, 'expected', file), r.stdout));
  });

  it('several platforms: each platform job pushes by digest, the merge job waits for all of them and tags', async () => {
    const root = await fixtureWorkspace();
    const jobs = JSON.parse((await stagec(root, 'plan', 'api', '--engine', 'buildx', '--json')).stdout) as {
      id: string;
      kind: string;
      argv: string[];
      depends_on: string[];
      sources?: { build: string; metadataFile: string }[];
    }[];
    expect(jobs.map((j) => [j.id, j.kind])).toEqual([
      ['api:runtime@linux/amd64', 'build'],
      ['api:runtime@linux/arm64', 'build'],
      ['api:runtime', 'merge'],
    ]);
    for (const job of jobs.slice(0, 2)) {
      expect(job.argv).toContain('type=image,name=registry.example.com/acme/api,push-by-digest=true,name-canonical=true,push=true');
      expect(job.argv).not.toContain('-t');
    }
    const merge = jobs[2]!;
    expect(merge.depends_on).toEqual(['api:runtime@linux/amd64', 'api:runtime@linux/arm64']);
    expect(merge.argv).toEqual(['docker', 'buildx', 'imagetools', 'create', '-t', 'registry.example.com/acme/api:1.0']);
    expect(merge.sources!.map((s) => s.metadataFile)).toEqual(jobs.slice(0, 2).map((j) => j.argv[j.argv.indexOf('--metadata-file') + 1]));
  });

  it("the merge job's shell line reads each platform's digest from buildx's metadata file and tags the manifest list", async () => {
    const root = await fixtureWorkspace();
    const jobs = JSON.parse((await stagec(root, 'plan', 'api', '--engine', 'buildx', '--json')).stdout) as { kind: string; shell?: string; sources?: { metadataFile: string }[] }[];
    const merge = jobs.find((j) => j.kind === 'merge')!;
    // What buildx --metadata-file writes (pretty-printed), one digest per platform job.
    const digests = ['a'.repeat(64), 'b'.repeat(64)];
    merge.sources!.forEach((source, i) => {
      mkdirSync(join(root, source.metadataFile, '..'), { recursive: true });
      writeFileSync(
        join(root, source.metadataFile),
        `${JSON.stringify({ 'buildx.build.ref': 'x/y/z', 'containerimage.descriptor': { digest: 'sha256:' + 'f'.repeat(64), size: 1 }, 'containerimage.digest': `sha256:${digests[i]}` }, null, 2)}\n`,
      );
    });
    // A stand-in docker that prints its arguments, one per line.
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'docker'), '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n');
    chmodSync(join(root, 'bin', 'docker'), 0o755);
    const r = spawnSync('sh', ['-c', merge.shell!], { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH}` } });
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'buildx',
      'imagetools',
      'create',
      '-t',
      'registry.example.com/acme/api:1.0',
      `registry.example.com/acme/api@sha256:${digests[0]}`,
      `registry.example.com/acme/api@sha256:${digests[1]}`,
    ]);
  });

  it('text plan: the docker engine cannot build two platforms or export a registry cache, and says what to use', async () => {
    const root = await fixtureWorkspace();
    const r = await stagec(root, 'plan', 'api');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('api:runtime: 2 platforms (linux/amd64, linux/arm64): the docker engine builds one; use --engine buildx');
    expect(r.stderr).toContain('api:runtime: cache-to "type=registry,ref=registry.example.com/acme/api:cache-runtime,mode=max": docker build exports only the inline cache');
    expect(r.stderr).toContain('api:runtime: provenance attestations need --engine buildx');
    expect(r.stderr).toContain('api:runtime: SBOM attestations need --engine buildx');
  });

  it('text plan: the push commands follow each build; cache-only stages are never pushed', async () => {
    const root = await fixtureWorkspace();
    const r = await stagec(root, 'plan', 'web', '--target', 'lint', '--cache-to', 'type=inline', '--cache-from', 'ghcr.io/web-team/web:stable-lint', '--engine', 'docker');
    // provenance: false and sbom: true for web; sbom cannot be done by docker
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('web:lint: SBOM attestations need --engine buildx');
    const tool = await stagec(root, 'plan', 'tool', '--push', '--tag', 'sha-1');
    expect(tool.stdout).toBe(
      [
        'DOCKER_BUILDKIT=1 docker build -f tools/tool/Dockerfile --target runtime -t registry.example.com/acme/tool:1.0 -t registry.example.com/acme/tool:sha-1 --secret id=token,env=API_TOKEN tools/tool',
        'docker push registry.example.com/acme/tool:1.0',
        'docker push registry.example.com/acme/tool:sha-1',
        '',
      ].join('\n'),
    );
    const test = await stagec(root, 'plan', 'api', '--target', 'test', '--engine', 'buildx');
    expect(test.stdout).toContain('--output=type=cacheonly');
    expect(test.stdout).not.toContain('--push');
  });
});
