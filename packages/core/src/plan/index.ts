export { crossServiceNeeds, type BuildRef } from './closure';
export { planBuilds, shellQuote, type PlanOptions, type PlanResult, type PlannedBuild } from './commands';
export { ENGINES, engineCommands, type BuildRequest, type Engine } from './engines';
export { emitBake, type BakeFile, type BakeTarget } from './bake';
