import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstInvalidByte } from '@stagec/core';
import { readConfig } from '../src/config';

const decodes = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('firstInvalidByte', () => {
  it('finds nothing in valid text, and the lead byte of a broken sequence', () => {
    expect(firstInvalidByte(Buffer.from('version: 1\nx: "é ✓ 日 😀"\n'))).toBeUndefined();
    expect(firstInvalidByte(Buffer.from([0x61, 0xc3, 0x28]))).toBe(1); // lead byte, bad continuation
    expect(firstInvalidByte(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1); // truncated at the end
    expect(firstInvalidByte(Buffer.from([0xc3, 0xa9, 0xff]))).toBe(2); // after a complete é
    expect(firstInvalidByte(Buffer.from([0x80]))).toBe(0); // a stray continuation byte
  });

  it('property: undefined exactly for decodable bytes; otherwise everything before it decodes', () => {
    const bytes = fc
      .array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 24 })
      .map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(bytes, (b) => {
        const at = firstInvalidByte(b);
        expect(at === undefined).toBe(decodes(b));
        if (at !== undefined) {
          expect(decodes(b.subarray(0, at))).toBe(true);
          expect(at).toBeLessThan(b.length);
        }
      }),
      { numRuns: 500, seed: 20261127 },
    );
  });

  it('the message names the bad sequence only: a lead byte and its continuation bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stagec-utf8-'));
    const message = (bytes: number[]) => {
      writeFileSync(join(dir, 'stages.yaml'), Buffer.from(bytes));
      const r = readConfig(dir);
      return 'diagnostics' in r ? `${r.diagnostics[0]!.line}:${r.diagnostics[0]!.column} ${r.diagnostics[0]!.message}` : 'valid';
    };
    expect(message([0x61, 0xff, 0x20, 0x41, 0x80])).toBe('1:2 stages.yaml is not valid UTF-8 text: byte 0xFF at offset 1');
    expect(message([0x0a, 0x61, 0xe2, 0x82])).toBe('2:2 stages.yaml is not valid UTF-8 text: bytes 0xE2 0x82 at offset 2');
  });
});
