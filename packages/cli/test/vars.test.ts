import { describe, expect, it } from 'vitest';
import { extractVars } from '../src/import/vars';

describe('extractVars', () => {
  it('turns the words that differ into vars, one var per way of varying', () => {
    const runtime = (port: number, main: string) => ({ runtime: { env: { PORT: String(port) }, expose: [port], cmd: ['node', `dist/${main}.js`] } });
    const varied = extractVars([runtime(3000, 'server'), runtime(4000, 'index')])!;
    expect(varied.shared).toEqual({ runtime: { env: { PORT: '${{ vars.port }}' }, expose: ['${{ vars.port }}'], cmd: ['node', 'dist/${{ vars.main }}.js'] } });
    expect(varied.values).toEqual([
      { port: '3000', main: 'server' },
      { port: '4000', main: 'index' },
    ]);
  });
  it('gives up where the members differ in shape', () => {
    expect(extractVars([{ a: { steps: [1] } }, { a: { steps: [1, 2] } }])).toBeUndefined();
    expect(extractVars([{ a: 'x-y' }, { a: 'x y z' }])).toBeUndefined();
    expect(extractVars([{ a: { b: '1' } }, { a: { c: '1' } }])).toBeUndefined();
  });
});
