export { emitDockerfile, GENERATED_MARKER, isGenerated, type EmitRefusal, type EmittedDockerfile, type EmittedLine } from './dockerfile';
export { checkConfigFields } from './fields';
export { buildGraph, renderDot, renderMermaid, type EdgeKind, type GraphEdge, type GraphNode, type StageGraph } from './graph';
export * as tokens from './tokens';
export { jsonArray, quoteValue } from './tokens';
