// npm run bench — whole-process `stagec compile` on generated monorepos (scripts/bench-config.mjs),
// against the floor: a node process that only reads and parses the same stages.yaml
// and stages.lock with the yaml library and writes the same files. Runs stagec and the floor in
// pairs, alternating which goes first, and prints the median of the per-pair ratios: on a shared,
// noisy machine a pair sees the same load, so its ratio is steadier than a ratio of medians.
// Measured on tmpfs (/dev/shm) and on disk (the OS temp folder); STAGEC_BENCH_DIR picks one folder.
// Usage: node scripts/bench.mjs [sizes...] (default 10 100 1000 5000); STAGEC_BENCH_RUNS (default 7).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { folders, LOCK, stagesYaml } from './bench-config.mjs';

const REPO = join(import.meta.dirname, '..');
const BIN = join(REPO, 'packages/cli/bin/stagec.js');
const SIZES = process.argv.slice(2).map(Number).filter(Boolean);
const RUNS = Number(process.env.STAGEC_BENCH_RUNS) || 7;
const PLACES = process.env.STAGEC_BENCH_DIR
  ? [{ name: process.env.STAGEC_BENCH_DIR, dir: process.env.STAGEC_BENCH_DIR }]
  : [...(existsSync('/dev/shm') ? [{ name: 'tmpfs', dir: '/dev/shm' }] : []), { name: 'disk', dir: tmpdir() }];

const FLOOR = `
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');
const YAML = require(${JSON.stringify(createRequire(join(REPO, 'packages/core/package.json')).resolve('yaml'))}); // the copy stagec loads
const root = process.argv[2];
// uniqueKeys: false is the library's cheapest parse (its duplicate-key check is quadratic);
// stagec checks duplicates itself, so the floor is the strictest fair one. merge: the same data
// stagec reads (merge keys); maxAliasCount: -1, stagec's own alias bound is its check, not parsing.
YAML.parse(readFileSync(join(root, 'stages.yaml'), 'utf8'), { uniqueKeys: false, merge: true, maxAliasCount: -1 });
YAML.parse(readFileSync(join(root, 'stages.lock'), 'utf8'), { uniqueKeys: false });
const outputs = JSON.parse(readFileSync(process.argv[3], "utf8"));
for (const [path, text] of outputs) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The Dockerfiles under `dir`, as [path relative to root, text]. */
function dockerfiles(root, dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) dockerfiles(root, path, out);
    else if (entry.name.startsWith('Dockerfile')) out.push([relative(root, path), readFileSync(path, 'utf8')]);
  }
  return out;
}

// Fresh output every run: both sides write every file, into the services' existing folders.
let written = [];
const clean = (dir) => written.forEach(([path]) => rmSync(join(dir, path), { force: true }));

// GNU time, where present, also gives each run's CPU time (user + system): on a loaded machine
// wall time mostly measures the wait for a core, CPU time the work itself.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function timed(args, dir) {
  clean(dir);
  const started = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', 'cpu %U %S', process.execPath, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 2 ** 28 })
    : spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', maxBuffer: 2 ** 28 });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  const cpu = /^cpu ([\d.]+) ([\d.]+)$/m.exec(r.stderr ?? '');
  return { ms, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined, stderr: r.stderr.replace(/^cpu .*\n?/m, '') };
}

function measure(n, base) {
  const dir = mkdtempSync(join(base, `stagec-bench-${n}-`));
  try {
    writeFileSync(join(dir, 'stages.yaml'), stagesYaml(n));
    writeFileSync(join(dir, 'stages.lock'), LOCK);
    for (const folder of folders(n)) {
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, folder, 'main.go'), 'package main\n');
    }
    // The floor writes exactly what stagec writes: take it from one stagec run (also a warm-up).
    written = [];
    // A clean config: diagnostics printed on every run would be measured too.
    const first = timed([BIN, 'compile'], dir);
    if (first.stderr.trim()) throw new Error(`the generated stages.yaml is not clean:\n${first.stderr.slice(0, 2000)}`);
    const outputs = dockerfiles(dir, join(dir, 'services'));
    written = outputs;
    const outputsFile = join(dir, 'outputs.json');
    writeFileSync(outputsFile, JSON.stringify(outputs));
    const floorScript = join(dir, 'floor.cjs');
    writeFileSync(floorScript, FLOOR);
    const stagec = [];
    const floor = [];
    const ratios = [];
    const cpuRatios = [];
    for (let i = 0; i < RUNS; i++) {
      const s = i % 2 === 0 ? timed([BIN, 'compile'], dir) : undefined;
      const f = timed([floorScript, dir, outputsFile], dir);
      const t = s ?? timed([BIN, 'compile'], dir);
      stagec.push(t.ms);
      floor.push(f.ms);
      ratios.push(t.ms / f.ms);
      if (t.cpu && f.cpu) cpuRatios.push(t.cpu / f.cpu);
    }
    return {
      n,
      files: outputs.length,
      stagec: median(stagec),
      floor: median(floor),
      ratio: median(ratios),
      spread: [Math.min(...ratios), Math.max(...ratios)],
      cpuRatio: cpuRatios.length ? median(cpuRatios) : undefined,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const place of PLACES) {
  for (const n of SIZES.length ? SIZES : [10, 100, 1000, 5000]) {
    const row = { place: place.name, ...measure(n, place.dir) };
    results.push(row);
    console.error(
      `${place.name}, ${n} services: stagec ${row.stagec.toFixed(0)} ms, floor ${row.floor.toFixed(0)} ms, ratio ${row.ratio.toFixed(2)}x${row.cpuRatio ? `, CPU-time ratio ${row.cpuRatio.toFixed(2)}x` : ''}`,
    );
  }
}

console.log(`\nstagec compile, whole process, fresh output; median of ${RUNS} paired runs (ratio = median of the per-pair ratios)\n`);
console.log('| where | services | Dockerfiles | stagec ms | floor ms | ratio | min-max ratio | CPU-time ratio |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const cpu = r.cpuRatio ? `${r.cpuRatio.toFixed(2)}x` : 'n/a';
  console.log(
    `| ${r.place} | ${r.n.toLocaleString('en')} | ${r.files.toLocaleString('en')} | ${r.stagec.toFixed(0)} | ${r.floor.toFixed(0)} | ${r.ratio.toFixed(2)}x | ${r.spread[0].toFixed(2)}-${r.spread[1].toFixed(2)}x | ${cpu} |`,
  );
}
for (const place of PLACES) {
  const at = (n) => results.find((r) => r.place === place.name && r.n === n);
  const k = at(1000);
  const k5 = at(5000);
  if (k && k5)
    console.log(
      `\n${place.name}: growth 1,000 → 5,000 services: stagec ${(k5.stagec / k.stagec).toFixed(2)}x, floor ${(k5.floor / k.floor).toFixed(2)}x (linear = 5x)`,
    );
  for (const r of [k, k5].filter(Boolean)) {
    console.log(
      `${place.name}: goal at ${r.n.toLocaleString('en')} services, within 1.5x of the floor: ${r.ratio <= 1.5 ? 'met' : 'NOT met'} (${r.ratio.toFixed(2)}x)`,
    );
  }
}
