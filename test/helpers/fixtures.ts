import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compile, describeWorkspace, parseLock, type CompileResult, type WorkspaceInput } from '@stagec/core';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const UPDATE = process.env.UPDATE_GOLDEN === '1';

export const fixtureDirs = (group: string): string[] =>
  readdirSync(join(FIXTURES, group), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

/**
 * A fixture with a stages.lock compiles with it, as `stagec compile` does (a lock that does not
 * parse fails the run); one with a workspace.json (a WorkspaceInput: what detection would read)
 * compiles with that workspace.
 */
export function compileFixture(dir: string): CompileResult {
  const text = readFileSync(join(dir, 'stages.yaml'), 'utf8');
  const lockPath = join(dir, 'stages.lock');
  const workspacePath = join(dir, 'workspace.json');
  const workspace = existsSync(workspacePath) ? describeWorkspace(JSON.parse(readFileSync(workspacePath, 'utf8')) as WorkspaceInput).workspace : undefined;
  if (!existsSync(lockPath)) return compile(text, { file: 'stages.yaml', ...(workspace ? { workspace } : {}) });
  const parsed = parseLock(readFileSync(lockPath, 'utf8'), 'stages.lock');
  if (!parsed.lock) return { diagnostics: parsed.diagnostics, failed: true, dockerfiles: [], source: parsed.source };
  return compile(text, { file: 'stages.yaml', lock: parsed.lock });
}

/**
 * Golden comparison, exact bytes. A missing expected file is a failure, never a fresh
 * snapshot; UPDATE_GOLDEN=1 (re)writes expected files instead.
 */
export function golden(file: string, actual: string): string {
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  if (!existsSync(file)) {
    throw new Error(`golden file ${file} is missing: run with UPDATE_GOLDEN=1 to create it, then review it`);
  }
  return readFileSync(file, 'utf8');
}
