export { resolve, type Resolved } from './resolve';
export { imageTag } from './model';
export type {
  BuildSettings,
  Command,
  Entry,
  FileTransfer,
  Healthcheck,
  Mount,
  MountOwner,
  RunStep,
  Origin,
  ResolvedProject,
  ResolvedService,
  ResolvedStage,
  SecretSource,
  ServiceDependency,
  StageRef,
  Step,
  Traced,
} from './model';
export { FEATURES, frontendVersion, isHeredoc, syntaxSupports } from './syntax';
export { variablesIn } from './variables';
export { DEFAULT_CACHE_ONLY } from './build';
