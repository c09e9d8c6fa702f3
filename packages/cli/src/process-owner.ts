/**
 * Whether this process is stagec's own (bin/stagec.js says so by calling `ownProcess`), not a
 * host that embeds `run`: only then may a commit move the working directory to pin folders
 * (folder-pin.ts). A host's other threads and queued I/O resolve relative paths against it.
 */
let owned = false;

export function ownProcess(): void {
  owned = true;
}

export const ownsProcess = (): boolean => owned;
