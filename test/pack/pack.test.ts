import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// What `npm pack` ships, used as a stranger would: the three tarballs (and nothing of this
// checkout) installed into an empty folder, which then compiles a stages.yaml, prints the
// schema, type-checks against the published types without @types/node, and runs Nx with the
// plugin. Run by `npm run test:pack` (it installs from the npm registry, so it is not part
// of the fast `npm test`); .ci/run runs it.
const REPO = join(__dirname, '..', '..');
const WORKSPACES = ['packages/core', 'packages/cli', 'packages/nx'] as const;
const NX_VERSION = (JSON.parse(readFileSync(join(REPO, 'node_modules/nx/package.json'), 'utf8')) as { version: string }).version;

interface Packed {
  name: string;
  filename: string;
  files: { path: string }[];
}

let out = '';
let user = '';
const packed = new Map<string, Packed>();

const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> =>
  spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
  });
const ok = (r: SpawnSyncReturns<string>): string => {
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(user, path)), { recursive: true });
  writeFileSync(join(user, path), text);
};
const manifest = (name: string) =>
  JSON.parse(readFileSync(join(user, 'node_modules', name, 'package.json'), 'utf8')) as Record<string, any>;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'stagec-pack-'));
  const args = ['pack', '--json', '--pack-destination', out, ...WORKSPACES.flatMap((w) => ['--workspace', w])];
  for (const p of JSON.parse(ok(run('npm', args, REPO))) as Packed[]) packed.set(p.name, p);

  // A stranger's folder: only the tarballs, their registry dependencies and nx.
  user = mkdtempSync(join(tmpdir(), 'stagec-user-'));
  write('package.json', JSON.stringify({ name: 'stranger', private: true }));
  const tarballs = [...packed.values()].map((p) => join(out, p.filename));
  ok(run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs, `nx@${NX_VERSION}`], user));
}, 10 * 60_000);

describe('the tarballs', () => {
  it('are the three packages', () => {
    expect([...packed.keys()].sort()).toEqual(['@stagec/core', '@stagec/nx', 'stagec']);
  });

  it.each(['@stagec/core', '@stagec/nx', 'stagec'])('%s ships what runs, a README and a LICENSE, and nothing else', (name) => {
    const files = packed.get(name)!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
    expect(files.filter((f) => /\.map$|tsbuildinfo|^src\/|^test\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(
      files.filter(
        (f) => !/^(LICENSE|README\.md|package\.json|bin\/stagec\.js|schemas\/stages\.schema\.json|dist\/.+\.(js|d\.ts))$/.test(f),
      ),
    ).toEqual([]);
  });

  it('stagec ships its bin and the JSON Schema', () => {
    const files = packed.get('stagec')!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/stagec.js', 'schemas/stages.schema.json']));
  });

  it.each(['@stagec/core', '@stagec/nx', 'stagec'])('%s has complete metadata', (name) => {
    const m = manifest(name);
    expect(m.license).toBe('MIT');
    expect(m.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\//) });
    expect(m.homepage).toMatch(/^https:\/\//);
    expect(m.bugs?.url).toMatch(/^https:\/\//);
    expect(m.engines?.node).toMatch(/^>=20/);
    expect(m.exports['.']).toMatchObject({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(m.publishConfig?.access).toBe('public');
  });

  it('the CLI and the plugin take core with a caret range; the plugin has stagec as a peer', () => {
    expect(manifest('stagec').dependencies['@stagec/core']).toMatch(/^\^/);
    expect(manifest('@stagec/nx').dependencies['@stagec/core']).toMatch(/^\^/);
    expect(manifest('@stagec/nx').peerDependencies.stagec).toMatch(/^\^/);
  });

  it('npm publish --dry-run is clean for all three', () => {
    for (const w of WORKSPACES) {
      const r = run('npm', ['publish', '--dry-run', '--workspace', w], REPO);
      expect(r.status, r.stderr).toBe(0);
      // The one warning a machine without npm credentials always gets is not about the package.
      const warnings = r.stderr.split('\n').filter((l) => /npm warn/i.test(l) && !/requires you to be logged in/.test(l));
      expect(warnings).toEqual([]);
    }
  });
});

describe('installed from the tarballs into an empty folder', () => {
  const stagec = (...args: string[]) => run(process.execPath, [join(user, 'node_modules/stagec/bin/stagec.js'), ...args], user);

  it('stagec compile writes the Dockerfiles', () => {
    write(
      'stages.yaml',
      'version: 1\nservices:\n  api:\n    path: apps/api\n    stages:\n      runtime: { from: debian:bookworm-slim, cmd: [sh] }\n',
    );
    write('apps/api/README.md', 'api\n');
    ok(stagec('compile'));
    expect(readFileSync(join(user, 'apps/api/Dockerfile'), 'utf8')).toMatch(/^FROM debian:bookworm-slim AS runtime$/m);
  });

  it('stagec schema prints the shipped schema, which editors can point at', () => {
    const shipped = join(user, 'node_modules/stagec/schemas/stages.schema.json');
    expect(existsSync(shipped)).toBe(true);
    expect(JSON.parse(ok(stagec('schema')))).toEqual(JSON.parse(readFileSync(shipped, 'utf8')));
    ok(stagec('schema', '-o', 'schema.json'));
    expect(readFileSync(join(user, 'schema.json'), 'utf8')).toBe(readFileSync(shipped, 'utf8'));
  });

  it("the CLI's and core's public types type-check without @types/node", () => {
    write(
      'check.ts',
      [
        "import { run, type Io } from 'stagec';",
        "import { compile, type Diagnostic } from '@stagec/core';",
        'const io: Io = { cwd: "/", env: {}, stdout: { write: () => true }, stderr: { write: () => true } };',
        'const diagnostics: readonly Diagnostic[] = compile("version: 1", { file: "stages.yaml" }).diagnostics;',
        'export const done: Promise<number> = run(["validate"], io);',
        'export const count: number = diagnostics.length;',
        '',
      ].join('\n'),
    );
    // types: [] keeps any @types/node that nx pulled in out of the program: only what our
    // declarations reference themselves gets loaded.
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          target: 'ES2022',
          lib: ['ES2023'],
          types: [],
          skipLibCheck: false,
        },
        files: ['check.ts'],
      }),
    );
    const r = run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], user);
    expect(r.status, r.stdout).toBe(0);
  });

  it('Nx loads the plugin from its tarball in a fresh workspace', () => {
    write('nx.json', JSON.stringify({ analytics: false, plugins: ['@stagec/nx'] }));
    write('apps/api/package.json', JSON.stringify({ name: 'api' }));
    const projects = ok(run(process.execPath, [join(user, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], user)).split('\n');
    expect(projects).toContain('api');
    const api = JSON.parse(
      ok(run(process.execPath, [join(user, 'node_modules/nx/dist/bin/nx.js'), 'show', 'project', 'api', '--json'], user)),
    );
    expect(Object.keys(api.targets)).toEqual(expect.arrayContaining(['image', 'image:runtime']));
  });
});
