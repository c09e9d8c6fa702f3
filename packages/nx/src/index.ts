import { createNodesFunction, STAGES_GLOB, type CreateNodesFunction } from './create-nodes';

export { StagesYamlError } from './create-nodes';
export type { StagecNxOptions } from './options';
export { projectsFor, type ProjectConfiguration, type TargetConfiguration } from './targets';
export type { ServiceSummary } from './summary';

export const name = '@stagec/nx';

/** Nx 22+ reads `createNodes` as the v2 tuple; Nx 21 reads `createNodesV2`. Both are the same function. */
export const createNodes: readonly [string, CreateNodesFunction] = [STAGES_GLOB, createNodesFunction];
export const createNodesV2 = createNodes;
