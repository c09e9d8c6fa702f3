import type { FromRef } from '../generated/types';
import type { YamlPath } from '../load';
import { closest } from '../util/suggest';
import type { ResolveContext } from './context';
import { imageTag, type StageRef } from './model';
import { STAGE_NAME } from './names';

export interface ServiceHead {
  name: string;
  image: string;
  tag: string;
  target: string;
  stageNames: string[];
}

/**
 * `from` (docs/language.md, "Stages"): a stage of the same service, else an image. A bare name that is no stage
 * but within two edits of one is an error, since Docker would silently pull it as an image.
 */
export function resolveRef(
  ctx: ResolveContext,
  ref: FromRef | unknown,
  path: YamlPath,
  self: ServiceHead,
  heads: ReadonlyMap<string, ServiceHead>,
): StageRef | undefined {
  const stageOf = (head: ServiceHead, stage: string, at: YamlPath): StageRef | undefined => {
    if (head.stageNames.includes(stage)) {
      return head === self ? { kind: 'stage', stage } : { kind: 'service', service: head.name, stage, image: imageTag(head, stage) };
    }
    const near = closest(stage, head.stageNames);
    ctx.report(
      'UNKNOWN_STAGE',
      `stage "${stage}" is not defined in service "${head.name}"`,
      at,
      near ? { hint: `did you mean "${near}"?` } : {},
    );
    return undefined;
  };
  if (typeof ref === 'string') {
    if (self.stageNames.includes(ref)) return { kind: 'stage', stage: ref };
    if (STAGE_NAME.test(ref)) {
      const near = closest(ref, self.stageNames);
      if (near !== undefined) {
        ctx.report('UNKNOWN_STAGE', `stage "${ref}" is not defined in service "${self.name}"`, path, {
          hint: `did you mean "${near}"? (write {image: ${ref}} for an image)`,
        });
        return undefined;
      }
    }
    return { kind: 'image', image: ref };
  }
  const object = ref as { stage?: string; service?: string; image?: string };
  if (object.image !== undefined) return { kind: 'image', image: object.image };
  if (object.service === undefined || object.service === self.name) return stageOf(self, object.stage ?? '', [...path, 'stage']);
  const head = heads.get(object.service);
  if (!head) {
    const near = closest(object.service, heads.keys());
    ctx.report(
      'UNKNOWN_SERVICE',
      `service "${object.service}" is not defined`,
      [...path, 'service'],
      near ? { hint: `did you mean "${near}"?` } : {},
    );
    return undefined;
  }
  return stageOf(head, object.stage ?? '', [...path, 'stage']);
}
