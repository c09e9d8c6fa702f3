import { describe, expect, it } from 'vitest';
import { compile } from '../src';

const at = (text: string) =>
  compile(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);
const doc = (step: string) =>
  `version: 1\nservices:\n  api:\n    path: apps/api\n    stages:\n      build:\n        from: node:20\n        steps:\n${step}`;

describe('positions of a ${{ }} inside a string', () => {
  it('plain and quoted scalars: the expression itself, not the whole string', () => {
    expect(at(doc('          - run: echo ${{ service.nmae }} x\n'))).toEqual(['UNKNOWN_EXPRESSION 9:23-9:42']);
    expect(at(doc('          - run: "echo ${{ service.nmae }}"\n'))).toEqual(['UNKNOWN_EXPRESSION 9:24-9:43']);
  });

  it('block scalars: in the body, never in a comment on the header line', () => {
    expect(at(doc('          - run: | # was ${{ service.nmae }}\n              echo ${{ service.nmae }}\n'))).toEqual([
      'UNKNOWN_EXPRESSION 10:20-10:39',
    ]);
  });
});

describe('UNKNOWN_SERVICE for a name given by the caller', () => {
  it('a service that exists but has errors is not reported as undefined', () => {
    const text = 'version: 1\nservices:\n  api:\n    path: apps/api\n    stages:\n      build: { from: biuld }\n';
    const codes = compile(text, { services: ['api'] }).diagnostics.map((d) => d.code);
    expect(codes).toContain('UNKNOWN_STAGE');
    expect(codes).not.toContain('UNKNOWN_SERVICE');
  });
});
