import { describe, expect, it } from 'vitest';
import { forEachString } from '../src/util/walk';

describe('forEachString', () => {
  it('visits every string with its path, in document order, and skips other scalars', () => {
    const seen: [string, (string | number)[]][] = [];
    forEachString({ a: 'x', b: [1, 'y', { c: 'z', d: null, e: true }], f: 'w' }, ['root'], (text, path) => seen.push([text, [...path]]));
    expect(seen).toEqual([
      ['x', ['root', 'a']],
      ['y', ['root', 'b', 1]],
      ['z', ['root', 'b', 2, 'c']],
      ['w', ['root', 'f']],
    ]);
  });

  it("gives a bare string its own path, and leaves the caller's path untouched", () => {
    const path = ['stages', 'build'] as const;
    const seen: (string | number)[][] = [];
    forEachString('run', path, (_, at) => seen.push([...at]));
    forEachString({ steps: ['a'] }, path, (_, at) => seen.push([...at]));
    expect(seen).toEqual([
      ['stages', 'build'],
      ['stages', 'build', 'steps', 0],
    ]);
    expect(path).toEqual(['stages', 'build']);
  });

  it('reads own keys only', () => {
    const inherited = Object.create({ hidden: 'no' }) as Record<string, unknown>;
    inherited.own = 'yes';
    const seen: string[] = [];
    forEachString(inherited, [], (text) => seen.push(text));
    expect(seen).toEqual(['yes']);
  });
});
