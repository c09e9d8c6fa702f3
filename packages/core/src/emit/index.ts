export { emitDockerfile, type EmitRefusal, type EmittedDockerfile, type EmittedLine } from './dockerfile';
export { checkConfigFields } from './fields';
export { configRelativeTo, GENERATED_MARKER, isGenerated, markerLine, parseGeneratedHeader, type GeneratedHeader } from './header';
export { buildGraph, renderDot, renderMermaid, type EdgeKind, type GraphEdge, type GraphNode, type StageGraph } from './graph';
export * as tokens from './tokens';
export { jsonArray, quoteValue } from './tokens';
