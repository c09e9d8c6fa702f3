import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineEnv, sh, stagec } from './engine';

/**
 * docs/contexts.md end to end, with a control. An npm-workspaces monorepo written here: api and
 * worker use the local library packages/lib, other is unrelated (and carries a 2 MB asset).
 * Every service's build stage copies `.` from the workspace root, links its local
 * dependencies (the install step: no registry is reachable) and builds. The same tree is built
 * as stagec compiles it (with <dockerfile>.dockerignore) and, as the control, with the ignore
 * files removed. Each build runs from a fresh copy of the tree, so BuildKit transfers the
 * context again rather than reusing the last sync of the same folder.
 */
const PREFIX = 'contexts/e2e';
// The engine's cache outlives a run: a nonce in every source keeps each run's first builds cold.
const RUN = randomBytes(6).toString('hex');
const results: string[] = [];

const pkg = (name: string, deps: Record<string, string> = {}): string =>
  `${JSON.stringify({ name, version: '1.0.0', private: true, dependencies: deps }, null, 2)}\n`;

// One line of node: link the service's declared dependencies into /app/node_modules (what npm does for workspace packages).
const INSTALL = `node -e 'const p=require("./package.json");const fs=require("fs");fs.mkdirSync("/app/node_modules",{recursive:true});for(const d of Object.keys(p.dependencies||{}))fs.symlinkSync("/app/packages/"+d,"/app/node_modules/"+d)'`;

const STAGES = `version: 1
defaults:
  registry: ${PREFIX}
  context: .
stages:
  node:
    from: { image: "debian:bookworm-slim" }
    workdir: /app
    steps:
      - run: apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*
pipelines:
  svc:
    stages:
      build:
        extends: node
        env: { NODE_PATH: /app/node_modules }
        append:
          - copy: .
          - run: 'cd \${{ service.path }} && ${INSTALL.replace(/'/g, "''")}'
          - run: node \${{ service.path }}/build.js
services:
  api: { path: apps/api, pipeline: svc }
  worker: { path: apps/worker, pipeline: svc }
  other: { path: apps/other, pipeline: svc }
`;

const BUILD = (who: string): string =>
  `// run ${RUN}\nconst fs = require('fs');\nconst lib = ${who === 'other' ? '{ greet: (n) => "plain " + n }' : "require('lib')"};\nfs.mkdirSync('/app/dist', { recursive: true });\nfs.writeFileSync('/app/dist/out.txt', lib.greet('${who}') + '\\n');\n`;

const FILES: Record<string, string | Buffer> = {
  'stages.yaml': STAGES,
  'package.json': `${JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'packages/*'] }, null, 2)}\n`,
  // No remote packages: the lockfile lists the workspace links only.
  'package-lock.json': `${JSON.stringify({ name: 'mono', lockfileVersion: 3, requires: true, packages: { '': { name: 'mono', workspaces: ['apps/*', 'packages/*'] } } }, null, 2)}\n`,
  '.dockerignore': '**/node_modules\n.git\n',
  'README.md': '# mono\n',
  'apps/api/package.json': pkg('api', { lib: '1.0.0' }),
  'apps/api/build.js': BUILD('api'),
  'apps/worker/package.json': pkg('worker', { lib: '1.0.0' }),
  'apps/worker/build.js': BUILD('worker'),
  'apps/other/package.json': pkg('other'),
  'apps/other/build.js': BUILD('other'),
  'apps/other/assets/big.bin': randomBytes(2_000_000),
  'packages/lib/package.json': pkg('lib'),
  'packages/lib/index.js': `// run ${RUN}\nexports.greet = (n) => 'hello ' + n;\n`,
};

let source: string;
const made: string[] = [];
const write = (root: string, files: Record<string, string | Buffer>): void => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
};

/** A fresh copy of the tree (pruned, or the control without ignore files). */
function snapshot(control: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), `stagec-contexts-${control ? 'control' : 'pruned'}-`));
  made.push(dir);
  cpSync(source, dir, { recursive: true });
  if (control) for (const s of ['api', 'worker', 'other']) rmSync(join(dir, `apps/${s}/Dockerfile.dockerignore`));
  return dir;
}

interface Build {
  log: string;
  /** Bytes BuildKit reported for the build context ("transferring context"). */
  transferred: number;
}

const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };

