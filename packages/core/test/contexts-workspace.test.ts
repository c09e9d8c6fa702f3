import { describe, expect, it } from 'vitest';
import { compile, contextSet, describeWorkspace, manifestDependencies, workspaceGlobs, type WorkspaceInput } from '../src';

const pkg = (name: string, deps: Record<string, Record<string, string>> = {}): string => JSON.stringify({ name, version: '1.0.0', ...deps });

describe('workspace detection (pure part)', () => {
  it('npm: package.json workspaces as a list', () => {
    expect(workspaceGlobs(JSON.stringify({ workspaces: ['apps/*', 'packages/*'] }), undefined)).toEqual({ ok: true, value: ['apps/*', 'packages/*'] });
  });

  it('yarn classic: workspaces as {packages, nohoist}', () => {
    expect(workspaceGlobs(JSON.stringify({ private: true, workspaces: { packages: ['libs/**'], nohoist: ['**/x'] } }), undefined)).toEqual({ ok: true, value: ['libs/**'] });
  });

  it('pnpm: pnpm-workspace.yaml wins over package.json', () => {
    const yaml = "packages:\n  - 'apps/*'\n  - 'packages/**'\n  - '!**/test/**'\n";
    expect(workspaceGlobs(JSON.stringify({ workspaces: ['ignored/*'] }), yaml)).toEqual({ ok: true, value: ['apps/*', 'packages/**', '!**/test/**'] });
    expect(workspaceGlobs(undefined, '')).toEqual({ ok: true, value: [] });
  });

  it('not a workspace, and broken manifests, are told apart', () => {
    expect(workspaceGlobs(JSON.stringify({ name: 'x' }), undefined)).toEqual({ ok: true, value: undefined });
    expect(workspaceGlobs(undefined, undefined)).toEqual({ ok: true, value: undefined });
    expect(workspaceGlobs('{', undefined).ok).toBe(false);
    expect(workspaceGlobs(JSON.stringify({ workspaces: 'apps/*' }), undefined).ok).toBe(false);
    expect(workspaceGlobs(undefined, 'packages: apps/*').ok).toBe(false);
    expect(workspaceGlobs(undefined, 'packages: [').ok).toBe(false);
  });

  it('dependencies of every kind, workspace: aliases and file:/link:/portal: paths', () => {
    const text = JSON.stringify({
      name: '@acme/api',
      dependencies: { '@acme/lib': 'workspace:*', express: '^4' },
      devDependencies: { cfg: 'workspace:@acme/config@^1.0.0' },
      peerDependencies: { '@acme/peer': '*' },
      optionalDependencies: { linked: 'link:../../packages/linked', portal: 'portal:../../packages/portal' },
    });
    expect(manifestDependencies(text, 'apps/api')).toEqual({
      ok: true,
      value: { name: '@acme/api', names: ['@acme/config', '@acme/lib', '@acme/peer', 'cfg', 'express', 'linked', 'portal'], paths: ['packages/linked', 'packages/portal'] },
    });
  });
});

/** A pnpm layout: workspace: protocol, a transitive chain, a package depended on by path. */
const PNPM: WorkspaceInput = {
  manager: 'pnpm',
  lockfile: 'pnpm-lock.yaml',
  rootFiles: ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc'],
  manifests: [
    { dir: 'apps/api', text: pkg('@acme/api', { dependencies: { '@acme/lib': 'workspace:^' } }) },
    { dir: 'apps/web', text: pkg('@acme/web', { dependencies: { ui: 'workspace:@acme/ui@*' } }) },
    { dir: 'apps/worker', text: pkg('@acme/worker', { dependencies: { tool: 'link:../../tools/tool' } }) },
    { dir: 'packages/lib', text: pkg('@acme/lib', { devDependencies: { '@acme/config': 'workspace:*' } }) },
    { dir: 'packages/ui', text: pkg('@acme/ui') },
    { dir: 'packages/config', text: pkg('@acme/config', { peerDependencies: { '@acme/lib': 'workspace:*' } }) },
    { dir: 'tools/tool', text: pkg('tool') },
    { dir: 'broken', text: '{' },
  ],
};

/** A yarn (berry) layout: plain ranges name workspace packages, .yarn folders are root files. */
const YARN: WorkspaceInput = {
  manager: 'yarn',
  lockfile: 'yarn.lock',
  rootFiles: ['.yarn/releases', '.yarnrc.yml', 'package.json', 'yarn.lock'],
  manifests: [
    { dir: 'services/a', text: pkg('a', { dependencies: { shared: '1.0.0' } }) },
    { dir: 'services/b', text: pkg('b', { dependencies: { shared: 'workspace:^' } }) },
    { dir: 'services/c', text: pkg('c', { dependencies: { lodash: '^4' } }) },
    { dir: 'libs/shared', text: pkg('shared') },
  ],
};

describe('context sets', () => {
  it('pnpm: transitive local dependencies, cycles, link: paths; a broken manifest is reported, not fatal', () => {
    const { workspace, problems } = describeWorkspace(PNPM);
    expect(problems.map((p) => p.dir)).toEqual(['broken']);
    expect(contextSet('apps/api', workspace).entries).toEqual(['.npmrc', 'apps/api', 'package.json', 'packages/config', 'packages/lib', 'pnpm-lock.yaml', 'pnpm-workspace.yaml']);
    expect(contextSet('apps/web', workspace).packages).toEqual(['apps/web', 'packages/ui']);
    expect(contextSet('apps/worker', workspace).packages).toEqual(['apps/worker', 'tools/tool']);
  });

  it('yarn: plain ranges and workspace: both link; an unrelated service keeps its own folder only', () => {
    const { workspace } = describeWorkspace(YARN);
    expect(contextSet('services/a', workspace).packages).toEqual(['libs/shared', 'services/a']);
    expect(contextSet('services/b', workspace).packages).toEqual(['libs/shared', 'services/b']);
    expect(contextSet('services/c', workspace).entries).toEqual(['.yarn/releases', '.yarnrc.yml', 'package.json', 'services/c', 'yarn.lock']);
  });

  it('an explicit include replaces the default root files', () => {
    const { workspace } = describeWorkspace(YARN);
    expect(contextSet('services/c', workspace, ['tsconfig.json']).entries).toEqual(['services/c', 'tsconfig.json']);
  });
});

