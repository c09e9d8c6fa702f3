import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, isScalar, visit } from 'yaml';
import { compile } from '@stagec/core';
import { docArb, params, toYaml } from './generators';

type Mutation = (text: string) => { text: string; codes: string[] } | undefined;

/** A newline injected into one one-line string (not a run command, which may be a heredoc). */
const newline: Mutation = (text) => {
  const doc = parseDocument(text);
  let done = false;
  visit(doc, {
    Pair(_, pair, path) {
      if (done || !isScalar(pair.value) || typeof pair.value.value !== 'string') return;
      const key = String((pair.key as { value?: unknown }).value);
      const parentKey = path.length >= 2 ? String(((path.at(-2) as { key?: { value?: unknown } }).key ?? {}).value) : '';
      if (key === 'run' || key === 'path' || key === 'target' || parentKey === 'copy') return;
      pair.value.value = `${pair.value.value}\nRUN rm -rf /`;
      done = true;
    },
  });
  return done ? { text: doc.toString(), codes: ['NEWLINE_IN_VALUE'] } : undefined;
};
const dangling: Mutation = (text) => ({ text: text.replace(/from: node:20/, 'from: { stage: no-such-stage }'), codes: ['UNKNOWN_STAGE'] });
/** s0 made to build FROM a stage that builds FROM s0: a two-stage cycle. */
const cycle: Mutation = (text) => {
  const doc = parseDocument(text);
  const stages = doc.getIn(['services', 'svc', 'stages']) as { items: { key: { value: string }; value: unknown }[] };
  const child = stages.items.find((p) => doc.getIn(['services', 'svc', 'stages', p.key.value, 'from', 'stage']) === 's0');
  if (!child) return undefined;
  doc.setIn(['services', 'svc', 'stages', 's0', 'from'], doc.createNode({ stage: child.key.value }));
  return { text: doc.toString(), codes: ['STAGE_CYCLE'] };
};
const wrongType: Mutation = (text) => ({ text: text.replace(/path: svc/, 'path: [svc]'), codes: ['INVALID_TYPE'] });
const unknownTemplate: Mutation = (text) => (text.includes('extends: t') ? { text: text.replace(/extends: t\d/, 'extends: nope'), codes: ['UNKNOWN_TEMPLATE'] } : undefined);

describe('property: mutated documents give diagnostics, never a crash or a Dockerfile', () => {
  it.each([
    ['a newline in a one-line string', newline],
    ['a dangling stage reference', dangling],
    ['a FROM cycle', cycle],
    ['a wrong type', wrongType],
    ['an unknown template', unknownTemplate],
  ] as const)('%s', (_name, mutate) => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const mutated = mutate(toYaml(doc));
        if (!mutated) return;
        const result = compile(mutated.text);
        expect(result.failed).toBe(true);
        expect(result.dockerfiles).toEqual([]);
        expect(result.diagnostics.some((d) => mutated.codes.includes(d.code))).toBe(true);
        for (const d of result.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
        }
      }),
      params(60),
    );
  });
});
