// A throwaway registry for e2e tests: Debian's docker-registry (distribution 2.8) on 127.0.0.1
// at a free port, config and storage in a temp folder, stopped by stop() or when the test
// process exits. Docker pushes to 127.0.0.0/8 over plain http without configuration.
// The same API as the lock engineer's richer helper (#18: auth, pushes through the HTTP API),
// so either can replace the other. Provisioning: scripts/e2e/registry.sh (run.sh calls it).
//
//   const registry = await startRegistry();   // registry.host = 127.0.0.1:<port>
//   await registry.stop();
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = process.env.STAGEC_REGISTRY_BIN ?? '/usr/bin/docker-registry';
export const registryAvailable = (): boolean => existsSync(REGISTRY_BIN);

export interface Registry {
  /** `127.0.0.1:<port>`: the reference's domain. */
  host: string;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = netServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startRegistry(): Promise<Registry> {
  if (!registryAvailable()) throw new Error(`no ${REGISTRY_BIN}: run scripts/e2e/registry.sh as root (apt-get install docker-registry)`);
  const dir = mkdtempSync(join(tmpdir(), 'stagec-registry-'));
  const host = `127.0.0.1:${await freePort()}`;
  const config = ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, '  delete:', '    enabled: true', 'http:', `  addr: ${host}`];
  writeFileSync(join(dir, 'config.yml'), `${config.join('\n')}\n`);
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // A test that dies before stop() must not leave a registry running.
  const kill = (): void => void child.kill();
  process.once('exit', kill);
  const url = `http://${host}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`docker-registry did not start on ${host}: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    url,
    dir,
    async stop() {
      process.removeListener('exit', kill);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
