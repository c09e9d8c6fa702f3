export { emitDockerfile, type EmittedDockerfile, type EmittedLine } from './dockerfile';
export { configRelativeTo, GENERATED_MARKER, isGenerated, markerLine, parseGeneratedHeader, type GeneratedHeader } from './header';
export { jsonArray, keyValue, quoteValue } from './quote';
export { buildGraph, renderDot, renderMermaid, type EdgeKind, type GraphEdge, type GraphNode, type StageGraph } from './graph';
