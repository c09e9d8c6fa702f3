import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodes } from '../src';

/** A pnpm workspace built from the root: each image target's inputs are its context set, not the whole repository. */
const FILES: Record<string, string> = {
  'stages.yaml': `version: 1
defaults: { context: . }
services:
  api: { path: apps/api, stages: { build: { from: "node:20", steps: [{ copy: . }] } } }
  web: { path: apps/web, stages: { build: { from: "node:20", steps: [{ copy: . }] } } }
`,
  'package.json': JSON.stringify({ name: 'root', private: true }),
  'pnpm-workspace.yaml': 'packages: [apps/*, packages/*]\n',
  'pnpm-lock.yaml': 'lockfileVersion: 9.0\n',
  'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { lib: 'workspace:*' } }),
  'apps/web/package.json': JSON.stringify({ name: 'web' }),
  'packages/lib/package.json': JSON.stringify({ name: 'lib' }),
};

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'stagec-nx-ctx-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const run = async (root: string) => ((await createNodes[1](['stages.yaml'], {}, { workspaceRoot: root } as never)) as [[string, { projects: Record<string, any> }]])[0][1].projects;

describe('Nx inputs follow the context set', () => {
  it('a pruned root context: the service, its local dependencies, the root files and the ignore files', async () => {
    const projects = await run(workspace(FILES));
    const inputs: string[] = projects['apps/api'].targets['image:build'].inputs;
    expect(inputs).not.toContain('{workspaceRoot}/**/*');
    expect(inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/apps/api/**/*',
        '{workspaceRoot}/packages/lib/**/*',
        '{workspaceRoot}/package.json',
        '{workspaceRoot}/pnpm-lock.yaml',
        '{workspaceRoot}/pnpm-workspace.yaml',
        '{workspaceRoot}/.dockerignore',
        '{workspaceRoot}/apps/api/Dockerfile.dockerignore',
      ]),
    );
    const web: string[] = projects['apps/web'].targets['image:build'].inputs;
    expect(web.some((i) => i.includes('packages/lib'))).toBe(false);
  });

  it('a new local dependency changes the inputs (the workspace is part of the plugin cache key)', async () => {
    const root = workspace(FILES);
    await run(root);
    writeFileSync(join(root, 'apps/web/package.json'), JSON.stringify({ name: 'web', dependencies: { lib: 'workspace:*' } }));
    const projects = await run(root);
    expect(projects['apps/web'].targets['image:build'].inputs).toContain('{workspaceRoot}/packages/lib/**/*');
  });

  it('without a workspace a root context stays the whole workspace', async () => {
    const { 'pnpm-workspace.yaml': _, ...rest } = FILES;
    const projects = await run(workspace(rest));
    expect(projects['apps/api'].targets['image:build'].inputs).toContain('{workspaceRoot}/**/*');
  });
});
