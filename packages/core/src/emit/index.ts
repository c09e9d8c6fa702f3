export { emitDockerfile, GENERATED_MARKER, isGenerated, type EmittedDockerfile, type EmittedLine } from './dockerfile';
export { jsonArray, keyValue, quoteValue } from './quote';
export { buildGraph, renderDot, renderMermaid, type EdgeKind, type GraphEdge, type GraphNode, type StageGraph } from './graph';