function build(dir: string, service: string, tag: string): Build {
  const r = sh(
    engineEnv('STAGEC_DOCKER'),
    ['build', '--progress=plain', '--network=host', '-f', `apps/${service}/Dockerfile`, '-t', `${PREFIX}-${service}:${tag}`, '.'],
    {
      cwd: dir,
      env: { DOCKER_BUILDKIT: '1' },
    },
  );
  const log = r.stderr + r.stdout;
  if (r.status !== 0) throw new Error(`docker build ${service} failed:\n${log.slice(-4000)}`);
  const lines = log.split('\n');
  const id = lines.find((l) => /^#\d+ \[internal\] load build context$/.test(l))?.split(' ')[0];
  const sizes = lines.filter((l) => id && l.startsWith(`${id} transferring context: `)).map((l) => /context: ([\d.]+)([kMG]?B)/.exec(l));
  const last = sizes.at(-1);
  if (!last) throw new Error(`no "transferring context" line for ${service}:\n${log.slice(0, 3000)}`);
  return { log, transferred: Number(last[1]) * UNITS[last[2]!]! };
}

/** Is the build step whose instruction line contains `needle` reported CACHED? */
function cached(b: Build, needle: string): boolean {
  const lines = b.log.split('\n');
  const step = lines.find((l) => /^#\d+ \[(build )?\d+\/\d+\] /.test(l) && l.includes(needle));
  if (!step) throw new Error(`no step "${needle}" in:\n${b.log.slice(0, 3000)}`);
  const id = step.split(' ')[0]!;
  return lines.some((l) => l === `${id} CACHED`);
}

const STEPS = ['COPY . ./', 'RUN cd apps/', 'RUN node apps/'] as const;
const allCached = (b: Build): boolean => STEPS.every((s) => cached(b, s));
/** The service's install and build steps ran again. (Its `COPY . ./` may be a cache hit of another service's identical copy.) */
const rebuilt = (b: Build): boolean => STEPS.slice(1).every((s) => !cached(b, s));
const kb = (n: number): string => `${(n / 1000).toFixed(1)} kB`;

beforeAll(() => {
  source = mkdtempSync(join(tmpdir(), 'stagec-contexts-src-'));
  made.push(source);
  write(source, FILES);
  const compiled = stagec(source, 'compile');
  if (compiled.status !== 0) throw new Error(`stagec compile failed: ${compiled.stdout}${compiled.stderr}`);
});

afterAll(() => {
  console.log(`\n${results.join('\n')}\n`);
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('pruned build contexts against the real engine', () => {
  const first: Record<string, Build> = {};
  const control: Record<string, Build> = {};

  it('builds all three services, pruned and control; the pruned contexts leave the unrelated asset out', () => {
    const pruned = snapshot(false);
    const ctl = snapshot(true);
    for (const s of ['api', 'worker', 'other']) {
      first[s] = build(pruned, s, 'pruned');
      control[s] = build(ctl, s, 'control');
      results.push(`| first build | ${s} | pruned ${kb(first[s]!.transferred)} | control ${kb(control[s]!.transferred)} |`);
    }
    expect(first.api!.transferred).toBeLessThan(100_000);
    expect(control.api!.transferred).toBeGreaterThan(2_000_000);
    const out = sh(engineEnv('STAGEC_DOCKER'), ['run', '--rm', `${PREFIX}-api:pruned`, 'cat', '/app/dist/out.txt']);
    expect(out.stdout).toBe('hello api\n');
  });

  it('a change to the unrelated service: the others rebuild fully CACHED from a small context; the control rebuilds and transfers everything', () => {
    write(source, { 'apps/other/build.js': `${FILES['apps/other/build.js']}// changed\n` });
    const pruned = snapshot(false);
    const ctl = snapshot(true);
    for (const s of ['api', 'worker']) {
      const p = build(pruned, s, 'pruned');
      const c = build(ctl, s, 'control');
      results.push(
        `| unrelated change | ${s} | pruned ${kb(p.transferred)}, ${allCached(p) ? 'all CACHED' : 'rebuilt'} | control ${kb(c.transferred)}, ${rebuilt(c) ? 'install and build rebuilt' : 'CACHED'} |`,
      );
      expect(allCached(p), p.log).toBe(true);
      expect(p.transferred).toBeLessThan(c.transferred / 20);
      expect(rebuilt(c), c.log).toBe(true);
      expect(c.transferred).toBeGreaterThan(2_000_000);
    }
    // The changed service itself rebuilds (and so has a cache for the next test).
    const own = build(pruned, 'other', 'pruned');
    results.push(
      `| unrelated change | other (changed) | pruned ${kb(own.transferred)}, ${rebuilt(own) ? 'install and build rebuilt' : 'CACHED'} | |`,
    );
    expect(rebuilt(own), own.log).toBe(true);
  });

  it('a change to the shared library: both of its users rebuild install and build, the unrelated service does not', () => {
    write(source, { 'packages/lib/index.js': `// run ${RUN}\nexports.greet = (n) => 'hi ' + n;\n` });
    const pruned = snapshot(false);
    for (const s of ['api', 'worker', 'other']) {
      const b = build(pruned, s, 'pruned');
      results.push(`| library change | ${s} | pruned ${kb(b.transferred)}, ${allCached(b) ? 'all CACHED' : 'rebuilt'} |`);
      if (s === 'other') expect(allCached(b), b.log).toBe(true);
      else expect(rebuilt(b), b.log).toBe(true);
    }
    expect(sh(engineEnv('STAGEC_DOCKER'), ['run', '--rm', `${PREFIX}-worker:pruned`, 'cat', '/app/dist/out.txt']).stdout).toBe(
      'hi worker\n',
    );
  });
});
