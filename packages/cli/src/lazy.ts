import type * as Diff from 'diff';
import type * as Tinyglobby from 'tinyglobby';
import type * as EmitYaml from './import/emit-yaml';
import type * as Importer from './import/importer';
import type * as Measure from './import/measure';

/**
 * Modules that only some commands use, loaded when one of them runs: every command is
 * registered at start-up, and `stagec compile` (run on every change, in hooks and CI) should
 * not pay for the Dockerfile parser and YAML writer of `import`/`init`, or the diff of `--check`.
 */
interface ImportModules {
  importer: typeof Importer;
  measure: typeof Measure;
  writer: typeof EmitYaml;
}

let importModules: ImportModules | undefined;

/** Awaited by the import and init actions before they run (the commands themselves stay synchronous). */
export async function loadImportModules(): Promise<void> {
  if (importModules) return;
  const [importer, measure, writer] = await Promise.all([
    import('./import/importer'),
    import('./import/measure'),
    import('./import/emit-yaml'),
  ]);
  importModules = { importer, measure, writer };
}

function loaded(): ImportModules {
  if (!importModules) throw new Error('internal: loadImportModules() was not awaited');
  return importModules;
}

export const importer = (): ImportModules['importer'] => loaded().importer;
export const importMeasure = (): ImportModules['measure'] => loaded().measure;
export const yamlWriter = (): ImportModules['writer'] => loaded().writer;

// A lazy load with require: import() would make compile --check async.
export const diff = (): typeof Diff => require('diff') as typeof Diff;

// The workspace glob runs only for a root package.json that declares workspaces.
export const tinyglobby = (): typeof Tinyglobby => require('tinyglobby') as typeof Tinyglobby;
