import { DEFAULT_MAX_CONFIG_SIZE, type Diagnostic } from '@stagec/core';
import { EXIT, type Io } from '../io';
import { reportDiagnostics } from '../report';
import { commitFailureDiagnostic, refusalDiagnostics } from '../outputs';
import { commitWrites, planWrites } from '../write';

/**
 * The stages.yaml that import and init write, through the one write path (README, "File safety"): a path
 * the user chose may lie anywhere; it is a regular file or absent, never a symlink or one of the
 * files read (`inputs`), and is replaced only with --force. Returns what stopped it, if anything.
 */
export function writeOutput(
  io: Io,
  target: { absolute: string; display: string; root: string },
  text: string,
  options: { force: boolean; inputs: readonly string[] },
): Diagnostic[] {
  const files = planWrites(
    [
      {
        display: target.display,
        absolute: target.absolute,
        content: text,
        origin: { flag: '-o' },
        scope: 'anywhere',
        // Without --force an existing file was refused before (OUTPUT_EXISTS); with it, the output
        // is the one file whose job it is to replace.
        replace: options.force ? 'own' : 'generated',
        isGenerated: () => false,
      },
    ],
    { root: target.root, inputs: options.inputs, maxBytes: DEFAULT_MAX_CONFIG_SIZE },
  );
  const refused = refusalDiagnostics(files);
  if (refused.length) return refused;
  const commit = commitWrites(files, io.stdout);
  return commit.failure ? [commitFailureDiagnostic(commit.failure)] : [];
}

/** OUTPUT_EXISTS: import and init write a new stages.yaml and never merge into an existing one. */
export function outputExists(io: Io, display: string, command: 'import' | 'init', otherFile: string): number {
  reportDiagnostics(io, [
    {
      code: 'OUTPUT_EXISTS',
      severity: 'error',
      message: `${display} exists; ${command} does not merge into it`,
      file: display,
      hint: `pass --force to replace it, ${otherFile}or --dry-run to print`,
    },
  ]);
  return EXIT.failed;
}
