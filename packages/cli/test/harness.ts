import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from '../src/main';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in-process against a real folder, capturing its streams. */
export const stagec = (cwd: string, ...argv: string[]): Promise<Ran> => stagecEnv(cwd, {}, ...argv);

/** The same, with extra environment (an engine stand-in, credentials). */
export async function stagecEnv(cwd: string, env: Record<string, string>, ...argv: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

/** A temporary workspace with the given files. */
export function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'stagec-cli-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export const TWO_SERVICES = `version: 1
defaults:
  registry: ghcr.io/acme
stages:
  node:
    from: node:20-bookworm-slim
    workdir: /app
pipelines:
  node:
    target: runtime
    stages:
      deps: { extends: node, steps: [{ copy: [package.json] }, { run: npm ci }] }
      test: { from: deps, steps: [{ copy: . }, { run: npm test }] }
      runtime: { extends: node, steps: [{ copy: { from: deps, src: /app, dest: . } }], cmd: [node, index.js] }
services:
  api:
    path: apps/api
    pipeline: node
  web:
    path: apps/web
    pipeline: node
    stages:
      test: null
`;
