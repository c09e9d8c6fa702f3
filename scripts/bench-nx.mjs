// npm run bench:nx — what the @stagec/nx plugin adds to `nx show projects`, against @nx/docker
// inferring targets from the same services' Dockerfiles (README, "Performance").
//
// Generates N services (default 500), compiles their Dockerfiles with stagec, then times
// `nx show projects` (no daemon) in two workspaces over the same folders:
//   stagec     — nx.json registers @stagec/nx; one stages.yaml
//   @nx/docker — nx.json registers @nx/docker (installed on the fly); a Dockerfile and a
//                project.json per folder (@nx/docker names no projects itself)
// "cold" runs after `nx reset` (no graph or plugin cache), "warm" reuses them. Median of 3.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 500);
const RUNS = 3;
const NX = join(REPO, 'node_modules/nx/dist/bin/nx.js');
const NX_DOCKER_VERSION = '23.2.1';
const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', CI: 'true' };

const root = mkdtempSync(join(tmpdir(), 'stagec-bench-nx-'));
const ws = { stagec: join(root, 'stagec'), docker: join(root, 'nx-docker') };

function generate(dir) {
  const services = Array.from({ length: N }, (_, i) => `  s${i}:\n    path: services/s${i}\n    pipeline: node\n`).join('');
  writeFileSync(
    join(dir, 'stages.yaml'),
    `version: 1
defaults: { registry: example.com/bench }
pipelines:
  node:
    target: runtime
    stages:
      build: { from: node:20, workdir: /app, steps: [{ copy: . }, { run: npm run build }] }
      test: { from: build, steps: [{ run: npm test }] }
      runtime: { from: node:20-slim, steps: [{ copy: { from: build, src: /app/dist, dest: /app } }] }
services:
${services}`,
  );
  for (let i = 0; i < N; i++) {
    mkdirSync(join(dir, `services/s${i}`), { recursive: true });
    writeFileSync(join(dir, `services/s${i}/index.js`), `console.log(${i});\n`);
  }
  execFileSync(process.execPath, [join(REPO, 'packages/cli/bin/stagec.js'), 'compile'], { cwd: dir, stdio: 'ignore' });
  writeFileSync(join(dir, 'package.json'), '{"name": "bench", "private": true}\n');
}

function link(target, path) {
  mkdirSync(join(path, '..'), { recursive: true });
  symlinkSync(target, path);
}

/** @nx/docker into the workspace itself (Nx loads plugins from outside node_modules as local TS). */
function installNxDocker(dir) {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'bench',
      private: true,
      devDependencies: { nx: `file:${join(REPO, 'node_modules/nx')}`, '@nx/docker': NX_DOCKER_VERSION },
    }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', '--ignore-scripts'], { cwd: dir, stdio: 'ignore' });
  if (!existsSync(join(dir, 'node_modules/@nx/devkit'))) throw new Error('@nx/devkit missing');
}

function git(dir) {
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n.nx\n');
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['-c', 'user.email=b@b', '-c', 'user.name=b', 'commit', '-qm', 'bench'],
  ]) {
    execFileSync('git', args, { cwd: dir });
  }
}

function time(dir, reset) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    if (reset) spawnSync(process.execPath, [NX, 'reset'], { cwd: dir, env, stdio: 'ignore' });
    const started = performance.now();
    const r = spawnSync(process.execPath, [NX, 'show', 'projects'], { cwd: dir, env, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (r.status !== 0) throw new Error(`nx show projects failed in ${dir}:\n${r.stdout}${r.stderr}`);
    const count = r.stdout.split('\n').filter((l) => /^s\d+$/.test(l)).length;
    if (count !== N) throw new Error(`expected ${N} projects in ${dir}, got ${count}`);
    samples.push(ms);
  }
  return samples.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

console.log(`generating ${N} services in ${root} ...`);
mkdirSync(ws.stagec, { recursive: true });
generate(ws.stagec);
cpSync(ws.stagec, ws.docker, { recursive: true });
for (let i = 0; i < N; i++) writeFileSync(join(ws.docker, `services/s${i}/project.json`), JSON.stringify({ name: `s${i}` }));
writeFileSync(join(ws.stagec, 'nx.json'), JSON.stringify({ analytics: false, plugins: ['@stagec/nx'] }));
writeFileSync(join(ws.docker, 'nx.json'), JSON.stringify({ analytics: false, plugins: ['@nx/docker'] }));
link(join(REPO, 'node_modules/nx'), join(ws.stagec, 'node_modules/nx'));
link(join(REPO, 'packages/nx'), join(ws.stagec, 'node_modules/@stagec/nx'));
console.log(`installing @nx/docker@${NX_DOCKER_VERSION} ...`);
installNxDocker(ws.docker);
git(ws.stagec);
git(ws.docker);

const rows = [];
for (const [name, dir] of [
  ['@stagec/nx (1 stages.yaml)', ws.stagec],
  [`@nx/docker ${NX_DOCKER_VERSION} (${N} Dockerfiles)`, ws.docker],
]) {
  rows.push({ name, cold: time(dir, true), warm: time(dir, false) });
}
console.log(`\nnx show projects, ${N} services, median of ${RUNS} (ms)\n`);
console.log('| plugin | cold (after nx reset) | warm |');
console.log('|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.cold.toFixed(0)} | ${r.warm.toFixed(0)} |`);
const [stagec, docker] = rows;
console.log(`\nstagec / @nx/docker: cold ${(stagec.cold / docker.cold).toFixed(2)}x, warm ${(stagec.warm / docker.warm).toFixed(2)}x`);
