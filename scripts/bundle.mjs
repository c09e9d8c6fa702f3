// Bundles the CLI into one file, packages/cli/dist/stagec.js, which bin/stagec.js runs.
// Why: every `stagec` run used to load ~230 CommonJS modules, and resolving, reading and
// wrapping each one cost more than the work of a small compile (README, performance). One file
// removes the module resolution, and bundling from the TypeScript sources (ESM) lets esbuild
// drop what no command uses. tsc still type-checks and builds dist/ of every package: the
// libraries (@stagec/core, @stagec/nx, `run` from stagec) are unbundled.
//
// Kept out of the bundle (required at run time from node_modules, as before): the libraries only
// some commands load, so that parsing the bundle does not pay for them (lazy.ts, startup.test.ts).
// The output is not minified: a stack trace names the real functions, and the linked source map
// (not shipped) maps it to src/ with NODE_OPTIONS=--enable-source-maps.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages/cli');
const coreRequire = createRequire(join(root, 'packages/core/package.json'));

/** Loaded by some commands only, through lazy.ts or a command's own import. */
export const EXTERNAL = ['undici', 'dockerfile-ast', 'diff', 'tinyglobby'];

export async function bundle() {
  // An external must be a dependency of the CLI, or the installed bin cannot find it.
  const deps = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8')).dependencies ?? {};
  for (const name of EXTERNAL) if (!(name in deps)) throw new Error(`bundle: external ${name} is not a dependency of packages/cli`);
  const result = await build({
    entryPoints: [join(cli, 'src/index.ts')],
    outfile: join(cli, 'dist/stagec.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    alias: {
      // The core from its sources: ESM, so only what the CLI uses is bundled.
      '@stagec/core': join(root, 'packages/core/src/index.ts'),
      // One copy of yaml (core and CLI pin the same version; a dev install may hold two).
      yaml: dirname(coreRequire.resolve('yaml/package.json')),
    },
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'inline',
    logLevel: 'warning',
    metafile: true,
    write: false,
  });
  for (const file of result.outputFiles) {
    // The notices go before the source map comment, which must stay the last line.
    const text = file.path.endsWith('.js')
      ? file.text.replace(/(\/\/# sourceMappingURL=.*\n?)$/, `${licenseNotices(result.metafile)}$1`)
      : file.text;
    writeFileSync(file.path, text);
  }
  return result;
}

/**
 * The bundle carries code of other packages: their licenses (MIT and ISC) ask that their notices
 * travel with it, so each one's name, version, license and LICENSE text go at the end of the file.
 */
function licenseNotices(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.set(match[1], join(root, match[1]));
  }
  const notices = [...packages.values()].sort().map((dir) => {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : '';
    return `${name}@${version} (${license})${text ? `\n\n${text}` : ''}`;
  });
  return `/*\nThird-party code bundled into this file:\n\n${notices.join('\n\n---\n\n').replaceAll('*/', '* /')}\n*/\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await bundle();
  if (process.argv.includes('--sizes')) {
    const [output] = Object.values(result.metafile.outputs).filter((o) => o.entryPoint);
    const sizes = new Map();
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.replace(/^packages\/(\w+)\/src\/([\w-]+).*/, '$1/$2');
      sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
    }
    console.log(`${output.bytes} bytes`);
    for (const [key, bytes] of [...sizes].sort((a, b) => b[1] - a[1])) console.log(`${String(bytes).padStart(8)} ${key}`);
  }
}
