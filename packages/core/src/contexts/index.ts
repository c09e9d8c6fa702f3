export { emitIgnoreFile, ignoreFileText, restrict } from './ignore';
export { contextSet, describeWorkspace, type WorkspaceInput } from './set';
export { pruneContexts, type PrunedContext } from './prune';
export { manifestDependencies, workspaceGlobs, type Workspace } from './workspace';
export { detectWorkspace, type Detected, type WorkspaceFiles } from './detect';
export { expandManifests } from './manifests';
