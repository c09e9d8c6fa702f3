export { buildOrder, crossServiceNeeds, stageClosure, type BuildRef } from './closure';
export { planBuilds, shellQuote, type DigestSource, type PlanOptions, type PlanResult, type PlannedBuild } from './commands';
export { attestations, ENGINES, engineCommands, mountedSecrets, parseCacheSpec, repository, secretFlag, stageCacheSpecs, type BuildRequest, type Engine, type EngineCommands } from './engines';
export { bakeTargetName, emitBake, type BakeFile, type BakeTarget } from './bake';
