import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestingEstimateAt } from '../src/load/nesting';

const FUZZ = process.env.FUZZ === '1';

/** The estimate as first written, over text.split('\n') and trimStart: the by-character-code scan must agree with it. */
function byLines(text: string): { depth: number; offset: number } {
  let flow = 0;
  let max = 0;
  let offset = 0;
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const before = max;
    const indent = line.length - line.trimStart().length;
    let dashes = 0;
    let leading = true;
    let quote: string | undefined;
    for (let i = indent; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if ((c === '-' || c === '?') && leading && (line[i + 1] === ' ' || i + 1 === line.length)) {
        dashes++;
        continue;
      }
      if (c !== ' ' && c !== '\t') leading = false;
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      if (c === '"' || c === "'") quote = c;
      else if (c === '[' || c === '{') max = Math.max(max, indent + dashes + ++flow);
      else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
    }
    max = Math.max(max, indent + dashes + flow);
    if (max > before && before <= 400) offset = lineStart;
    lineStart += line.length + 1;
  }
  return { depth: max, offset };
}

const UNITS = [
  ' ',
  ' ',
  '\t',
  '\n',
  '\n',
  '\r',
  '\v',
  '\u00a0',
  '\u3000',
  '\ufeff',
  '\u2028',
  '-',
  '?',
  '#',
  '"',
  "'",
  '[',
  '{',
  ']',
  '}',
  'a',
  ':',
  'é',
];

describe('the nesting estimate', () => {
  it('agrees with the line-by-line estimate on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...UNITS), maxLength: 200 }), (text) => {
        expect(nestingEstimateAt(text)).toEqual(byLines(text));
      }),
      FUZZ ? { numRuns: 100_000 } : { numRuns: 3000, seed: 20261127 },
    );
  });

  it('places the first line that passes the bound', () => {
    const text = `a: 1\n${'['.repeat(450)}\n${'['.repeat(10)}\n`;
    expect(nestingEstimateAt(text)).toEqual(byLines(text));
    expect(nestingEstimateAt(text)).toEqual({ depth: 460, offset: 5 });
  });
});
