import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compile } from '@stagec/core';
import { parseStages } from '../helpers/dockerfile';
import { params } from './generators';
import { compileStable, readBack, unquote } from './readback';

/**
 * Language 1.1 inheritance against an independent model: one stage built from four layers
 * (template t0, template t1 extending it, the pipeline's stage, the service's override), where
 * each layer may set or null fields, set or null vars, replace or edit the inherited steps and
 * wrap them. Vars also come from the top level, the pipeline and the service. The model says
 * what the Dockerfile holds, or which error the compiler must report.
 */

const FIELDS = ['workdir', 'user', 'stopsignal', 'cmd', 'expose'] as const;
type Field = (typeof FIELDS)[number];
const VARS = ['a', 'b', 'c'] as const;

type Step = { id?: string; run: string };
type Edit =
  | { before: string; steps: Step[] }
  | { after: string; steps: Step[] }
  | { replace: string; with: Step | Step[] }
  | { remove: string };

interface StageLayer {
  fields: Partial<Record<Field, string | null>>;
  vars: Partial<Record<(typeof VARS)[number], string | null>>;
  /** Replaces the inherited steps (null: none); else `edit` applies. */
  steps?: Step[] | null;
  edit?: Edit[];
  prepend?: Step[];
  append?: Step[];
}

interface Doc {
  /** t0, t1, pipeline stage, service stage. */
  layers: StageLayer[];
  top: StageLayer['vars'];
  pipeline: StageLayer['vars'];
  service: StageLayer['vars'];
}

const value = (tag: string) => fc.integer({ min: 0, max: 9 }).map((n) => `${tag}${n}`);
const setting = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.option(arb, { nil: null, freq: 2 }), { nil: undefined, freq: 2 });
const varSetting = (tag: string) => fc.option(fc.option(value(tag), { nil: null, freq: 6 }), { nil: undefined, freq: 2 });
const varsArb = (tag: string) => fc.record({ a: varSetting(tag), b: varSetting(tag), c: varSetting(tag) }).map(dropUndefined);
/** The top level defines every var, so that mostly a null further down makes one unknown. */
const topVarsArb = fc.record({ a: value('top-'), b: value('top-'), c: value('top-') });

// Ids that exist at some point (t0's, and those inserted by layer i as n<i>x) and one that never does.
const ID_POOL = ['s0', 's1', 's2', 's3', 'n1x', 'n2x', 'n1y', 'n2y', 'zz'];

function layerArb(index: number): fc.Arbitrary<StageLayer> {
  // Ids of the layer's own new steps, so a later layer may target them (two may clash: DUPLICATE_STEP_ID).
  const newId = fc.constantFrom(`n${index}x`, `n${index}y`);
  const step = (withId: boolean): fc.Arbitrary<Step> =>
    withId ? fc.record({ id: newId, run: value(`echo L${index}-`) }) : fc.record({ run: value(`echo L${index}-`) });
  const steps = fc.array(fc.boolean(), { maxLength: 2 }).chain((ids) => (ids.length ? fc.tuple(...ids.map((i) => step(i))) : fc.constant([] as Step[])));
  // Mostly ids that exist, sometimes one that never does.
  const id = fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...ID_POOL.slice(0, 4)) }, { weight: 3, arbitrary: fc.constantFrom(...ID_POOL.slice(4, -1)) }, { weight: 1, arbitrary: fc.constant('zz') });
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ before: id, steps }),
    fc.record({ after: id, steps }),
    fc.record({ replace: id, with: fc.oneof(step(false), step(true), steps.filter((s) => s.length > 0)) }),
    fc.record({ remove: id }),
  );
  const body = fc.oneof(
    { weight: 1, arbitrary: fc.record({ steps: fc.option(steps, { nil: null }) }) },
    { weight: 3, arbitrary: fc.record({ edit: fc.array(edit, { maxLength: 2 }) }) },
    { weight: 1, arbitrary: fc.constant({}) },
  );
  return fc
    .record({
      fields: fc.record({
        workdir: setting(value('/w')),
        user: setting(value('u')),
        stopsignal: setting(fc.constantFrom('SIGINT', 'SIGTERM', 'SIGQUIT')),
        cmd: setting(value('c')),
        expose: setting(fc.integer({ min: 1000, max: 1009 }).map(String)),
      }),
      vars: varsArb(`v${index}-`),
      body,
      prepend: fc.option(steps, { nil: undefined }),
      append: fc.option(steps, { nil: undefined }),
    })
    .map(({ fields, vars, body, prepend, append }) => dropUndefined({ fields: dropUndefined(fields), vars, ...body, prepend, append }) as StageLayer);
}

