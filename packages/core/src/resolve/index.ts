export { resolve, type Resolved } from './resolve';
export { imageTag } from './model';
export type {
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
  ServiceDependency,
  StageRef,
  Step,
  Traced,
} from './model';
export { FEATURES, frontendVersion, isHeredoc } from './syntax';
export { variablesIn } from './variables';
