import type { Item } from './map';
import type { Doc, Refusal, StageLines } from './model';

type Step = Extract<Item, { kind: 'step' }>;
type Meta = Extract<Item, { kind: 'meta' }>;

const only = (step: Doc): string => Object.keys(step)[0]!;

/**
 * Leading ARG, ENV, WORKDIR and SHELL steps become the stage's fields where the fixed field order
 * (DESIGN 2: args, env, workdir, shell, then steps) keeps them in place; the rest stay steps.
 */
function hoistLeading(steps: Doc[], body: Doc): Doc[] {
  let i = 0;
  for (const field of ['arg', 'env'] as const) {
    const map: Doc = {};
    while (i < steps.length && only(steps[i]!) === field) {
      const entries = steps[i]![field] as Doc;
      if (Object.keys(entries).some((k) => k in map)) break;
      Object.assign(map, entries);
      i++;
    }
    if (Object.keys(map).length > 0) body[field === 'arg' ? 'args' : 'env'] = map;
  }
  for (const field of ['workdir', 'shell'] as const) {
    if (i < steps.length && only(steps[i]!) === field) body[field] = steps[i++]![field];
  }
  return steps.slice(i);
}

/** A trailing VOLUME then USER become the fields, which are emitted after the steps in that order. */
function hoistTrailing(steps: Doc[]): { steps: Doc[]; fields: Doc } {
  const fields: Doc = {};
  let end = steps.length;
  if (end > 0 && only(steps[end - 1]!) === 'user') fields.user = steps[--end]!.user;
  if (end > 0 && only(steps[end - 1]!) === 'volume') fields.volumes = steps[--end]!.volume;
  return { steps: steps.slice(0, end), fields };
}

/** A stage's mapped instructions to its body; metadata moves to the end only where no later ARG or ENV changes what it reads. */
export function assembleStage(head: Doc, items: Item[], fromLine: number): { body: Doc; refusals: Refusal[]; lines: StageLines } {
  const refusals: Refusal[] = [];
  const metaFields: Doc = {};
  const lineOf = new Map<Doc, number>(items.flatMap((i) => (i.kind === 'step' ? [[i.step, i.line] as [Doc, number]] : [])));
  const fields: Record<string, number> = {};
  items.forEach((item, index) => {
    if (item.kind !== 'meta') return;
    const later = items.slice(index + 1).filter((i): i is Step => i.kind === 'step');
    const changed = item.uses.find((v) => later.some((s) => s.defines.includes(v)));
    if (changed) {
      refusals.push({
        line: item.line,
        column: 1,
        endLine: item.line,
        endColumn: 1,
        message: `${item.field.toUpperCase()} reads $${changed}, which a later ARG or ENV changes; stages.yaml emits it at the stage's end`,
        hint: 'move it below that ARG or ENV (or give it the value), then import again',
      });
    }
    addMeta(metaFields, item);
    fields[item.field] ??= item.line;
  });
  const body: Doc = { ...head };
  const all = items.filter((i): i is Step => i.kind === 'step').map((i) => i.step);
  const steps = hoistLeading(all, body);
  const trailing = hoistTrailing(steps);
  // Where each field and step came from, so a refusal found later points at the Dockerfile's line.
  const hoisted = all.slice(0, all.length - steps.length);
  for (const step of [...hoisted, ...steps.slice(trailing.steps.length)]) {
    const key = Object.keys(step)[0]!;
    const field = ({ arg: 'args', env: 'env', volume: 'volumes' } as Record<string, string>)[key] ?? key;
    fields[field] ??= lineOf.get(step) ?? fromLine;
  }
  const lines: StageLines = { from: fromLine, fields, steps: trailing.steps.map((st) => lineOf.get(st) ?? fromLine) };
  if (trailing.steps.length > 0) body.steps = trailing.steps;
  if (metaFields.expose) body.expose = metaFields.expose;
  if (trailing.fields.volumes) body.volumes = trailing.fields.volumes;
  if (metaFields.labels) body.labels = metaFields.labels;
  if (trailing.fields.user !== undefined) body.user = trailing.fields.user;
  for (const field of ['healthcheck', 'stopsignal', 'entrypoint', 'cmd', 'onbuild']) if (metaFields[field] !== undefined) body[field] = metaFields[field];
  return { body, refusals, lines };
}

function addMeta(fields: Doc, item: Meta): void {
  switch (item.field) {
    case 'expose':
      fields.expose = [...((fields.expose as unknown[]) ?? []), ...(item.value as unknown[])];
      break;
    case 'labels':
      fields.labels = { ...((fields.labels as Doc) ?? {}), ...(item.value as Doc) };
      break;
    case 'onbuild':
      fields.onbuild = [...((fields.onbuild as unknown[]) ?? []), item.value];
      break;
    default:
      // Docker keeps the last CMD, ENTRYPOINT, HEALTHCHECK and STOPSIGNAL of a stage.
      fields[item.field] = item.value;
  }
}