const docArb: fc.Arbitrary<Doc> = fc.record({
  layers: fc.tuple(layerArb(0), layerArb(1), layerArb(2), layerArb(3)).map(([t0, ...rest]) => {
    // t0 is the base of everything: its steps are s0..s3, and it has no inherited steps to edit.
    const base: StageLayer = { ...t0, steps: ['s0', 's1', 's2', 's3'].map((id) => ({ id, run: `echo t0-${id}` })) };
    delete base.edit;
    return [base, ...rest];
  }),
  top: topVarsArb,
  pipeline: varsArb('p-'),
  service: varsArb('svc-'),
});

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const LABEL_OF_VAR = (v: string) => `var_${v}`;

function toYaml(doc: Doc): string {
  const stage = (layer: StageLayer, extra: Record<string, unknown>) => {
    const fields: Record<string, unknown> = {};
    for (const [f, v] of Object.entries(layer.fields)) fields[f] = v === null ? null : f === 'cmd' || f === 'expose' ? [v] : v;
    return dropUndefined({ ...extra, ...fields, vars: layer.vars, steps: layer.steps, edit: layer.edit, prepend: layer.prepend, append: layer.append });
  };
  const [t0, t1, ps, ss] = doc.layers as [StageLayer, StageLayer, StageLayer, StageLayer];
  const labels = Object.fromEntries(VARS.map((v) => [LABEL_OF_VAR(v), `\${{ vars.${v} }}`]));
  return stringify({
    version: 1,
    vars: doc.top,
    stages: { t0: stage(t0, { from: 'alpine:3.20', labels }), t1: stage(t1, { extends: 't0' }) },
    pipelines: { p: { vars: doc.pipeline, stages: { app: stage(ps, { extends: 't1' }) } } },
    services: { svc: { path: 'svc', pipeline: 'p', vars: doc.service, stages: { app: stage(ss, {}) } } },
  });
}

interface Expected {
  errors: string[];
  fields: Partial<Record<Field, string>>;
  vars: Partial<Record<string, string>>;
  runs: string[];
}

/** The rules of DESIGN 10, written out plainly. */
function model(doc: Doc): Expected {
  const errors = new Set<string>();
  const fields: Partial<Record<Field, string>> = {};
  let steps: Step[] = [];
  for (const layer of doc.layers) {
    for (const [f, v] of Object.entries(layer.fields) as [Field, string | null][]) {
      if (v === null) delete fields[f];
      else fields[f] = v;
    }
    if (layer.steps !== undefined) steps = layer.steps ?? [];
    else {
      for (const edit of layer.edit ?? []) {
        const id = 'before' in edit ? edit.before : 'after' in edit ? edit.after : 'replace' in edit ? edit.replace : edit.remove;
        const at = steps.findIndex((s) => s.id === id);
        if (at < 0) {
          errors.add('UNKNOWN_STEP');
          continue;
        }
        if ('before' in edit) steps.splice(at, 0, ...edit.steps);
        else if ('after' in edit) steps.splice(at + 1, 0, ...edit.steps);
        else if ('remove' in edit) steps.splice(at, 1);
        else {
          const added = (Array.isArray(edit.with) ? edit.with : [edit.with]).map((s) => ({ ...s }));
          if (added.every((s) => s.id === undefined)) added[0]!.id = id;
          steps.splice(at, 1, ...added);
        }
      }
    }
    steps = [...(layer.prepend ?? []), ...steps, ...(layer.append ?? [])];
  }
  // Precedence, lowest first: top, templates (t0 then t1), pipeline, pipeline stage, service, service stage.
  const vars: Record<string, string> = {};
  const [t0, t1, ps, ss] = doc.layers as [StageLayer, StageLayer, StageLayer, StageLayer];
  for (const map of [doc.top, t0.vars, t1.vars, doc.pipeline, ps.vars, doc.service, ss.vars]) {
    for (const [k, v] of Object.entries(map)) {
      if (v === null) delete vars[k];
      else vars[k] = v;
    }
  }
  if (VARS.some((v) => vars[v] === undefined)) errors.add('UNKNOWN_EXPRESSION');
  const ids = steps.flatMap((s) => (s.id ? [s.id] : []));
  if (new Set(ids).size !== ids.length) errors.add('DUPLICATE_STEP_ID');
  return { errors: [...errors].sort(), fields, vars, runs: steps.map((s) => s.run) };
}

