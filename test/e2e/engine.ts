import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

export const REPO = join(__dirname, '..', '..');
const BIN = join(REPO, 'packages/cli/bin/stagec.js');
export const DOCKER = process.env.STAGEC_DOCKER ?? 'docker';

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

export function sh(command: string, args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Ran {
  const started = performance.now();
  const r = spawnSync(command, args, {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', seconds: (performance.now() - started) / 1000 };
}

export const stagec = (cwd: string, ...args: string[]): Ran => sh(process.execPath, [BIN, ...args], { cwd });
export const docker = (...args: string[]): Ran => sh(DOCKER, args);

export function imageSize(tag: string): number {
  const r = docker('image', 'inspect', '-f', '{{.Size}}', tag);
  if (r.status !== 0) throw new Error(`no image ${tag}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/**
 * A copy of the repo's stages.yaml, apps/ and platform/: tests may edit it freely. On a shared
 * engine, STAGEC_E2E_REGISTRY (e.g. localhost/my-branch) replaces defaults.registry in the copy,
 * so that concurrent runs neither overwrite nor run each other's images.
 */
export function workspaceCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagec-e2e-ws-'));
  for (const entry of ['stages.yaml', 'apps', 'platform']) cpSync(join(REPO, entry), join(dir, entry), { recursive: true });
  const registry = process.env.STAGEC_E2E_REGISTRY;
  if (registry) {
    const file = join(dir, 'stages.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    doc.setIn(['defaults', 'registry'], registry);
    writeFileSync(file, doc.toString());
    // The copy's Dockerfiles must match its stages.yaml (cross-service FROM lines name the registry).
    const compiled = stagec(dir, 'compile');
    if (compiled.status !== 0) throw new Error(`stagec compile in the workspace copy failed: ${compiled.stderr}`);
  }
  return dir;
}

export async function httpGet(url: string, timeoutMs = 20_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(last)}`);
}

/** Runs an image detached on the host network; returns a stop function. */
export function runDetached(image: string, env: Record<string, string>): () => void {
  const args = ['run', '-d', '--rm', '--network=host', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), image];
  const r = docker(...args);
  if (r.status !== 0) throw new Error(`docker run ${image} failed: ${r.stderr}`);
  const id = r.stdout.trim();
  return () => void docker('rm', '-f', id);
}

export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