const CONFIG = `version: 1
stages:
  base: { from: "debian:bookworm-slim" }
services:
  a: { path: services/a, context: ., stages: { build: { extends: base } } }
  c:
    path: services/c
    context: { path: ., include: [package.json, yarn.lock] }
    stages: { build: { extends: base } }
  own: { path: services/own, stages: { build: { extends: base } } }
  whole: { path: services/b, context: { path: ., prune: false }, stages: { build: { extends: base } } }
  nested:
    path: services/a
    dockerfile: services/a/Dockerfile.nested
    context: { path: services, include: [yarn.lock] }
    stages: { build: { extends: base } }
`;

describe('compile with a workspace', () => {
  it('prunes root contexts, keeps the object form without a workspace, and leaves other contexts alone', () => {
    const { workspace } = describeWorkspace(YARN);
    const result = compile(CONFIG.replace(/\n  nested:[\s\S]*$/, '\n'), { workspace });
    expect(result.diagnostics).toEqual([]);
    expect(result.contexts.map((c) => [c.service, c.ignoreFile, c.entries])).toEqual([
      ['a', 'services/a/Dockerfile.dockerignore', ['.yarn/releases', '.yarnrc.yml', 'libs/shared', 'package.json', 'services/a', 'yarn.lock']],
      ['c', 'services/c/Dockerfile.dockerignore', ['package.json', 'services/c', 'yarn.lock']],
    ]);
    const without = compile(CONFIG.replace(/\n  nested:[\s\S]*$/, '\n'));
    expect(without.contexts.map((c) => c.service)).toEqual(['c']);
  });

  it('CONTEXT_OUTSIDE: a set entry outside the context, at the context value', () => {
    const { workspace } = describeWorkspace(YARN);
    const result = compile(CONFIG, { workspace });
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['CONTEXT_OUTSIDE', 15, 14]]);
  });
});

describe('the manifests step', () => {
  const NPM: WorkspaceInput = {
    manager: 'npm',
    lockfile: 'package-lock.json',
    rootFiles: ['.npmrc', 'package-lock.json', 'package.json', 'tsconfig.json'],
    manifests: [
      { dir: 'apps/api', text: pkg('api', { dependencies: { lib: '*' } }) },
      { dir: 'packages/lib', text: pkg('lib', { dependencies: { util: '*' } }) },
      { dir: 'packages/util', text: pkg('util') },
      { dir: 'packages/other', text: pkg('other') },
    ],
  };
  const config = (lockfile: boolean, context = '.') => `version: 1
services:
  api:
    path: apps/api
    context: ${context}
    stages:
      deps:
        from: "node:20-bookworm-slim"
        workdir: /app
        steps:
          - manifests: { lockfile: ${lockfile} }
          - run: npm ci
      build: { from: deps, steps: [{ copy: . }] }
`;

  it('copies the root manifest, lockfile and install config, then each local package.json to its folder', () => {
    const { workspace } = describeWorkspace(NPM);
    const result = compile(config(true), { workspace });
    expect(result.diagnostics).toEqual([]);
    const lines = result.dockerfiles[0]!.text.split('\n').filter((l) => l.startsWith('COPY') || l.startsWith('RUN'));
    expect(lines).toEqual([
      'COPY package.json package-lock.json .npmrc ./',
      'COPY apps/api/package.json ./apps/api/',
      'COPY packages/lib/package.json ./packages/lib/',
      'COPY packages/util/package.json ./packages/util/',
      'RUN npm ci',
      'COPY . ./',
    ]);
  });

  it('one COPY --parents where the syntax has it', () => {
    const { workspace } = describeWorkspace(NPM);
    const text = compile(config(true).replace('version: 1\n', 'version: 1\ndefaults: { syntax: "docker/dockerfile:1.20" }\n'), { workspace }).dockerfiles[0]!.text;
    expect(text).toContain('COPY --parents package.json package-lock.json .npmrc apps/api/package.json packages/lib/package.json packages/util/package.json ./\n');
    const labs = compile(config(true).replace('version: 1\n', 'version: 1\ndefaults: { syntax: "docker/dockerfile:1.7-labs" }\n'), { workspace }).dockerfiles[0]!.text;
    expect(labs).toContain('COPY --parents ');
    expect(compile(config(true).replace('version: 1\n', 'version: 1\ndefaults: { syntax: "docker/dockerfile:1.7" }\n'), { workspace }).dockerfiles[0]!.text).not.toContain('--parents');
  });

  it('lockfile: false leaves the lockfile out', () => {
    const { workspace } = describeWorkspace(NPM);
    expect(compile(config(false), { workspace }).dockerfiles[0]!.text).toContain('COPY package.json .npmrc ./\n');
  });

  it('CONTEXT_OUTSIDE at the step when the context is the service folder', () => {
    const { workspace } = describeWorkspace(NPM);
    expect(compile(config(true, 'apps/api'), { workspace }).diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['CONTEXT_OUTSIDE', 11, 13]]);
  });
});
