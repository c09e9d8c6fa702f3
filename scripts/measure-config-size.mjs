// Measures the largest stages.yaml `stagec compile` handles within a 2 GiB V8 heap, which sets
// the default of --max-config-size (README, "File safety"). Usage:
//   node scripts/measure-config-size.mjs [services...]   (default 20000 40000 60000 80000 100000)
// For each size: a generated monorepo config (the bench's shape, plus a description per
// service), `node --max-old-space-size=2048 stagec compile --max-config-size 1G` in a fresh
// folder; prints the file size, the exit status, the peak RSS and the wall time.
// STAGEC_MEASURE_FULL_PATH=1 starts each file with a `%YAML 1.2` directive, which the loader's
// fast path declines: the measure of its full path (yaml's Document kept for positions), the
// worst case for memory. STAGEC_MEASURE_FOLDERS=1 creates the services' folders first: without
// them every service has a MISSING_FOLDER warning, whose position makes the fast path compose
// the Document too, late in the run (a clean config never does).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'packages/cli/bin/stagec.js');
const SIZES = process.argv.slice(2).map(Number).filter(Boolean);

function stagesYaml(n) {
  const services = [];
  for (let i = 0; i < n; i++) {
    const overrides =
      i % 3 === 0
        ? `    stages:\n      runtime: { env: { PORT: "${3000 + (i % 1000)}" } }\n`
        : i % 3 === 1
          ? `    args: { VERSION: "1.${i}" }\n`
          : '';
    services.push(`  svc-${i}:\n    path: services/svc-${i}\n    pipeline: node\n${overrides}`);
  }
  return `version: 1
defaults:
  registry: registry.example.com/measure
stages:
  apt:
    from: debian:bookworm-slim
    steps:
      - run: { command: "apt-get update && apt-get install -y --no-install-recommends nodejs npm", cache: [/var/cache/apt] }
pipelines:
  node:
    target: runtime
    stages:
      deps: { extends: apt, workdir: /app, append: [{ copy: [package.json, package-lock.json] }, { run: npm ci }] }
      build: { from: deps, steps: [{ copy: . }, { run: npm run build }] }
      test: { from: build, steps: [{ run: npm test }] }
      runtime: { extends: apt, env: { NODE_ENV: production }, append: [{ copy: { from: build, src: /app/dist, dest: /app } }], cmd: [node, /app/index.js] }
services:
${services.join('')}`;
}

// Without a cap of our own the measurement is of compile itself (older builds lack the flag).
const help = spawnSync(process.execPath, [BIN, 'compile', '--help'], { encoding: 'utf8' }).stdout;
const capFlag = help.includes('--max-config-size') ? ['--max-config-size', '1G'] : [];

console.log('services\tbytes\tMiB\texit\tpeak RSS MiB\tseconds');
for (const n of SIZES.length ? SIZES : [20000, 40000, 60000, 80000, 100000]) {
  const dir = mkdtempSync(join(process.env.STAGEC_MEASURE_DIR ?? tmpdir(), 'stagec-measure-'));
  const text = (process.env.STAGEC_MEASURE_FULL_PATH ? '%YAML 1.2\n---\n' : '') + stagesYaml(n);
  writeFileSync(join(dir, 'stages.yaml'), text);
  if (process.env.STAGEC_MEASURE_FOLDERS) for (let i = 0; i < n; i++) mkdirSync(join(dir, `services/svc-${i}`), { recursive: true });
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '--max-old-space-size=2048', BIN, 'compile', ...capFlag], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = (performance.now() - started) / 1000;
  const rss = Number(run.stderr.trim().split('\n').pop()) / 1024;
  const exit = run.status ?? run.signal;
  console.log(`${n}\t${text.length}\t${(text.length / 2 ** 20).toFixed(1)}\t${exit}\t${rss.toFixed(0)}\t${seconds.toFixed(1)}`);
  rmSync(dir, { recursive: true, force: true });
}
