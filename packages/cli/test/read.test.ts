import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSize, readRegular } from '../src/read';

describe('the read path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagec-read-'));
  writeFileSync(join(dir, 'ten'), '0123456789');
  symlinkSync(join(dir, 'ten'), join(dir, 'link'));

  it('reads a regular file up to the cap, and refuses one byte more', () => {
    expect(readRegular(join(dir, 'ten'), 10)).toEqual({ ok: true, bytes: Buffer.from('0123456789') });
    expect(readRegular(join(dir, 'ten'), 9)).toMatchObject({ ok: false, reason: 'too-large', size: 10 });
  });

  it('refuses a symlink, a folder, a device and a missing file, by reason', () => {
    expect(readRegular(join(dir, 'link'), 100)).toMatchObject({ ok: false, reason: 'symlink' });
    expect(readRegular(dir, 100)).toMatchObject({ ok: false, reason: 'folder' });
    expect(readRegular('/dev/zero', 100)).toMatchObject({ ok: false, reason: 'special' });
    expect(readRegular('/dev/null', 100)).toMatchObject({ ok: false, reason: 'special' });
    expect(readRegular(join(dir, 'nope'), 100)).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('parses sizes', () => {
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('8M')).toBe(8 * 2 ** 20);
    expect(parseSize('64KiB')).toBe(64 * 1024);
    expect(parseSize('1g')).toBe(2 ** 30);
    expect(parseSize('1.5M')).toBe(1.5 * 2 ** 20);
    for (const bad of ['', 'lots', '-1', '0', '8X', '1e9']) expect(parseSize(bad)).toBeUndefined();
  });
});
