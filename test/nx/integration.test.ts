import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// The real, pinned Nx against a temporary workspace that registers @stagec/nx (built dist, as
// users get it): project inference, affected, task orchestration and error reporting.
const REPO = join(__dirname, '..', '..');
const NX = join(REPO, 'node_modules/nx/dist/bin/nx.js');
const STAGEC = join(REPO, 'packages/cli/bin/stagec.js');

const STAGES = `version: 1
defaults: { registry: example.com/acme }
services:
  base:
    path: apps/base
    stages:
      runtime: { from: debian:bookworm-slim }
  api:
    path: apps/api
    stages:
      build: { from: node:20, steps: [{ copy: . }] }
      test: { from: build, steps: [{ run: node --test }] }
      runtime: { from: { service: base, stage: runtime }, steps: [{ copy: { from: build, src: /app, dest: /app } }] }
  web:
    path: apps/web
    stages:
      build: { from: node:20, steps: [{ run: echo web }] }
      test: { from: build, steps: [{ run: node --test }] }
`;

let root = '';
const sh = (cmd: string, args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', ...env } });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
};
const nx = (...args: string[]) => sh(process.execPath, [NX, ...args]);
/** Nx with a stand-in engine that logs every call: what reaches the engine, without an engine. */
const nxWithEngine = (...args: string[]) => {
  const log = join(root, '.nx', 'engine.log');
  const engine = join(root, '.nx', 'fake-docker.sh');
  mkdirSync(dirname(log), { recursive: true });
  writeFileSync(engine, '#!/bin/sh\necho "$*" >> "$FAKE_LOG"\n');
  chmodSync(engine, 0o755);
  rmSync(log, { force: true });
  const r = sh(process.execPath, [NX, ...args], { STAGEC_DOCKER: engine, FAKE_LOG: log });
  return { ...r, calls: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [] };
};
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const affected = (...files: string[]) => {
  const r = nx('show', 'projects', '--affected', `--files=${files.join(',')}`);
  expect(r.status, r.out).toBe(0);
  return r.stdout.split('\n').filter(Boolean).sort();
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'stagec-nx-ws-'));
  write('package.json', JSON.stringify({ name: 'nx-ws', private: true }));
  // Targets echo instead of building, so the orchestration is visible without an engine.
  write('nx.json', JSON.stringify({ analytics: false, plugins: [{ plugin: '@stagec/nx', options: { stagecCommand: `node ${STAGEC}` } }] }));
  write('stages.yaml', STAGES);
  write('apps/base/README.md', 'base\n');
  write('apps/api/index.js', 'module.exports = 1;\n');
  write('apps/web/index.html', '<p>web</p>\n');
  mkdirSync(join(root, 'node_modules/@stagec'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules/nx'), join(root, 'node_modules/nx'));
  symlinkSync(join(REPO, 'packages/nx'), join(root, 'node_modules/@stagec/nx'));
  expect(sh(process.execPath, [STAGEC, 'compile']).status).toBe(0);
  write('.gitignore', 'node_modules\n.nx\n');
  for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init']]) {
    expect(sh('git', args).status).toBe(0);
  }
}, 60_000);

