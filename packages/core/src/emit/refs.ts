import type { StageRef } from '../resolve';
import { imageReference, type Refuse } from './tokens';

/** A FROM / --from / bind-from base: a stage name (checked by resolve) or an image reference. */
export const baseName = (ref: StageRef, refuse: Refuse): string => (ref.kind === 'stage' ? ref.stage : imageReference(ref.image, refuse));
