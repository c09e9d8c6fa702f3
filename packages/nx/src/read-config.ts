import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { decodeConfig, formatDiagnostic, tooLarge, type Diagnostic } from '@stagec/core';

/**
 * stages.yaml for the plugin, read as the CLI reads it (DESIGN §14): a regular file opened
 * with O_NONBLOCK|O_NOFOLLOW, fstat-checked, at most the cap, UTF-8 only. Anything else is
 * stagec's diagnostic, so Nx fails loudly instead of showing no projects.
 */
export function readStagesYaml(absolute: string, display: string, maxBytes: number): { text: string } | { error: string } {
  const fail = (code: Diagnostic['code'], message: string): { error: string } => ({
    error: formatDiagnostic({ code, severity: 'error', message, file: display, line: 0, column: 0, endLine: 0, endColumn: 0 }),
  });
  let fd: number;
  try {
    // As the CLI: a symlinked stages.yaml is followed while it stays inside the workspace (the
    // folder holding the name), then the real file is opened without following.
    const real = realpathSync(absolute);
    const inside = relative(realpathSync(dirname(absolute)), real);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      return fail('FILE_UNREADABLE', `cannot read ${display}: it is a symbolic link that leaves the workspace (to ${real})`);
    }
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail('FILE_NOT_FOUND', `${display} does not exist (the "config" option of @stagec/nx in nx.json names it)`);
    if (code === 'ELOOP') return fail('FILE_UNREADABLE', `cannot read ${display}: it is a symbolic link`);
    return fail('FILE_UNREADABLE', `cannot read ${display}: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return fail('FILE_UNREADABLE', `cannot read ${display}: it is not a regular file`);
    if (stat.size > maxBytes) return { error: formatDiagnostic(tooLarge(display, stat.size, maxBytes, 'the maxConfigSize option')) };
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, stat.size + 1));
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) return { error: formatDiagnostic(tooLarge(display, undefined, maxBytes, 'the maxConfigSize option')) };
    const decoded = decodeConfig(buffer.subarray(0, length), display);
    return 'text' in decoded ? decoded : { error: formatDiagnostic(decoded.diagnostic) };
  } catch (error) {
    return fail('FILE_UNREADABLE', `cannot read ${display}: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}
