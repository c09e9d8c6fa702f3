import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { compile } from '@stagec/core';
import { discover, folderName, serviceNames } from '../import/discover';
import { importer, loadImportModules, yamlWriter } from '../lazy';
import type { Doc } from '../import/model';
import { detectServices, type Detected } from '../init/detect';
import { BASE_IMAGES, PIPELINES, serviceEntry } from '../init/pipelines';
import { EXIT, type Io } from '../io';
import { reportDiagnostics } from '../report';
import { outputExists, writeOutput } from './output';

interface InitFlags {
  output?: string;
  dryRun?: boolean;
  force?: boolean;
}

export function registerInit(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a first stages.yaml: import folders with Dockerfiles, detect Node, Go, Python and static-site services elsewhere')
    .option('-o, --output <file>', 'stages.yaml to write; its folder is the workspace root that is searched; - prints it', 'stages.yaml')
    .option('--dry-run', 'print the stages.yaml instead of writing it')
    .option('--force', 'replace an existing output file')
    .addHelpText(
      'after',
      [
        '',
        'Detected: package.json with a start script or main (Node), with only a build script (a site built',
        'with Node), go.mod with a main package (Go), pyproject.toml, requirements.txt or a runnable .py',
        '(Python), index.html (static site). Every base image is a top-level arg (NODE_IMAGE, GO_IMAGE, ...).',
        '',
        'Examples:',
        '  $ stagec init --dry-run          # see what it would write',
        '  $ stagec init && stagec compile  # write stages.yaml, then the Dockerfiles',
        '  $ stagec build api --target test -- --build-arg NODE_IMAGE=registry.local/node:22',
      ].join('\n'),
    )
    .action(async (flags: InitFlags) => {
      await loadImportModules();
      setExit(runInit(io, flags));
    });
}

function runInit(io: Io, given: InitFlags): number {
  // `-o -` is standard output (README, "File safety"): the same as --dry-run, rooted at the working directory.
  const flags = given.output === '-' ? { ...given, output: 'stages.yaml', dryRun: true } : given;
  const output = resolve(io.cwd, flags.output ?? 'stages.yaml');
  const root = dirname(output);
  const display = relative(io.cwd, output) || output;
  if (!flags.dryRun && existsSync(output) && !flags.force) return outputExists(io, display, 'init', '');
  const found = detectServices(root);
  const out = flags.dryRun ? io.stderr : io.stdout;
  const dockerfileFolders = found.filter((f) => f.kind === 'dockerfile').map((f) => f.path);
  let doc: Doc = { version: 1 };
  let refused = 0;
  if (dockerfileFolders.length > 0) {
    // Only the folder's own files: nested folders were detected on their own.
    const files = discover(root, dockerfileFolders).found.filter((f) =>
      dockerfileFolders.includes(f.file.includes('/') ? f.file.slice(0, f.file.lastIndexOf('/')) : '.'),
    );
    const names = serviceNames(
      files.map((f) => f.file),
      folderName(root),
    );
    const result = importer().importDockerfiles(
      files.map((f, i) => ({
        file: f.file,
        service: names[i]!,
        path: f.file.includes('/') ? f.file.slice(0, f.file.lastIndexOf('/')) : '.',
        text: f.text,
      })),
      { context: 'service' },
    );
    doc = result.doc;
    for (const f of result.files) {
      out.write(
        `${f.file}: imported as service ${f.service}${f.status === 'refused' ? ' - refused (run `stagec import` for the details)' : ''}\n`,
      );
      if (f.status === 'refused') refused++;
    }
  }
  const detected = found.filter((f): f is Exclude<Detected, { kind: 'dockerfile' }> => f.kind !== 'dockerfile');
  const taken = new Set(Object.keys((doc.services as Doc | undefined) ?? {}));
  const names = serviceNames(
    detected.map((d) => `${d.path}/Dockerfile`),
    folderName(root),
  );
  const services: Doc = { ...((doc.services as Doc | undefined) ?? {}) };
  const args: Doc = { ...((doc.args as Doc | undefined) ?? {}) };
  const pipelines: Doc = { ...((doc.pipelines as Doc | undefined) ?? {}) };
  detected.forEach((d, i) => {
    let name = names[i]!;
    for (let n = 2; taken.has(name); n++) name = `${names[i]}-${n}`;
    taken.add(name);
    const pipeline = pipelines[d.kind] === undefined || PIPELINES[d.kind] === pipelines[d.kind] ? d.kind : `${d.kind}-init`;
    pipelines[pipeline] = PIPELINES[d.kind];
    for (const [k, v] of Object.entries(BASE_IMAGES[d.kind]!)) if (!(k in args)) args[k] = v;
    services[name] = { ...serviceEntry(d), pipeline };
    out.write(`${d.path}: ${d.kind} (${d.why}) -> service ${name}, pipeline ${pipeline}\n`);
  });
  if (Object.keys(services).length === 0) {
    io.stderr.write(
      `stagec: found no services under ${relative(io.cwd, root) || '.'}: no Dockerfile, package.json, go.mod, pyproject.toml, requirements.txt or index.html\n`,
    );
    return EXIT.failed;
  }
  const { services: _s, args: _a, pipelines: _p, ...rest } = doc;
  doc = { ...rest, ...(Object.keys(args).length ? { args } : {}), ...(Object.keys(pipelines).length ? { pipelines } : {}), services };
  const text = yamlWriter().emitYaml(
    doc,
    ' Written by `stagec init`. Base images are the top-level args: point them at your registry.\n Next: stagec compile --check, then stagec compile (--force replaces hand-written Dockerfiles).',
  );
  const compiled = compile(text, { file: display });
  if (compiled.failed) {
    // A bug of init's, not the user's: say so, and write nothing.
    reportDiagnostics(io, compiled.diagnostics, text);
    io.stderr.write('stagec: internal error: the stages.yaml init wrote does not compile\n');
    return EXIT.failed;
  }
  if (flags.dryRun) io.stdout.write(text);
  else {
    const refused = writeOutput(io, { absolute: output, display, root }, text, { force: Boolean(flags.force), inputs: [] });
    if (refused.length) {
      reportDiagnostics(io, refused);
      return EXIT.failed;
    }
    out.write(`wrote ${display} (${Object.keys(services).length} services)\n`);
  }
  out.write(
    `\nNext:\n  stagec compile --check    # what it would write\n  stagec compile            # write the Dockerfiles${dockerfileFolders.length ? ' (--force to replace the hand-written ones)' : ''}\n`,
  );
  return refused > 0 ? EXIT.failed : EXIT.ok;
}
