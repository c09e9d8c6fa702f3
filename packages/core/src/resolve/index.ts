export { resolve, type Resolved } from './resolve';
export { imageTag, serviceChain } from './model';
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
export { stageDependencies } from './order';
export { FEATURES, syntaxSupports } from './syntax';
