import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesAreText } from '../src/read';

// The write plan tells an unchanged file by comparing its bytes with the encoding of what it
// would write (bytesAreText), not by decoding them. It must answer exactly what decoding and
// comparing answers, for any bytes and any text: invalid UTF-8, lone surrogates, U+FFFD, a BOM.

const FUZZ = process.env.STAGEC_FUZZ === '1';
const params = (numRuns: number): fc.Parameters<unknown> => (FUZZ ? { numRuns: numRuns * 20 } : { numRuns, seed: 20261127 });

const CHARS = ['a', 'Z', '\n', '#', 'é', '€', '\ufffd', '\ufeff', '\ud83d\ude00', '\ud800', '\udc00', '\u0000'];
const textArb = fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((parts) => parts.join(''));
/** Bytes near a text's encoding: the encoding itself, or with bytes changed, cut or added (invalid sequences included). */
const bytesArb = (text: string) =>
  fc.oneof(
    fc.constant(Buffer.from(text, 'utf8')),
    fc
      .array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom('set', 'cut', 'add') }), {
        minLength: 1,
        maxLength: 3,
      })
      .map((edits) => {
        const bytes = [...Buffer.from(text, 'utf8')];
        for (const { at, byte, op } of edits) {
          const i = bytes.length ? at % bytes.length : 0;
          if (op === 'set' && bytes.length) bytes[i] = byte;
          else if (op === 'cut') bytes.splice(i, 1);
          else bytes.splice(i, 0, byte);
        }
        return Buffer.from(bytes);
      }),
    fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)),
    // Each U+FFFD of the text as an invalid byte, which decodes back to U+FFFD.
    fc
      .constantFrom(0x80, 0xc0, 0xff)
      .map((bad) =>
        Buffer.concat(text.split('\ufffd').flatMap((part, i) => (i ? [Buffer.from([bad]), Buffer.from(part)] : [Buffer.from(part)]))),
      ),
  );

describe('property: bytesAreText answers what decoding and comparing answers', () => {
  it('for any text and bytes near its encoding', () => {
    fc.assert(
      fc.property(
        textArb.chain((text) => fc.tuple(fc.constant(text), bytesArb(text))),
        ([text, bytes]) => {
          expect(bytesAreText(bytes, text)).toBe(bytes.toString('utf8') === text);
        },
      ),
      params(1000),
    );
  });

  it('the cases that matter: equal, one byte off, a lone surrogate written as U+FFFD, an invalid byte read as U+FFFD', () => {
    expect(bytesAreText(Buffer.from('FROM node:20\n'), 'FROM node:20\n')).toBe(true);
    expect(bytesAreText(Buffer.from('FROM node:22\n'), 'FROM node:20\n')).toBe(false);
    expect(bytesAreText(Buffer.from('\ud800', 'utf8'), '\ud800')).toBe(false); // decodes to U+FFFD
    expect(bytesAreText(Buffer.from([0x61, 0xff]), 'a\ufffd')).toBe(true);
    expect(bytesAreText(Buffer.from('x'.repeat(10_000)), 'x'.repeat(10_000))).toBe(true); // past the first scratch buffer
  });
});
