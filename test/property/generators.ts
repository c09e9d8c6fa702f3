import fc from 'fast-check';
import { stringify } from 'yaml';

/** Fixed seed and a few hundred cases in `npm test`; random seeds and more with STAGEC_FUZZ=1 (npm run test:fuzz). */
const FUZZ = process.env.STAGEC_FUZZ === '1';
export const params = (numRuns: number): fc.Parameters<unknown> => (FUZZ ? { numRuns: numRuns * 20 } : { numRuns, seed: 20261122 });

/** Characters that stress quoting: quotes, backslashes, $, #, =, spaces, unicode. */
const CHARS = ['a', 'Z', '0', '_', ' ', '"', "'", '\\', '$', '#', '=', ';', '/', '{', '}', 'é', '✓', '日', '-', '.'];
export const dockerString = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 10 }).filter((s) => !s.includes('${{'));
const key = fc.constantFrom('A', 'B', 'C_1', 'PATH_X', 'LANG', 'Z9');
const envMap = (nulls: boolean) =>
  fc.dictionary(key, nulls ? fc.option(dockerString, { freq: 4, nil: null }) : dockerString, { maxKeys: 4 });

interface Template {
  extends?: string;
  from?: string;
  env: Record<string, string | null>;
  steps?: { run: string }[];
}
export interface GenStage {
  name: string;
  from: { stage: string } | string;
  extends?: string;
  env: Record<string, string | null>;
  labels: Record<string, string>;
  steps?: { run: string }[];
  prepend?: { run: string }[];
  append?: { run: string }[];
  copyFrom?: string;
}
export interface GenDoc {
  templates: Record<string, Template>;
  stages: GenStage[];
  /** Declaration order, shuffled: output must not depend on it beyond dependencies. */
  order: number[];
  target: string;
}

const run = (tag: string) =>
  fc.array(
    fc.integer({ min: 0, max: 99 }).map((n) => ({ run: `echo ${tag}${n}` })),
    { maxLength: 2 },
  );

export const docArb: fc.Arbitrary<GenDoc> = fc
  .record({ nTemplates: fc.integer({ min: 0, max: 3 }), nStages: fc.integer({ min: 1, max: 6 }) })
  .chain(({ nTemplates, nStages }) => {
    const templateNames = Array.from({ length: nTemplates }, (_, i) => `t${i}`);
    const templates = fc.tuple(
      ...templateNames.map((_, i) =>
        fc.record(
          {
            extends: i > 0 ? fc.constantFrom(...templateNames.slice(0, i)) : fc.constant(undefined),
            from: fc.constantFrom('alpine:3.20', 'debian:bookworm-slim'),
            env: envMap(true),
            steps: run('t'),
          },
          { requiredKeys: ['env'] },
        ),
      ),
    );
    // Stage i may build on stages 0..i-1 only (a DAG); the declared order is shuffled below.
    const stages = fc.tuple(
      ...Array.from({ length: nStages }, (_, i) =>
        fc.record(
          {
            name: fc.constant(`s${i}`),
            from:
              i > 0
                ? fc.oneof(
                    fc.constantFrom('node:20', 'scratch'),
                    fc.integer({ min: 0, max: i - 1 }).map((j) => ({ stage: `s${j}` })),
                  )
                : fc.constant('node:20'),
            extends: nTemplates > 0 ? fc.constantFrom(...templateNames) : fc.constant(undefined),
            env: envMap(true),
            labels: fc.dictionary(fc.constantFrom('org.label', 'team', 'x-y'), dockerString, { maxKeys: 2 }),
            steps: run('s'),
            prepend: run('p'),
            append: run('a'),
            copyFrom: i > 0 ? fc.integer({ min: 0, max: i - 1 }).map((j) => `s${j}`) : fc.constant(undefined),
          },
          { requiredKeys: ['name', 'from', 'env', 'labels'] },
        ),
      ),
    );
    return fc.record({
      templates: templates.map((ts) => Object.fromEntries(ts.map((t, i) => [templateNames[i]!, t as Template]))),
      stages: stages.map((ss) => ss as GenStage[]),
      order: fc.shuffledSubarray([...Array(nStages).keys()], { minLength: nStages, maxLength: nStages }),
      target: fc.integer({ min: 0, max: nStages - 1 }).map((i) => `s${i}`),
    });
  });

const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function toYaml(doc: GenDoc): string {
  const stages: Record<string, unknown> = {};
  for (const i of doc.order) {
    const s = doc.stages[i]!;
    const steps = [...(s.steps ?? []), ...(s.copyFrom ? [{ copy: { from: s.copyFrom, src: '/out', dest: `/in-${s.copyFrom}` } }] : [])];
    stages[s.name] = clean({
      extends: s.extends,
      from: s.from,
      env: s.env,
      labels: s.labels,
      steps: s.steps === undefined && !s.copyFrom ? undefined : steps,
      prepend: s.prepend,
      append: s.append,
    });
  }
  return stringify({
    version: 1,
    stages: Object.fromEntries(Object.entries(doc.templates).map(([n, t]) => [n, clean(t as unknown as Record<string, unknown>)])),
    services: { svc: { path: 'svc', target: doc.target, stages } },
  });
}
