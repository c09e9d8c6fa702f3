export { crossServiceNeeds, type BuildRef } from './closure';
export { dockerfileRelativeToContext, planBuilds, shellQuote, type PlanOptions, type PlanResult, type PlannedBuild } from './commands';
export {
  attestations,
  ENGINES,
  engineCommands,
  mountedSecrets,
  secretFlag,
  stageCacheSpecs,
  type BuildRequest,
  type Engine,
} from './engines';
