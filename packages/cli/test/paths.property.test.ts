import { basename, dirname, join, posix, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absoluteOf, childOf, nameOf, parentOf, posixJoin, posixNameOf, posixNormal, posixParentOf, under } from '../src/paths';

// The write path's fast path helpers must give exactly node:path's answer, for any string:
// the fast path where the path is plain, node:path itself otherwise.

const FUZZ = process.env.STAGEC_FUZZ === '1';
const params = (numRuns: number): fc.Parameters<unknown> => (FUZZ ? { numRuns: numRuns * 20 } : { numRuns, seed: 20261127 });

/** Paths made of the parts that matter to normalizing: separators, dots, names, a backslash, empty segments. */
const pathArb = fc
  .array(fc.constantFrom('/', '//', '.', '..', 'a', 'bc', 'Dockerfile', '.Dockerfile.x', '\\', ' ', 'é'), { maxLength: 8 })
  .map((parts) => parts.join(''));
const absoluteArb = pathArb.map((p) => `/${p}`);

describe('property: the path helpers are node:path', () => {
  it('parentOf is dirname, nameOf is basename, absoluteOf is resolve', () => {
    fc.assert(
      fc.property(fc.oneof(pathArb, absoluteArb), (p) => {
        expect(parentOf(p)).toBe(dirname(p));
        expect(nameOf(p)).toBe(basename(p));
        if (p.startsWith('/')) expect(absoluteOf(p)).toBe(resolve(p));
      }),
      params(2000),
    );
  });

  it('the posix helpers are node:path.posix, for stages.yaml paths', () => {
    fc.assert(
      fc.property(fc.oneof(pathArb, absoluteArb), pathArb, (p, rel) => {
        expect(posixParentOf(p)).toBe(posix.dirname(p));
        expect(posixNameOf(p)).toBe(posix.basename(p));
        expect(posixNormal(p)).toBe(posix.normalize(p));
        expect(posixJoin(p, rel)).toBe(posix.join(p, rel));
      }),
      params(2000),
    );
  });

  it('childOf is join, under is resolve', () => {
    fc.assert(
      fc.property(absoluteArb, pathArb, (folder, name) => {
        expect(childOf(folder, name)).toBe(join(folder, name));
        expect(under(folder, name)).toBe(resolve(folder, name));
      }),
      params(2000),
    );
  });
});