describe('@stagec/nx in a real Nx workspace', () => {
  it('nx show projects lists every service', () => {
    const r = nx('show', 'projects');
    expect(r.status, r.out).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['api', 'base', 'web']);
  });

  it('nx show project gives the inferred targets', () => {
    const r = nx('show', 'project', 'api', '--json');
    expect(r.status, r.out).toBe(0);
    const project = JSON.parse(r.stdout) as { root: string; targets: Record<string, { executor: string; options: { command: string }; cache: boolean }> };
    expect(project.root).toBe('apps/api');
    expect(Object.keys(project.targets).sort()).toEqual(['dockerfile', 'image', 'image:build', 'image:runtime', 'image:test']);
    expect(project.targets['image:test']).toMatchObject({ executor: 'nx:run-commands', cache: true, options: { command: `node ${STAGEC} build api --target test --no-deps` } });
  });

  it('a change in one service affects only it; a change in a base affects the services built on it', () => {
    expect(affected('apps/web/index.html')).toEqual(['web']);
    expect(affected('apps/api/index.js')).toEqual(['api']);
    expect(affected('apps/base/README.md')).toEqual(['api', 'base']);
  });

  it('editing stages.yaml affects the services whose Dockerfile it changes', () => {
    write('stages.yaml', STAGES.replace('run: echo web', 'run: echo web v2'));
    const compiled = sh(process.execPath, [STAGEC, 'compile']);
    expect(compiled.out).toContain('updated apps/web/Dockerfile');
    const changed = sh('git', ['status', '--porcelain']).stdout.split('\n').filter(Boolean).map((l) => l.slice(3));
    expect(changed.sort()).toEqual(['apps/web/Dockerfile', 'stages.yaml']);
    expect(affected(...changed)).toEqual(['web']);
    sh('git', ['checkout', '.']);
  });

  it('the Nx cache: a stages.yaml edit re-runs the dockerfile target of exactly the service it changes', () => {
    const run = () => {
      const r = nx('run-many', '-t', 'dockerfile', '--output-style=static');
      expect(r.status, r.out).toBe(0);
      return r.out;
    };
    run();
    expect(run()).toMatch(/from the cache instead of running the command for 3 out of 3 tasks/);
    write('stages.yaml', STAGES.replace('run: echo web', 'run: echo web v3'));
    expect(sh(process.execPath, [STAGEC, 'compile']).status).toBe(0);
    const out = run();
    expect(out).toMatch(/for 2 out of 3 tasks/);
    expect(out).toMatch(/nx run web:dockerfile\n/); // ran, not "[local cache]"
    expect(out).toMatch(/nx run api:dockerfile {2}\[(local cache|existing outputs match the cache, left as is)\]/);
    sh('git', ['checkout', '.']);
  });

  it('nx affected -t image:test runs exactly the affected service, Dockerfile first', () => {
    const r = nx('affected', '-t', 'image:test', '--files=apps/web/index.html', '--skip-nx-cache');
    // No engine here: the build fails, but Nx must have run web's targets and nothing of api's.
    expect(r.out, r.out).toContain('nx run web:dockerfile');
    expect(r.out).toMatch(/nx run web:"?image:test"?/);
    expect(r.out).not.toContain('nx run api:');
  });

  it('arguments after -- reach stagec build as its own options: nx run api:image -- --push', () => {
    const r = nxWithEngine('run', 'api:image', '--skip-nx-cache', '--', '--push', '--tag', 'sha-1');
    expect(r.status, r.out).toBe(0);
    // The base is built by Nx first, as a dependency, without the arguments; api gets them.
    expect(r.calls).toEqual([
      'build -f apps/base/Dockerfile --target runtime -t example.com/acme/base:latest apps/base',
      'build -f apps/api/Dockerfile --target runtime -t example.com/acme/api:latest -t example.com/acme/api:sha-1 apps/api',
      'push example.com/acme/api:latest',
      'push example.com/acme/api:sha-1',
    ]);
  });

  it('engine arguments go after a second --: nx run api:image:build -- -- --no-cache', () => {
    const r = nxWithEngine('run', 'api:image:build', '--skip-nx-cache', '--', '--', '--no-cache');
    expect(r.status, r.out).toBe(0);
    expect(r.calls).toEqual(['build -f apps/api/Dockerfile --target build -t example.com/acme/api:latest-build --no-cache apps/api']);
  });

  it('nx affected -t image runs the affected services\' default targets (the alias carries their inputs)', () => {
    const r = nx('affected', '-t', 'image', '--files=apps/api/index.js', '--skip-nx-cache');
    expect(r.out, r.out).toMatch(/Running target image for project api/);
    expect(r.out).toMatch(/nx run api:dockerfile/);
    expect(r.out).not.toContain('nx run web:');
  });

  it('a package.json naming the project @acme/api: the project name is what Nx matches; "api:image:test" is misread', () => {
    write('apps/api/package.json', JSON.stringify({ name: '@acme/api', private: true }));
    try {
      const right = nx('run', '@acme/api:image:test', '--skip-nx-cache');
      expect(right.out).toMatch(/Running target image:test for project @acme\/api/);
      // Nx finds no project named exactly "api", falls back to splitting on every ":" and takes
      // "test" for a configuration of the image alias: docs/nx.md explains it.
      const misread = nx('run', 'api:image:test', '--skip-nx-cache');
      expect(misread.out).toMatch(/Running target image for project @acme\/api/);
      write('apps/api/package.json', JSON.stringify({ name: 'acme:api', private: true }));
      const refused = nx('show', 'projects');
      expect(refused.status).not.toBe(0);
      expect(refused.out).toMatch(/project "acme:api" \(service "api"\) has ":" in its name/);
    } finally {
      rmSync(join(root, 'apps/api/package.json'));
    }
  });

  it('a broken stages.yaml is reported as the stagec diagnostic, without a stack trace', () => {
    write('stages.yaml', STAGES.replace('test: { from: build, steps: [{ run: node --test }] }\n      runtime', 'test: { from: biuld, steps: [{ run: node --test }] }\n      runtime'));
    const r = nx('show', 'projects');
    expect(r.status, r.out).not.toBe(0);
    expect(r.out).toMatch(/stages\.yaml:12:\d+ error UNKNOWN_STAGE/);
    expect(r.out).not.toMatch(/\n\s+at .*\.js:\d+/);
    writeFileSync(join(root, 'stages.yaml'), STAGES);
  });

  it('a config option naming a missing file, or non-UTF-8 stages.yaml, fails loudly with the diagnostic (#10)', () => {
    const nxJson = readFileSync(join(root, 'nx.json'), 'utf8');
    write('nx.json', JSON.stringify({ analytics: false, plugins: [{ plugin: '@stagec/nx', options: { stagecCommand: `node ${STAGEC}`, config: 'ci/stages.yml' } }] }));
    const missing = nx('show', 'projects');
    expect(missing.status, missing.out).not.toBe(0);
    expect(missing.out).toContain('ci/stages.yml error FILE_NOT_FOUND');
    writeFileSync(join(root, 'nx.json'), nxJson);
    writeFileSync(join(root, 'stages.yaml'), Buffer.from(`${STAGES}# caf\xe9\n`, 'latin1'));
    const latin1 = nx('show', 'projects');
    expect(latin1.status, latin1.out).not.toBe(0);
    expect(latin1.out).toMatch(/stages\.yaml:\d+:\d+ error FILE_UNREADABLE/);
    expect(latin1.out).not.toMatch(/\n\s+at .*\.js:\d+/);
    writeFileSync(join(root, 'stages.yaml'), STAGES);
  });

  it('left the workspace as git knows it, apart from Nx data', () => {
    expect(readFileSync(join(root, 'stages.yaml'), 'utf8')).toBe(STAGES);
    expect(sh('git', ['status', '--porcelain']).stdout).toBe('');
  });
});
