export { resolve, type Resolved } from './resolve';
export { imageTag } from './model';
export type {
  Command,
  Entry,
  FileTransfer,
  Healthcheck,
  Mount,
  Origin,
  ResolvedProject,
  ResolvedService,
  ResolvedStage,
  ServiceDependency,
  StageRef,
  Step,
  Traced,
} from './model';
export { frontendVersion } from './syntax';
export { variablesIn } from './variables';
