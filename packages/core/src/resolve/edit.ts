import type { Edit, Step as RawStep } from '../generated/types';
import type { YamlPath } from '../load';
import type { ResolveContext } from './context';
import type { Layer, RawStage } from './layers';
import type { Origin, Traced } from './model';

const ACTIONS = ['before', 'after', 'replace', 'remove'] as const;
type Action = (typeof ACTIONS)[number];

/** An edit that names an id the inherited steps lack; reported by the caller, once per service using the stage. */
export interface EditProblem {
  id: string;
  /** The id's position inside the edit entry. */
  path: YamlPath;
  /** The ids the steps had at that point, for a did-you-mean. */
  known: string[];
}

/** The first of ACTIONS the entry has; named reads, not a search with computed keys (this runs for every edit of every service). */
const actionOf = (edit: Edit): Action | undefined =>
  edit.before !== undefined
    ? 'before'
    : edit.after !== undefined
      ? 'after'
      : edit.replace !== undefined
        ? 'replace'
        : edit.remove !== undefined
          ? 'remove'
          : undefined;

const stepsOf = (value: RawStep | RawStep[] | undefined): RawStep[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * One layer's `edit` list over the steps it inherits, in order (docs/language.md, "Step ids and edit"): `before`/`after`
 * insert next to an id, `replace` puts one step or a list in its place (the first new step keeps
 * the id unless the new steps bring ids of their own), `remove` drops it. Pure: a copy comes back.
 */
export function applyEdits(
  inherited: readonly Traced<RawStep>[],
  edits: readonly Edit[],
  layer: Layer,
  report: (problem: EditProblem) => void,
): Traced<RawStep>[] {
  // One copy, edited in place: each edit used to build the list anew from slices.
  let steps: Traced<RawStep>[] | undefined;
  edits.forEach((edit, index) => {
    const action = actionOf(edit);
    if (action === undefined) return; // shape errors are checkEditShapes' to report
    const id = edit[action]!;
    const at: YamlPath = [...layer.path, 'edit', index];
    const list = steps ?? inherited;
    let position = -1;
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.value.id === id) {
        position = i;
        break;
      }
    }
    if (position < 0) {
      report({ id, path: [...at, action], known: list.flatMap((s) => (s.value.id === undefined ? [] : [s.value.id])) });
      return;
    }
    steps ??= [...inherited];
    const target = steps[position]!.origin;
    const origin = (path: YamlPath): Origin => ({ path, chain: layer.chain, ...(action === 'remove' ? {} : { edit: { action, target } }) });
    const traced = (list: RawStep[], field: 'steps' | 'with', single: boolean): Traced<RawStep>[] =>
      list.map((value, i) => ({ value, origin: origin(single ? [...at, field] : [...at, field, i]) }));
    switch (action) {
      case 'before':
      case 'after': {
        const added = traced(stepsOf(edit.steps), 'steps', false);
        steps.splice(action === 'before' ? position : position + 1, 0, ...added);
        break;
      }
      case 'replace': {
        const single = edit.with !== undefined && !Array.isArray(edit.with);
        const added = traced(stepsOf(edit.with), 'with', single);
        if (added.length > 0 && added.every((s) => s.value.id === undefined))
          added[0] = { ...added[0]!, value: { ...added[0]!.value, id } };
        steps.splice(position, 1, ...added);
        break;
      }
      case 'remove':
        steps.splice(position, 1);
        break;
    }
  });
  return steps ?? [...inherited];
}

/**
 * Static checks of a stage mapping's `edit`, wherever it is written: `steps` and `edit` in one
 * layer (steps replace everything, so the edits would be lost), and each entry's shape (exactly
 * one action, with `steps` for before/after and `with` for replace only).
 */
export function checkEditShapes(ctx: ResolveContext, raw: RawStage, path: YamlPath): void {
  if (!raw.edit) return;
  if (raw.steps !== undefined) {
    ctx.report(
      'EDIT_WITH_STEPS',
      '"edit" and "steps" in one stage: steps replace every inherited step, so there is nothing left to edit',
      [...path, 'edit'],
      {
        key: true,
        hint: 'drop "steps" and insert with edit (before/after) or prepend/append, or drop "edit"',
        related: [{ path: [...path, 'steps'], key: true, message: 'steps are set here' }],
      },
    );
  }
  raw.edit.forEach((edit, i) => {
    const at: YamlPath = [...path, 'edit', i];
    const actions = ACTIONS.filter((a) => edit[a] !== undefined);
    if (actions.length !== 1) {
      ctx.report(
        'INVALID_VALUE',
        `an edit entry takes exactly one of before, after, replace, remove${actions.length ? `, not ${actions.join(' and ')}` : ''}`,
        at,
      );
      return;
    }
    const action = actions[0]!;
    const extra = (['steps', 'with'] as const).filter(
      (k) => edit[k] !== undefined && !(k === 'steps' ? action === 'before' || action === 'after' : action === 'replace'),
    );
    for (const key of extra)
      ctx.report('INVALID_VALUE', `"${key}" does not go with "${action}"`, [...at, key], {
        key: true,
        hint: action === 'replace' ? 'replace takes "with"' : action === 'remove' ? 'remove takes only the id' : `${action} takes "steps"`,
      });
  });
}
