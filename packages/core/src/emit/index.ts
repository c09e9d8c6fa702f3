export { emitDockerfile, emitDockerfileText, emitRun, type EmitRefusal, type EmittedDockerfile, type EmittedLine } from './dockerfile';
export { checkConfigFields } from './fields';
export { configRelativeTo, isGenerated, markerLine, parseGeneratedHeader, type GeneratedHeader } from './header';
export { emitBake, type BakeFile, type BakeTarget } from './bake';
export { buildGraph, renderDot, renderMermaid, type EdgeKind, type GraphEdge, type GraphNode, type StageGraph } from './graph';
export * as tokens from './tokens';
