import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPair, isScalar, parseDocument, visit } from 'yaml';
import { compile } from '@stagec/core';
import { docArb, params, toYaml } from './generators';

type Mutation = (text: string, pick: number) => { text: string; codes: string[] } | undefined;

/** A newline (and an instruction after it) injected into any one-line string; `run` may be multi-line by design. */
const newline: Mutation = (text, pick) => {
  const doc = parseDocument(text);
  const candidates: { value: string; set: (v: string) => void }[] = [];
  visit(doc, {
    Scalar(key, node, path) {
      if (typeof node.value !== 'string' || key === 'key') return;
      const parent = path.at(-1);
      if (parent && isPair(parent) && isScalar(parent.key) && parent.key.value === 'run') return;
      candidates.push({ value: node.value, set: (v) => (node.value = v) });
    },
  });
  if (candidates.length === 0) return undefined;
  const chosen = candidates[pick % candidates.length]!;
  chosen.set(`${chosen.value}\nRUN rm -rf /`);
  return { text: doc.toString(), codes: ['NEWLINE_IN_VALUE'] };
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
const unknownTemplate: Mutation = (text) =>
  text.includes('extends: t') ? { text: text.replace(/extends: t\d/, 'extends: nope'), codes: ['UNKNOWN_TEMPLATE'] } : undefined;

describe('property: mutated documents give diagnostics, never a crash or a Dockerfile', () => {
  it.each([
    ['a newline in a one-line string', newline],
    ['a dangling stage reference', dangling],
    ['a FROM cycle', cycle],
    ['a wrong type', wrongType],
    ['an unknown template', unknownTemplate],
  ] as const)('%s', (_name, mutate) => {
    fc.assert(
      fc.property(docArb, fc.nat(), (doc, pick) => {
        const mutated = mutate(toYaml(doc), pick);
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
