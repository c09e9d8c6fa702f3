// npm run bench — whole-process `stagec compile` on generated monorepos, against the floor
// (README, "Performance"): a node process that only parses the same stages.yaml with the yaml library and
// writes the same files. Prints times, the ratio to the floor and the growth from 1,000 to
// 5,000 services. Usage: node scripts/bench.mjs [sizes...] (default 10 100 1000 5000).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..');
const BIN = join(REPO, 'packages/cli/bin/stagec.js');
const SIZES = process.argv.slice(2).map(Number).filter(Boolean);
const RUNS = 5;
const PIPELINES = ['node', 'go', 'python'];

function stagesYaml(n) {
  const services = [];
  for (let i = 0; i < n; i++) {
    const pipeline = PIPELINES[i % 3];
    const overrides =
      i % 4 === 0
        ? `    stages:\n      runtime: { env: { PORT: "${3000 + (i % 1000)}" }, expose: [${3000 + (i % 1000)}] }\n`
        : i % 4 === 1
          ? `    stages:\n      test: null\n`
          : i % 4 === 2
            ? `    args: { VERSION: "1.${i}" }\n`
            : '';
    services.push(`  svc-${i}:\n    path: services/svc-${i}\n    pipeline: ${pipeline}\n${overrides}`);
  }
  return `version: 1
defaults:
  registry: registry.example.com/bench
  labels: { org.opencontainers.image.vendor: Bench }
args: { DEBIAN_IMAGE: "debian:bookworm-slim", VERSION: "0" }
stages:
  apt:
    from: \${DEBIAN_IMAGE}
    args: { PACKAGES: "" }
    steps:
      - run: { commands: [apt-get update, "apt-get install -y --no-install-recommends \${PACKAGES}"], cache: [/var/cache/apt] }
  unprivileged: { user: "65534:65534" }
pipelines:
  node:
    target: runtime
    stages:
      deps: { extends: apt, args: { PACKAGES: nodejs npm }, workdir: /app, append: [{ copy: [package.json, package-lock.json] }, { run: npm ci }] }
      build: { from: deps, steps: [{ copy: . }, { run: npm run build }] }
      test: { from: build, steps: [{ run: npm test }] }
      runtime: { extends: [apt, unprivileged], args: { PACKAGES: nodejs }, env: { NODE_ENV: production }, append: [{ copy: { from: build, src: /app/dist, dest: /app } }], cmd: [node, /app/index.js] }
  go:
    target: runtime
    stages:
      deps: { extends: apt, args: { PACKAGES: golang-go }, workdir: /src, append: [{ copy: go.mod }, { run: go mod download }] }
      build: { from: deps, steps: [{ copy: . }, { run: "go build -o /out/\${{ service.name }} ." }] }
      test: { from: build, steps: [{ run: go test ./... }] }
      runtime: { from: scratch, extends: unprivileged, steps: [{ copy: { from: build, src: "/out/\${{ service.name }}", dest: /app } }], entrypoint: [/app] }
  python:
    target: runtime
    stages:
      deps: { extends: apt, args: { PACKAGES: python3 }, workdir: /app, append: [{ copy: . }] }
      build: { from: deps, steps: [{ run: python3 -m compileall . }] }
      test: { from: build, steps: [{ run: python3 -m unittest }] }
      runtime: { extends: [apt, unprivileged], args: { PACKAGES: python3 }, append: [{ copy: { from: build, src: /app, dest: /app } }], cmd: [python3, /app/main.py] }
services:
${services.join('')}`;
}

const FLOOR = `
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');
const YAML = require(${JSON.stringify(join(REPO, 'node_modules/yaml'))});
const root = process.argv[2];
// uniqueKeys: false is the library's cheapest parse (its duplicate-key check is quadratic);
// stagec checks duplicates itself, so the floor is the strictest fair one.
YAML.parse(readFileSync(join(root, 'stages.yaml'), 'utf8'), { uniqueKeys: false });
const outputs = JSON.parse(readFileSync(process.argv[3], "utf8"));
for (const [path, text] of outputs) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
`;

function clean(dir) {
  rmSync(join(dir, 'services'), { recursive: true, force: true });
}

function median(fn) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(fn());
  return samples.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

function timed(args, dir) {
  clean(dir);
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return ms;
}

const rows = [];
for (const n of SIZES.length ? SIZES : [10, 100, 1000, 5000]) {
  const dir = mkdtempSync(join(process.env.STAGEC_BENCH_DIR ?? tmpdir(), `stagec-bench-${n}-`));
  writeFileSync(join(dir, 'stages.yaml'), stagesYaml(n));
  // The floor writes exactly what stagec writes: take it from one stagec run.
  timed([BIN, 'compile'], dir);
  const outputs = [];
  for (let i = 0; i < n; i++)
    outputs.push([`services/svc-${i}/Dockerfile`, readFileSync(join(dir, `services/svc-${i}/Dockerfile`), 'utf8')]);
  const outputsFile = join(dir, '..', `stagec-bench-${n}-outputs.json`);
  writeFileSync(outputsFile, JSON.stringify(outputs));
  const floorScript = join(dir, '..', `stagec-bench-floor.cjs`);
  writeFileSync(floorScript, FLOOR);
  const stagec = median(() => timed([BIN, 'compile'], dir));
  const floor = median(() => timed([floorScript, dir, outputsFile], dir));
  rows.push({ n, stagec, floor });
  rmSync(dir, { recursive: true, force: true });
  rmSync(outputsFile, { force: true });
  console.error(`${n} services: stagec ${stagec.toFixed(0)} ms, floor ${floor.toFixed(0)} ms`);
}

console.log(`\nstagec compile, whole process, fresh output, median of ${RUNS} (ms)\n`);
console.log('| services | stagec | floor | ratio |');
console.log('|---:|---:|---:|---:|');
for (const r of rows)
  console.log(`| ${r.n.toLocaleString('en')} | ${r.stagec.toFixed(0)} | ${r.floor.toFixed(0)} | ${(r.stagec / r.floor).toFixed(2)}x |`);
const k = rows.find((r) => r.n === 1000);
const k5 = rows.find((r) => r.n === 5000);
if (k && k5) {
  console.log(
    `\ngrowth 1,000 → 5,000 services: stagec ${(k5.stagec / k.stagec).toFixed(2)}x, floor ${(k5.floor / k.floor).toFixed(2)}x (linear = 5x)`,
  );
  console.log(
    `goal at 1,000 services: within 1.5x of the floor: ${k.stagec / k.floor <= 1.5 ? 'met' : 'NOT met'} (${(k.stagec / k.floor).toFixed(2)}x)`,
  );
}
