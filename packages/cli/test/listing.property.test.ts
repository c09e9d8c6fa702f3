import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderListings } from '../src/listing';

// A listing's absent(name) lets the write plan skip the lstat of a target its folder's listing
// lacks. It must never say "absent" where a file system that matches names loosely would find
// the name under another spelling. These properties hold it to models of such file systems
// (case folding, Unicode normalization, HFS+'s ignorable code points, vfat's trailing dots)
// on real folders holding random names, tricky characters included.

const FUZZ = process.env.STAGEC_FUZZ === '1';
const params = (numRuns: number): fc.Parameters<unknown> => (FUZZ ? { numRuns: numRuns * 20 } : { numRuns, seed: 20261127 });

const boxes: string[] = [];
afterAll(() => {
  for (const box of boxes) rmSync(box, { recursive: true, force: true });
});

/**
 * Characters loose file systems treat specially: cases, the Kelvin sign and long s (fold to k and
 * s), composed and decomposed é, a zero-width space (ignored by HFS+), fullwidth D, the Greek
 * question mark (normalizes to ;), trailing dots and spaces, vfat's ~.
 */
const CHARS = [
  'D',
  'd',
  'o',
  'c',
  'k',
  'K',
  '\u212a',
  's',
  'S',
  '\u017f',
  'e',
  '\u00e9',
  'e\u0301',
  '\u200b',
  '\uff24',
  ';',
  '\u037e',
  '.',
  ' ',
  '~',
  '-',
  '1',
];
const nameArb = fc
  .array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''))
  .filter((n) => n !== '.' && n !== '..');
/** Also the names stagec writes, and their loose spellings. */
const targetArb = fc.oneof(
  nameArb,
  fc.constantFrom(
    'Dockerfile',
    'Dockerfile.worker',
    '.dockerignore',
    'dockerfile',
    'DOCKERFILE',
    'Doc\u212aerfile',
    'Dockerfile.',
    'DOCKER~1',
  ),
);

/** A plain name and a loose spelling of it: some of its characters swapped for ones a loose file system equates with them. */
const LOOSE: Record<string, string[]> = {
  k: ['K', '\u212a'],
  s: ['S', '\u017f'],
  d: ['D', '\uff44'],
  e: ['E'],
  r: ['R', 'r\u200b'],
  '.': ['.'],
};
const variantArb = fc
  .record({
    name: fc.constantFrom('Dockerfile', 'dockerfile.worker', 'desk', 'kess.d', '.dockerignore'),
    swaps: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    tail: fc.constantFrom('', '.', ' ', '..'),
  })
  .map(({ name, swaps, tail }) => {
    const chars = [...name];
    for (const at of swaps) {
      const i = at % chars.length;
      const options = LOOSE[chars[i]!.toLowerCase()];
      if (options) chars[i] = options[at % options.length]!;
    }
    return { name, entry: chars.join('') + tail };
  });

/** How loose file systems compare names: each model maps a name to what the file system compares. */
const HFS_IGNORABLE = /[\u200b-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;
const MODELS: ((name: string) => string)[] = [
  (n) => n.toLowerCase(),
  (n) => n.toUpperCase(),
  (n) => n.toUpperCase().toLowerCase(),
  (n) => n.normalize('NFC'),
  (n) => n.normalize('NFD'),
  (n) => n.normalize('NFKC'),
  (n) => n.normalize('NFD').toLowerCase(),
  (n) => n.normalize('NFKD').toUpperCase().toLowerCase(),
  (n) => n.replace(HFS_IGNORABLE, '').normalize('NFD').toLowerCase(),
  (n) => n.replace(/[. ]+$/, '').toLowerCase(),
];

function folderWith(names: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagec-listing-'));
  boxes.push(dir);
  for (const name of new Set(names)) {
    if (name.endsWith('~')) mkdirSync(join(dir, name));
    else writeFileSync(join(dir, name), '');
  }
  return dir;
}

describe('property: a listing proves a name absent only where no loose file system could find it', () => {
  it('absent(name) is false whenever some model of a loose file system matches the name to an entry', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(nameArb, targetArb), { maxLength: 6 }), targetArb, (entries, name) => {
        const listing = new FolderListings().list(folderWith(entries))!;
        if (!listing.absent(name)) return;
        for (const entry of listing.entries)
          for (const model of MODELS)
            expect(model(entry.name), `${JSON.stringify(entry.name)} vs ${JSON.stringify(name)}`).not.toBe(model(name));
      }),
      params(200),
    );
  });

  it('a loose spelling of the name among the entries: never absent', () => {
    fc.assert(
      // big: more than 16 entries, where the listing compares through a set of keys instead of a scan.
      fc.property(fc.array(nameArb, { maxLength: 3 }), variantArb, fc.boolean(), (others, { name, entry }, big) => {
        const fillers = big ? Array.from({ length: 17 }, (_, i) => `filler-${i}`) : [];
        const listing = new FolderListings().list(folderWith([...others, ...fillers, entry]))!;
        if (MODELS.some((model) => model(entry) === model(name))) expect(listing.absent(name), JSON.stringify(entry)).toBe(false);
      }),
      params(200),
    );
  });

  it('a plain name in a folder of plain, different names is absent; the same name spelt otherwise is not', () => {
    const listing = new FolderListings().list(folderWith(['main.go', 'package.json', 'src~']))!;
    expect(listing.absent('Dockerfile')).toBe(true);
    expect(listing.absent('Dockerfile.worker')).toBe(true);
    expect(listing.absent('.dockerignore')).toBe(true);
    expect(listing.absent('main.go')).toBe(false); // shown
    expect(listing.absent('MAIN.GO')).toBe(false);
    expect(listing.absent('main.go.')).toBe(false);
    expect(listing.absent('Doc\u212aerfile')).toBe(false); // not a plain name
    expect(listing.absent('DOCKER~1')).toBe(false);
    expect(new FolderListings().list(folderWith(['doc\u212aerfile']))!.absent('Dockerfile')).toBe(false);
    expect(new FolderListings().list(folderWith(['dockerfile']))!.absent('Dockerfile')).toBe(false);
    const many = Array.from({ length: 20 }, (_, i) => `f${i}`);
    expect(new FolderListings().list(folderWith(many))!.absent('Dockerfile')).toBe(true);
    expect(new FolderListings().list(folderWith([...many, 'DOCKERFILE..']))!.absent('Dockerfile')).toBe(false);
  });
});
