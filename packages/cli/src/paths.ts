import { basename, dirname, join, posix, resolve, sep } from 'node:path';

// node:path's functions scan and normalize each path character by character in JavaScript,
// which runs in the interpreter for most of a cold compile: the write path calls them a few
// times per file, thousands of files. These give exactly node:path's answer (a property test
// holds them to it) with one native lastIndexOf or test for the paths a run makes (absolute,
// normalized, '/'-separated), and ask node:path for anything else.

const POSIX = sep === '/';

/** path.dirname. */
export function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  // After the last '/' there is a name, and before it more than a lone root: what dirname returns.
  return POSIX && at > 1 && at < path.length - 1 ? path.slice(0, at) : dirname(path);
}

/** path.basename. */
export function nameOf(path: string): string {
  const at = path.lastIndexOf('/');
  return POSIX && at >= 0 && at < path.length - 1 ? path.slice(at + 1) : basename(path);
}

/** A path segment that normalizing would change or drop: empty, `.`, `..`. */
const ODD_SEGMENT = /(^|\/)\.{1,2}(\/|$)|\/\/|^\/|\/$|^$/;

/** Whether an absolute path is already in path.normalize's form. */
const normalized = (path: string): boolean => path === '/' || (path.startsWith('/') && !ODD_SEGMENT.test(path.slice(1)));

/** path.join(folder, name), for a name of one segment or more. */
export function childOf(folder: string, name: string): string {
  if (POSIX && normalized(folder) && !ODD_SEGMENT.test(name)) return folder === '/' ? `/${name}` : `${folder}/${name}`;
  return join(folder, name);
}

/** path.resolve(root, relative): `relative` below an absolute `root`. */
export function under(root: string, relative: string): string {
  if (POSIX && normalized(root) && !ODD_SEGMENT.test(relative)) return root === '/' ? `/${relative}` : `${root}/${relative}`;
  return resolve(root, relative);
}

/** path.resolve(path) of an absolute path: itself when already normalized. */
export const absoluteOf = (path: string): string => (POSIX && normalized(path) ? path : resolve(path));

/** posix.dirname, on any system (stages.yaml's paths are '/'-separated). */
export function posixParentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at > 1 && at < path.length - 1 ? path.slice(0, at) : posix.dirname(path);
}

/** posix.basename, on any system. */
export function posixNameOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at >= 0 && at < path.length - 1 ? path.slice(at + 1) : posix.basename(path);
}

/** posix.normalize, on any system. */
export const posixNormal = (path: string): string => (ODD_SEGMENT.test(path) ? posix.normalize(path) : path);

/** posix.join(root, relative), on any system. */
export const posixJoin = (root: string, relative: string): string =>
  root.startsWith('/') && normalized(root) && !ODD_SEGMENT.test(relative)
    ? root === '/'
      ? `/${relative}`
      : `${root}/${relative}`
    : posix.join(root, relative);
