export { collectImages, type ImageUses } from './collect';
export { formatLock, parseLock, type ParsedLock } from './format';
export { lockPathFor, type ImageUse, type ImageUseKind, type Lock, type LockEntry } from './model';
export { pinImages, uniquePlaces, type PinOptions, type Pinned } from './pin';
export { DIGEST, hasVariables, parseImageName, type ImageName } from './reference';
