import { describe, expect, it } from 'vitest';
import { closest } from '../src/util/suggest';

describe('closest (did-you-mean)', () => {
  it('finds the nearest name within two edits, or nothing', () => {
    expect(closest('biuld', ['build', 'test', 'runtime'])).toBe('build');
    expect(closest('runtmie', ['build', 'test', 'runtime'])).toBe('runtime');
    expect(closest('deploy', ['build', 'test', 'runtime'])).toBeUndefined();
    expect(closest('build', ['build'])).toBeUndefined(); // never itself
  });

  it('breaks ties by length (swapped letters keep it), then alphabetically', () => {
    expect(closest('service.nmae', ['service.image', 'service.name', 'service.path'])).toBe('service.name');
    expect(closest('ab', ['ax', 'ay'])).toBe('ax');
  });
});
