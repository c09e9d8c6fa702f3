import { realpathSync, statSync } from 'node:fs';

/**
 * The folder a run of renames goes into, re-checked and then held (README, "File safety"): the
 * process moves into it (chdir), asks the kernel where that is (getcwd) and compares it with the
 * real folder the plan checked; the renames then name their files relative to it, so they land
 * in that folder even if a folder on its path is swapped for a symlink after the check. Node has
 * no renameat: the working directory is the one directory handle it offers. Two system calls
 * per folder where realpath(3) made one per path component.
 *
 * Only in the main thread (a worker cannot chdir) and when the working directory can be
 * restored; `open` returns undefined otherwise and the caller re-checks each folder by
 * realpath(3) and renames by path. The commit is synchronous: no other JavaScript runs while
 * the working directory is moved, and `close` moves it back.
 */
export class FolderPin {
  private constructor(private readonly home: string) {}

  static open(): FolderPin | undefined {
    try {
      const home = process.cwd();
      // A worker thread's chdir throws ERR_WORKER_UNSUPPORTED_OPERATION; moving to where it is
      // already asks that without loading node:worker_threads (about 15M instructions at start-up).
      process.chdir(home);
      return new FolderPin(home);
    } catch {
      return undefined; // a worker thread, or the working directory is gone: nowhere to come back to
    }
  }

  /** Moves into `folder` if it is still `realFolder`; else (or if it is gone) says why, and nothing must be renamed there. */
  enter(folder: string, realFolder: string): string | undefined {
    let here: string;
    try {
      process.chdir(folder);
      here = process.cwd();
    } catch (error) {
      return `its folder is gone: ${(error as Error).message}`;
    }
    if (here === realFolder) return undefined;
    // The kernel may spell a folder otherwise than realpath(3) (a case-insensitive file system
    // keeps the case it was first looked up with): it is the checked folder if realpath(3) of
    // its path still gives that, and that is the folder now held.
    try {
      if (realpathSync.native(folder) === realFolder) {
        const held = statSync('.');
        const checked = statSync(realFolder);
        if (held.dev === checked.dev && held.ino === checked.ino) return undefined;
      }
    } catch {
      // gone or unreadable since: changed
    }
    return `its folder changed while stagec ran: it now resolves to ${here}`;
  }

  close(): void {
    try {
      process.chdir(this.home);
    } catch {
      // The working directory was removed during the run: the commands use io.cwd, never process.cwd().
    }
  }
}