describe('property: null unsets, vars precedence and edit, against an independent model', () => {
  it('the Dockerfile holds what the model says, or the compiler reports what the model expects', () => {
    let compiled = 0;
    fc.assert(
      fc.property(docArb, (doc) => {
        const text = toYaml(doc);
        const want = model(doc);
        if (want.errors.length > 0) {
          const result = compile(text);
          expect(result.failed).toBe(true);
          expect([...new Set(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))].sort()).toEqual(want.errors);
          return;
        }
        compiled++;
        const dockerfile = compileStable(text);
        const stage = parseStages(dockerfile).stages[0]!;
        const one = (keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
        expect(one('RUN')).toEqual(want.runs);
        expect(one('WORKDIR')).toEqual(want.fields.workdir ? [want.fields.workdir] : []);
        expect(one('USER')).toEqual(want.fields.user ? [want.fields.user] : []);
        expect(one('STOPSIGNAL')).toEqual(want.fields.stopsignal ? [want.fields.stopsignal] : []);
        expect(one('EXPOSE')).toEqual(want.fields.expose ? [want.fields.expose] : []);
        expect(one('CMD')).toEqual(want.fields.cmd ? [JSON.stringify([want.fields.cmd])] : []);
        const labels = new Map(readBack(dockerfile, 'app', 'LABEL').map(([k, v]) => [k, unquote(v)]));
        for (const v of VARS) expect(labels.get(LABEL_OF_VAR(v)), `var ${v}`).toBe(want.vars[v]);
      }),
      params(400),
    );
    // The generator must reach the success path often enough for the model to mean something.
    if (process.env.STAGEC_DEBUG) console.log('compiled', compiled);
    expect(compiled).toBeGreaterThan(60);
  });
});

/**
 * Service settings: defaults, then the pipeline, then the service; the nearest mention wins and
 * its null removes the setting (context falls back to the service's path, registry to no prefix).
 */
describe('property: service settings through defaults, pipeline and service, with null', () => {
  type Settings = { context?: string | null; syntax?: string | null; platforms?: string[] | null; registry?: string | null };
  // defaults is the bottom layer: it sets or leaves out, it has nothing to unset.
  const settingsArb = (withRegistry: boolean, child: boolean): fc.Arbitrary<Settings> => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => (child ? setting(arb) : fc.option(arb, { nil: undefined }));
    return fc
      .record({
        context: maybe(fc.constantFrom('.', 'apps', 'apps/svc')),
        syntax: maybe(fc.constantFrom('docker/dockerfile:1.7', 'docker/dockerfile:1.9')),
        platforms: maybe(fc.subarray(['linux/amd64', 'linux/arm64'], { minLength: 1 })),
        registry: withRegistry ? maybe(fc.constantFrom('r.example.com/a', 'ghcr.io/b')) : fc.constant(undefined),
      })
      .map(dropUndefined);
  };
  const layersArb = fc.tuple(settingsArb(true, false), settingsArb(false, true), settingsArb(true, true));
  const nearest = <K extends keyof Settings>(layers: Settings[], key: K): Settings[K] | undefined => {
    for (const layer of [...layers].reverse()) if (layer[key] !== undefined) return layer[key];
    return undefined;
  };

  it('context, syntax, platforms and the image name are what the nearest layer says', () => {
    fc.assert(
      fc.property(layersArb, ([defaults, pipeline, service]) => {
        const text = stringify({
          version: 1,
          defaults,
          pipelines: { p: { ...pipeline, stages: { app: { from: 'alpine:3.20' } } } },
          services: { svc: { path: 'apps/svc', pipeline: 'p', ...service } },
        });
        const result = compile(text);
        expect(result.diagnostics).toEqual([]);
        const svc = result.project!.services[0]!;
        const layers = [defaults, pipeline, service];
        expect(svc.context).toBe(nearest(layers, 'context') ?? 'apps/svc');
        expect(svc.syntax).toBe(nearest(layers, 'syntax') ?? undefined);
        expect(svc.platforms).toEqual(nearest(layers, 'platforms') ?? []);
        const registry = nearest(layers, 'registry');
        expect(svc.image).toBe(registry ? `${registry}/svc` : 'svc');
        expect(result.dockerfiles[0]!.text.startsWith('# syntax=')).toBe(Boolean(nearest(layers, 'syntax')));
      }),
      params(200),
    );
  });
});
