import type { Stage } from '../generated/types';
import type { YamlPath } from '../load';
import { didYouMean } from '../util/suggest';
import type { ResolveContext } from './context';

export type RawStage = NonNullable<Stage>;

/** One source of a stage's fields; a stage is the merge of its layers, later layers winning. */
export interface Layer {
  raw: RawStage;
  path: YamlPath;
  chain: readonly string[];
}

const label = (path: YamlPath): string => path.join('.');

const extendsList = (raw: RawStage): string[] =>
  raw.extends === undefined ? [] : Array.isArray(raw.extends) ? raw.extends : [raw.extends];

/**
 * `broken` is set when an `extends` could not be followed, so later phases do not pile
 * follow-on errors (a missing `from`) onto the one that matters.
 *
 * Config inheritance: a stage's `extends` (left to right, recursively), then the stage itself.
 * Cycles and unknown names are reported here and the offending edge is skipped, so one bad
 * template yields one diagnostic and resolution carries on.
 */
export function expandLayers(ctx: ResolveContext, raw: RawStage, path: YamlPath, chain: readonly string[]): Layer[] & { broken?: boolean } {
  const library = ctx.config.stages ?? {};
  const layers: Layer[] & { broken?: boolean } = [];
  const visit = (stage: RawStage, at: YamlPath, trail: readonly string[], stack: readonly string[]): void => {
    const names = extendsList(stage);
    names.forEach((name, index) => {
      const refPath = Array.isArray(stage.extends) ? [...at, 'extends', index] : [...at, 'extends'];
      const template = Object.hasOwn(library, name) ? library[name] : undefined;
      if (template === undefined || template === null) {
        const hint = didYouMean(name, Object.keys(library));
        layers.broken = true;
        ctx.report('UNKNOWN_TEMPLATE', `"${name}" is not a stage of the shared library (stages:)`, refPath, hint ? { hint } : {});
        return;
      }
      if (stack.includes(name)) {
        layers.broken = true;
        const members = stack.slice(stack.indexOf(name));
        if (ctx.once(`extends:${[...members].sort().join(',')}`)) {
          ctx.report('EXTENDS_CYCLE', `extends cycle: ${[...members, name].join(' -> ')}`, refPath);
        }
        return;
      }
      const templatePath = ['stages', name];
      visit(template, templatePath, [...trail, label(templatePath)], [...stack, name]);
    });
    layers.push({ raw: stage, path: at, chain: trail });
  };
  const self = path[0] === 'stages' && typeof path[1] === 'string' ? [path[1]] : [];
  visit(raw, path, chain, self);
  return layers;
}
