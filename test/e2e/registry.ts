import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, sh } from './engine';

export interface Registry {
  /** 127.0.0.1:<port>: the registry's host, as image references name it. */
  host: string;
  /** Tags of a repository, from the registry's own API (v2). */
  tags(repository: string): Promise<string[]>;
  stop(): void;
}

/**
 * A throwaway registry for one test file: Debian's docker-registry on 127.0.0.1 at a free port,
 * config and storage in a temp folder (scripts/e2e/registry.sh; installs the package as root
 * if missing). Docker pushes to 127.0.0.0/8 over plain http without configuration.
 */
export function startRegistry(): Registry {
  const dir = mkdtempSync(join(tmpdir(), 'stagec-registry-'));
  const script = join(REPO, 'scripts/e2e/registry.sh');
  const r = sh('bash', [script, 'start', dir]);
  const host = /STAGEC_REGISTRY=(\S+)/.exec(r.stdout)?.[1];
  if (r.status !== 0 || !host) throw new Error(`registry did not start: ${r.stderr}`);
  return {
    host,
    async tags(repository: string) {
      const response = await fetch(`http://${host}/v2/${repository}/tags/list`);
      if (response.status === 404) return [];
      return ((await response.json()) as { tags?: string[] | null }).tags ?? [];
    },
    stop: () => void sh('bash', [script, 'stop', dir]),
  };
}
