export { buildOrder, crossServiceNeeds, stageClosure, type BuildRef } from './closure';
export { ENGINES, planBuilds, shellQuote, type Engine, type PlanOptions, type PlanResult, type PlannedBuild } from './commands';
export { bakeTargetName, emitBake, type BakeFile, type BakeTarget } from './bake';
