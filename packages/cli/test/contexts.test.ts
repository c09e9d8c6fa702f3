import dockerignore from '@balena/dockerignore';
import { existsSync, readFileSync, writeFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagec, workspace } from './harness';

const CONFIG = `version: 1
stages:
  node: { from: "node:20-bookworm-slim", workdir: /app, steps: [{ copy: . }, { run: npm ci }] }
defaults:
  context: .
services:
  api: { path: apps/api, stages: { build: { extends: node } } }
  web: { path: apps/web, stages: { build: { extends: node } } }
  solo: { path: apps/solo, context: apps/solo, stages: { build: { extends: node } } }
  gosvc: { path: services/go, stages: { build: { extends: node } } }
`;

const pkg = (name: string, deps: Record<string, string> = {}): string => JSON.stringify({ name, version: '1.0.0', dependencies: deps });

/** An npm workspace: api uses lib (which uses util), web uses nothing local. */
const FILES = {
  'stages.yaml': CONFIG,
  'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*', 'packages/*'] }),
  'package-lock.json': '{}',
  '.npmrc': 'fund=false\n',
  '.dockerignore': '**/node_modules\n.git\n**/*.md\n!**/README.md\n',
  'README.md': 'root\n',
  'apps/api/package.json': pkg('api', { lib: '*' }),
  'apps/api/index.js': '',
  'apps/api/README.md': '',
  'apps/web/package.json': pkg('web', { express: '^4' }),
  'apps/solo/package.json': pkg('solo'),
  'packages/lib/package.json': pkg('lib', { util: '1.0.0' }),
  'packages/util/package.json': pkg('util'),
  'packages/other/package.json': pkg('other'),
  'services/go/go.mod': 'module example.com/go\n',
};

const sends = (rules: string, path: string): boolean => !dockerignore({ ignorecase: false }).add(rules).ignores(path);

