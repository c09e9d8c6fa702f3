import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '@stagec/core';
import { parseStages } from '../helpers/dockerfile';
import { docArb, params, toYaml, type GenDoc, type GenStage } from './generators';
import { compileStable, readBack, unquote } from './readback';

/** The merge rules, modelled independently: templates (extends chains) first, then the stage; null deletes. */
function expected(doc: GenDoc, stage: GenStage): { env: [string, string][]; runs: string[] } {
  const chain: { env: Record<string, string | null>; steps?: { run: string }[] }[] = [];
  const visit = (name: string | undefined): void => {
    if (!name) return;
    const t = doc.templates[name]!;
    visit(t.extends);
    chain.push(t);
  };
  visit(stage.extends);
  chain.push({ env: stage.env, ...(stage.steps || stage.copyFrom ? { steps: stage.steps ?? [] } : {}) });
  const env = new Map<string, string>();
  let steps: { run: string }[] = [];
  for (const layer of chain) {
    for (const [k, v] of Object.entries(layer.env))
      if (v === null) env.delete(k);
      else env.set(k, v);
    if (layer.steps) steps = layer.steps;
  }
  const runs = [...(stage.prepend ?? []), ...steps, ...(stage.append ?? [])].map((s) => s.run);
  return { env: [...env.entries()], runs };
}

describe('property: every generated document compiles to the Dockerfile it means', () => {
  it('stages in dependency order, target last, values and steps as the merge rules say, byte-stable', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const text = toYaml(doc);
        const result = compile(text);
        const dockerfile = compileStable(text);

        const parsed = parseStages(dockerfile);
        const names = parsed.stages.map((s) => s.name);
        expect([...names].sort()).toEqual(doc.stages.map((s) => s.name).sort());
        parsed.stages.forEach((stage, i) => {
          if (names.includes(stage.base)) expect(names.indexOf(stage.base)).toBeLessThan(i);
          for (const ins of stage.instructions.filter((x) => x.keyword === 'COPY')) {
            const from = ins.flags.find((f) => f.startsWith('from='))?.slice(5);
            if (from) expect(names.indexOf(from)).toBeLessThan(i);
          }
        });
        if (!result.diagnostics.some((d) => d.code === 'TARGET_NOT_LAST')) expect(names.at(-1)).toBe(doc.target);

        for (const stage of doc.stages) {
          const emitted = parsed.stages.find((s) => s.name === stage.name)!;
          const want = expected(doc, stage);
          const env = emitted.instructions.filter((x) => x.keyword === 'ENV').map((x) => x.args);
          expect(env.map((e) => e.split('=')[0])).toEqual(want.env.map(([k]) => k));
          const raw = readBack(dockerfile, stage.name, 'ENV');
          expect(raw.map(([k, v]) => [k, unquote(v)])).toEqual(want.env);
          const runs = emitted.instructions.filter((x) => x.keyword === 'RUN').map((x) => x.args);
          expect(runs).toEqual(want.runs);
          const labels = emitted.instructions.filter((x) => x.keyword === 'LABEL').length;
          expect(labels).toBe(Object.keys(stage.labels).length);
        }
      }),
      params(150),
    );
  });
});
