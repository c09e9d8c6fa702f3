export { emitIgnoreFile, ignoreFileText, restrict } from './ignore';
export { parseIgnoreText, segmentRegExp, literalSegment, type IgnoreRule } from './pattern';
export { contextSet, describeWorkspace, type ContextSet, type WorkspaceInput } from './set';
export { pruneContexts, type PrunedContext } from './prune';
export {
  DEFAULT_INCLUDE,
  LOCKFILES,
  joinPath,
  manifestDependencies,
  parseManifest,
  workspaceGlobs,
  type ManifestResult,
  type Workspace,
  type WorkspacePackage,
} from './workspace';
export { detectWorkspace, type Detected, type WorkspaceFiles } from './detect';
export { expandManifests } from './manifests';
