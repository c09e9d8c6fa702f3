export { crossServiceNeeds, type BuildRef } from './closure';
export { ENGINES, planBuilds, shellQuote, type Engine, type PlanOptions, type PlanResult, type PlannedBuild } from './commands';
export { emitBake, type BakeFile, type BakeTarget } from './bake';