describe('compile: pruned root contexts', () => {
  it('writes <dockerfile>.dockerignore for root contexts only, built on the root .dockerignore', async () => {
    const root = workspace(FILES);
    const ran = await stagec(root, 'compile');
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('created apps/api/Dockerfile.dockerignore');
    expect(ran.stdout).toContain('(4 Dockerfiles, 2 ignore files)');
    const api = readFileSync(join(root, 'apps/api/Dockerfile.dockerignore'), 'utf8');
    for (const path of ['apps/api/index.js', 'apps/api/README.md', 'packages/lib/package.json', 'packages/util/package.json', 'package.json', 'package-lock.json', '.npmrc']) expect(sends(api, path), path).toBe(true);
    for (const path of ['apps/web/package.json', 'packages/other/package.json', 'README.md', 'apps/api/node_modules/x.js', 'stages.yaml', '.dockerignore']) expect(sends(api, path), path).toBe(false);
    const web = readFileSync(join(root, 'apps/web/Dockerfile.dockerignore'), 'utf8');
    expect(sends(web, 'packages/lib/package.json')).toBe(false);
    expect(sends(web, 'apps/web/package.json')).toBe(true);
    expect((await stagec(root, 'compile')).stdout).toContain('0 written, 6 unchanged');
    // A root context of a folder that is no workspace package (a Go service) is left whole.
    expect(existsSync(join(root, 'services/go/Dockerfile.dockerignore'))).toBe(false);
  });

  it('--check fails when a change of the workspace (a new local dependency) makes an ignore file stale', async () => {
    const root = workspace(FILES);
    await stagec(root, 'compile');
    expect((await stagec(root, 'compile', '--check')).code).toBe(0);
    writeFileSync(join(root, 'apps/web/package.json'), pkg('web', { other: '*' }));
    const check = await stagec(root, 'compile', '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('stale: apps/web/Dockerfile.dockerignore');
    expect(check.stdout).toContain('+!packages/other');
    writeFileSync(join(root, '.dockerignore'), '**/node_modules\n');
    expect((await stagec(root, 'compile', '--check')).stdout).toContain('stale: apps/api/Dockerfile.dockerignore');
  });

  it('never writes an ignore file through a symlink, nor over a hand-written one', async () => {
    const root = workspace(FILES);
    writeFileSync(join(root, 'apps/api/Dockerfile.dockerignore'), '# mine\n*\n');
    mkdirSync(join(root, 'elsewhere'));
    symlinkSync(join(root, 'elsewhere/x'), join(root, 'apps/web/Dockerfile.dockerignore'));
    const ran = await stagec(root, 'compile');
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('HAND_WRITTEN_FILE');
    expect(ran.stderr).toContain('WRITE_FAILED');
    expect(readFileSync(join(root, 'apps/api/Dockerfile.dockerignore'), 'utf8')).toBe('# mine\n*\n');
  });

  it('a broken workspace manifest is a WORKSPACE_INVALID warning; the rest is still pruned', async () => {
    const root = workspace({ ...FILES, 'packages/util/package.json': '{ nope' });
    const ran = await stagec(root, 'compile');
    expect(ran.code).toBe(0);
    expect(ran.stderr).toMatch(/packages\/util\/package\.json.*WORKSPACE_INVALID/);
    expect(ran.stderr).toContain(['WORKSPACE_INVALID'][0]);
    expect(sends(readFileSync(join(root, 'apps/api/Dockerfile.dockerignore'), 'utf8'), 'packages/lib/index.js')).toBe(true);
  });

  it('plan passes the ignore file to podman and buildah (--ignorefile); BuildKit finds it next to the Dockerfile', async () => {
    const root = workspace(FILES);
    // plan, like build, refuses while an ignore file is missing or stale: it shapes what is built.
    expect((await stagec(root, 'plan', 'api', '--engine', 'podman')).code).toBe(1);
    await stagec(root, 'compile');
    for (const engine of ['podman', 'buildah']) {
      const plan = await stagec(root, 'plan', 'api', '--engine', engine);
      expect(plan.stdout).toContain('--ignorefile apps/api/Dockerfile.dockerignore');
    }
    expect((await stagec(root, 'plan', 'api', '--engine', 'docker')).stdout).not.toContain('--ignorefile');
    expect((await stagec(root, 'plan', 'solo', '--engine', 'podman')).stdout).not.toContain('--ignorefile');
  });

  it('an ignore file no service writes any more is an orphan: --check fails, --prune removes it', async () => {
    const root = workspace(FILES);
    await stagec(root, 'compile');
    writeFileSync(join(root, 'stages.yaml'), CONFIG.replace("  web: { path: apps/web, stages", "  web: { path: apps/web, context: apps/web, stages"));
    const check = await stagec(root, 'compile', '--check');
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain('apps/web/Dockerfile.dockerignore');
    expect((await stagec(root, 'compile', '--prune')).code).toBe(0);
    expect(existsSync(join(root, 'apps/web/Dockerfile.dockerignore'))).toBe(false);
    expect(existsSync(join(root, 'apps/api/Dockerfile.dockerignore'))).toBe(true);
    expect((await stagec(root, 'compile', '--check')).code).toBe(0);
  });

  it('a manifests step compiles, validates and prints in the workspace; without one it is NO_WORKSPACE', async () => {
    // solo builds from its own folder, where the root manifest is out of reach (CONTEXT_OUTSIDE): left out here.
    const config = CONFIG.replace('steps: [{ copy: . }, { run: npm ci }]', 'steps: [{ manifests: {} }, { run: npm ci }, { copy: . }]').replace(/\n  solo: .*\n/, '\n');
    const root = workspace({ ...FILES, 'stages.yaml': config });
    expect((await stagec(root, 'validate')).code).toBe(0);
    const printed = await stagec(root, 'print', 'api');
    expect(printed.stdout).toContain('COPY packages/util/package.json ./packages/util/\n');
    const { 'package.json': _, ...rest } = FILES;
    const bare = await stagec(workspace({ ...rest, 'stages.yaml': config }), 'validate');
    expect(bare.code).toBe(1);
    expect(bare.stdout + bare.stderr).toContain('NO_WORKSPACE');
  });

  it('no workspace: a plain root context is not pruned', async () => {
    const { 'package.json': _, ...rest } = FILES;
    const root = workspace(rest);
    const ran = await stagec(root, 'compile');
    expect(ran.stdout).toContain('(4 Dockerfiles)');
  });
});
