import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTERNAL } from '../../../scripts/bundle.mjs';
import { stagec, TWO_SERVICES, workspace } from './harness';

// bin/stagec.js runs dist/stagec.js, the CLI bundled by scripts/bundle.mjs (npm test builds it
// first). The bundle must behave as the sources do, and load nothing but itself on the paths
// that every run takes.
const BIN = join(__dirname, '../bin/stagec.js');
const BUNDLE = join(__dirname, '../dist/stagec.js');
const FIXTURES = join(__dirname, '../../../test/fixtures/compile');

/** Runs the bin in a real process; `modules`: every file that process required, as in startup.test.ts. */
function bin(cwd: string, ...argv: string[]): { code: number; stdout: string; stderr: string; modules: string[] } {
  const preload = join(mkdtempSync(join(tmpdir(), 'stagec-preload-')), 'modules.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(`${preload}.json`)}, JSON.stringify(Object.keys(require.cache))));`,
  );
  const result = spawnSync(process.execPath, ['-r', preload, BIN, ...argv], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const modules = (JSON.parse(readFileSync(`${preload}.json`, 'utf8')) as string[])
    .filter((m) => m !== preload)
    .map((m) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(m)?.[1] ?? relative(join(__dirname, '..'), m).replace(/\\/g, '/'));
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, modules };
}

/** Every file under `dir`, by relative path, with its content. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[relative(dir, path).replace(/\\/g, '/')] = readFileSync(path, 'utf8');
    }
  return out;
}

describe('the bundled CLI (dist/stagec.js)', () => {
  it.each(['--version', '-V'])('%s answers from package.json without loading the CLI, as the CLI answers', async (flag) => {
    const cwd = workspace({});
    const { code, stdout, stderr, modules } = bin(cwd, flag);
    expect({ code, stdout, stderr }).toEqual(await stagec(cwd, flag));
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(modules).toEqual(['bin/stagec.js', 'package.json']);
  });

  it('anything more than a bare --version goes to the CLI', () => {
    const cwd = workspace({});
    expect(bin(cwd, '--version', '--quiet').modules).toContain('dist/stagec.js');
    expect(bin(cwd, 'compile', '--version').modules).toContain('dist/stagec.js');
  });

  it('compile loads the bundle only: none of the libraries that other commands need', () => {
    const { code, modules } = bin(workspace({ 'stages.yaml': TWO_SERVICES }), 'compile', '-q');
    expect(code).toBe(0);
    expect(modules).toEqual(['bin/stagec.js', 'dist/stagec.js']);
  });

  it('requires at run time only node built-ins and the libraries it leaves out on purpose, all dependencies of the package', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    // Calls, not text: ajv's runtime names its own require in a string.
    const required = new Set([...text.matchAll(/(?<!['"])\b(?:require|import)\("([^"]+)"\)/g)].map((m) => m[1]!));
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const outside = [...required].filter((name) => !builtins.has(name)).sort();
    expect(outside).toEqual([...EXTERNAL].sort());
    const dependencies = Object.keys(
      (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { dependencies: object }).dependencies,
    );
    expect(dependencies).toEqual(expect.arrayContaining(EXTERNAL));
  });

  it('carries the license notices of the code it bundles', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    for (const name of ['yaml@', 'commander@', 'picocolors@']) expect(text).toContain(`\n${name}`);
  });

  // The same compiler built twice (tsc for the libraries, esbuild for the bin): every golden
  // case, compiled by the bin in a real process, writes exactly what the sources write in-process.
  it.each(readdirSync(FIXTURES))('writes what the sources write: %s', async (name) => {
    const copy = (): string => {
      const dir = mkdtempSync(join(tmpdir(), 'stagec-bundle-'));
      cpSync(join(FIXTURES, name), dir, { recursive: true });
      rmSync(join(dir, 'expected'), { recursive: true, force: true });
      return dir;
    };
    const [a, b] = [copy(), copy()];
    const sources = await stagec(a, 'compile');
    const bundled = bin(b, 'compile');
    expect({ code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual(sources);
    expect(files(b)).toEqual(files(a));
    // A case that needs more than its folder (a workspace) fails alike in both; the others write.
    if (sources.code === 0) expect(Object.keys(files(a)).some((f) => /Dockerfile/.test(f))).toBe(true);
  });

  // Every command, through the bin (bundle) and in-process (sources), on one compiled workspace.
  const COMMANDS = [
    ['--help'],
    ['ls'],
    ['print', 'api'],
    ['explain', 'api'],
    ['graph'],
    ['plan'],
    ['bake', '-o', '-'],
    ['lint'],
    ['validate'],
    ['compile', '--check'],
    ['build', '--dry-run', 'api'],
    ['schema'],
    ['completion', 'bash'],
    ['import', '--help'],
    ['lock', '--help'],
    ['nonsense'],
  ];
  it.each(COMMANDS.map((argv) => [argv.join(' '), argv]))('stagec %s prints what the sources print', async (_name, argv) => {
    const dir = mkdtempSync(join(tmpdir(), 'stagec-bundle-'));
    cpSync(join(FIXTURES, 'readme'), dir, { recursive: true });
    rmSync(join(dir, 'expected'), { recursive: true, force: true });
    expect((await stagec(dir, 'compile', '-q')).code).toBe(0);
    const bundled = bin(dir, ...argv);
    expect({ code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual(await stagec(dir, ...argv));
  });

  it('compile --check on a stale Dockerfile prints the diff the sources print (diff is loaded from node_modules)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stagec-bundle-'));
    cpSync(join(FIXTURES, 'readme'), dir, { recursive: true });
    rmSync(join(dir, 'expected'), { recursive: true, force: true });
    expect((await stagec(dir, 'compile', '-q')).code).toBe(0);
    writeFileSync(join(dir, 'apps/api/Dockerfile'), `${readFileSync(join(dir, 'apps/api/Dockerfile'), 'utf8')}# edited\n`);
    const bundled = bin(dir, 'compile', '--check');
    expect(bundled.code).toBe(1);
    expect(bundled.modules).toContain('diff');
    expect({ code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual(await stagec(dir, 'compile', '--check'));
  });
});
